"""Knowledge reads for the portal: the one place that decides which articles a user may see.

An article is visible when it is published (``published`` and ``published_at`` not in the future) and
either has no related services or is related to at least one service the user can see in the catalog
(catalog.selectors: available in the portal, and with parameter 293 = Y the groups of the service and of
its portfolio). ``Exists`` subqueries, never a join, so an article is never repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from catalog.models import Service, catalog_language_suffix
from catalog.selectors import service_visible_q
from core.search import search_words, words_of
from parameters import registry as r
from parameters.accessors import param
from tickets.models import Ticket

from .models import (
    Article,
    ArticleComment,
    ArticleRating,
    ArticleVersion,
    Deflection,
    Favourite,
    KnowledgeCategory,
    SearchLog,
)

if TYPE_CHECKING:
    from accounts.models import User


SUGGEST_LIMIT = 5
SUGGEST_MIN_WORD_LENGTH = 3
SUGGEST_MAX_WORDS = 12
SUGGEST_TEXT_MAX_LENGTH = 2000
# Added to an article's score (one point per matching word) when it is related to the request's service.
SERVICE_BOOST = 2
# Frequent words that would match nearly every article (English, Portuguese, Spanish).
STOP_WORDS = frozenset(
    {
        # English
        "the",
        "and",
        "for",
        "but",
        "not",
        "are",
        "was",
        "were",
        "you",
        "your",
        "with",
        "this",
        "that",
        "have",
        "has",
        "from",
        "can",
        "cannot",
        "could",
        "would",
        "will",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "why",
        "all",
        "any",
        "its",
        "our",
        "out",
        "get",
        "got",
        "does",
        "did",
        "into",
        "about",
        "there",
        "their",
        "they",
        "please",
        "help",
        "need",
        "want",
        # Portuguese
        "que",
        "com",
        "para",
        "por",
        "uma",
        "não",
        "nao",
        "dos",
        "das",
        "nos",
        "nas",
        "mas",
        "meu",
        "minha",
        "seu",
        "sua",
        "ele",
        "ela",
        "isso",
        "este",
        "esta",
        "está",
        "como",
        "quando",
        "onde",
        "tem",
        "ter",
        "foi",
        "são",
        "sao",
        "mais",
        "muito",
        "preciso",
        "ajuda",
        "favor",
        # Spanish
        "los",
        "las",
        "del",
        "una",
        "con",
        "pero",
        "mis",
        "sus",
        "cuando",
        "donde",
        "tiene",
        "tengo",
        "fue",
        "son",
        "más",
        "muy",
        "necesito",
        "ayuda",
    }
)
_WORD = re.compile(r"\w+", re.UNICODE)


# --- visibility ------------------------------------------------------------------------------


def article_visible_q(user: User) -> Q:
    """No related services, or one the user can see."""
    through = Article.services.through
    related = through.objects.filter(article_id=OuterRef("pk"))
    visible_services = Service.objects.filter(service_visible_q(user)).values("pk")
    return ~Exists(related) | Exists(related.filter(service_id__in=visible_services))


def public_access() -> bool:
    """Parameter 2702: visitors who are not logged in may read the public articles."""
    return param(r.PUBLIC_KNOWLEDGE_ACCESS)


def article_list_visible(*, user: User) -> QuerySet[Article]:
    """What ``user`` may read; for a visitor who is not logged in, the published public articles (the
    views send them to the login page first unless parameter 2702 is Y)."""
    qs = Article.objects.published()
    if not user.is_authenticated:
        return qs.filter(public=True).select_related("category")
    return qs.filter(article_visible_q(user)).select_related("category")


def _with_reader_state(qs: QuerySet[Article], user: User) -> QuerySet[Article]:
    """The reader's favourite and rating, in the article's own query."""
    if not user.is_authenticated:
        return qs.annotate(
            is_favourite=Value(False, output_field=BooleanField()),
            my_helpful=Value(None, output_field=BooleanField(null=True)),
            my_rating_comment=Value("", output_field=CharField()),
        )
    mine = ArticleRating.objects.filter(article_id=OuterRef("pk"), user_id=user.pk)
    return qs.annotate(
        is_favourite=Exists(Favourite.objects.filter(article_id=OuterRef("pk"), user_id=user.pk)),
        my_helpful=Subquery(mine.values("helpful")[:1]),
        my_rating_comment=Coalesce(Subquery(mine.values("comment")[:1]), Value("")),
    )


def article_get_visible(*, user: User, pk) -> Article:
    """A published article the user may see; staff also preview unpublished ones. ``Http404`` else.
    Annotated with the reader's state (``is_favourite``, ``my_helpful``, ``my_rating_comment``)."""
    staff = user.is_authenticated and user.is_staff
    qs = Article.objects.select_related("category") if staff else article_list_visible(user=user)
    article = _with_reader_state(qs, user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def article_comments_for(*, user: User, article: Article) -> list[ArticleComment]:
    """The accepted comments, and the reader's own awaiting moderation (``status`` tells them apart)."""
    shown = Q(status=ArticleComment.Status.ACCEPTED)
    if user.is_authenticated:
        shown |= Q(author_id=user.pk, status=ArticleComment.Status.PENDING)
    return list(article.comments.filter(shown).select_related("author").order_by("created_at", "id"))


def may_see_ratings(*, user: User, article: Article) -> bool:
    """The results of "Was this helpful?" are for the article's author and the staff."""
    return user.is_authenticated and (user.is_staff or article.author_id == user.pk)


def rating_summary(*, article: Article) -> dict[str, Any]:
    """Yes / No counts and the latest comments given with an answer (one query each)."""
    counts = article.ratings.aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    comments = list(
        article.ratings.exclude(comment="").order_by("-updated_at", "-id")[:RATING_COMMENTS_SHOWN]
    )
    return {**counts, "comments": comments}


RATING_COMMENTS_SHOWN = 10


def favourites_of(*, user: User) -> QuerySet[Article]:
    """The articles ``user`` marked as favourites and may still read, the latest added first."""
    return (
        article_list_visible(user=user)
        .filter(favourites__user=user)
        .annotate(favourite_at=F("favourites__created_at"))
        .order_by("-favourite_at", "-id")
    )


def article_versions(*, article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("changed_by").order_by("-number")


def article_is_published(article: Article) -> bool:
    """False for what only staff preview: unpublished, or scheduled for later."""
    at = article.published_at
    return article.published and at is not None and at <= timezone.now()


def article_related_services(*, user: User, article: Article) -> QuerySet[Service]:
    """The article's related services the user can see (links to their pages)."""
    return (
        article.services.filter(service_visible_q(user))
        .select_related("portfolio")
        .order_by("portfolio__type", "portfolio__order", "order", "name", "pk")
    )


def category_list() -> QuerySet[KnowledgeCategory]:
    return KnowledgeCategory.objects.all()


# --- the Knowledge Portal's list and search ----------------------------------------------------


def _text_fields() -> list[str]:
    fields = ["title", "summary", "body"]
    suffix = catalog_language_suffix()
    if suffix:
        fields += [f"{f}_{suffix}" for f in ("title", "summary", "body")]
    return fields


def _word_q(word: str, fields: list[str]) -> Q:
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": word})
    return q


@dataclass(frozen=True)
class ArticleFilters:
    text: str = ""
    category: int | None = None


def article_search(*, user: User, filters: ArticleFilters | None = None) -> QuerySet[Article]:
    """Visible articles, newest first; every word of ``text`` in the title, summary or text (default
    text or the current language's); optionally one category."""
    filters = filters or ArticleFilters()
    qs = article_list_visible(user=user)
    if filters.category is not None:
        qs = qs.filter(category_id=filters.category)
    fields = _text_fields()
    for word in search_words(filters.text):
        qs = qs.filter(_word_q(word, fields))
    return qs.order_by("-published_at", "-id")


# --- the service page ------------------------------------------------------------------------


def article_list_for_service(
    *, user: User, service: Service, limit: int = SUGGEST_LIMIT
) -> QuerySet[Article]:
    """Published articles related to a (visible) service that ``user`` may see, newest first."""
    through = Article.services.through
    return (
        article_list_visible(user=user)
        .filter(Exists(through.objects.filter(article_id=OuterRef("pk"), service_id=service.pk)))
        .order_by("-published_at", "-id")[:limit]
    )


# --- suggestions while a request's description is typed ----------------------------------------


def suggestion_words(text: str) -> list[str]:
    """Distinct words of at least 3 letters, without the most frequent ones, in the order typed; read
    from the first ``SUGGEST_TEXT_MAX_LENGTH`` characters, each of bounded length (core.search)."""
    seen: list[str] = []
    for word in words_of((text or "")[:SUGGEST_TEXT_MAX_LENGTH].lower(), _WORD):
        if len(word) < SUGGEST_MIN_WORD_LENGTH or word.isdigit() or word in STOP_WORDS or word in seen:
            continue
        seen.append(word)
        if len(seen) == SUGGEST_MAX_WORDS:
            break
    return seen


def article_suggestions(
    *, user: User, text: str, service_id: int | None = None, limit: int = SUGGEST_LIMIT
) -> list[Article]:
    """Up to ``limit`` visible articles matching words of ``text``, best first: one point per matching
    word, ``SERVICE_BOOST`` more when related to the service the request is for. One query."""
    words = suggestion_words(text)
    if not words:
        return []
    fields = _text_fields()
    score: Any = Value(0, output_field=IntegerField())
    any_word = Q()
    for word in words:
        q = _word_q(word, fields)
        any_word |= q
        score = score + Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
    if service_id is not None:
        through = Article.services.through
        related = Exists(through.objects.filter(article_id=OuterRef("pk"), service_id=service_id))
        score = score + Case(
            When(related, then=Value(SERVICE_BOOST)), default=Value(0), output_field=IntegerField()
        )
    qs = (
        article_list_visible(user=user)
        .filter(any_word)
        .annotate(score=score)
        .order_by("-score", "-published_at", "-id")
    )
    return list(qs[:limit])


# --- for the catalog's pages (they link to the articles) ------------------------------------------


def knowledge_suggestions(*, user: User, text: str, service: Service | None = None) -> list[dict]:
    """Knowledge articles related to what the user typed in a request's description (title, summary,
    url), those related to ``service`` first. The request form renders them after a refused submission;
    while typing, static/js/knowledge-suggest.js asks knowledge:suggest, which reads the same selector."""
    return [
        {
            "title": a.display_title,
            "summary": a.display_summary,
            "url": suggestion_url(a, service.pk if service else None),
        }
        for a in article_suggestions(user=user, text=text, service_id=service.pk if service else None)
    ]


def suggestion_url(article: Article, service_id: int | None) -> str:
    """An article suggested by a request form: it offers "This solved my problem" for the service
    (knowledge/views.py, ``FROM_REQUEST``), which counts a deflection instead of opening the request."""
    url = reverse("knowledge:article", kwargs={"pk": article.pk})
    return f"{url}?for_service={service_id}" if service_id else url


def knowledge_for_service(*, user: User, service: Service) -> list[Article]:
    """Published articles related to a visible service, for its page."""
    return list(article_list_for_service(user=user, service=service))


# --- the administrators' report (knowledge/admin.py) ---------------------------------------------

REPORT_ROWS = 20


def top_searches(*, since: datetime, limit: int = REPORT_ROWS) -> list[dict[str, Any]]:
    """The most frequent terms since ``since``: term, searches, the most results one of them found."""
    rows = (
        SearchLog.objects.filter(created_at__gte=since)
        .values("term")
        .annotate(searches=Count("pk"), last=Max("created_at"), found=Max("results"))
        .order_by("-searches", "term")[:limit]
    )
    return [dict(row) for row in rows]


def no_result_searches(*, since: datetime, limit: int = REPORT_ROWS) -> list[dict[str, Any]]:
    """The terms that found nothing since ``since``, the most frequent first."""
    rows = (
        SearchLog.objects.filter(created_at__gte=since, results=0)
        .values("term")
        .annotate(searches=Count("pk"), last=Max("created_at"))
        .order_by("-searches", "term")[:limit]
    )
    return [dict(row) for row in rows]


def deflection_rates(*, since: datetime, limit: int = REPORT_ROWS) -> list[dict]:
    """Per service with a deflection since ``since``: deflections, requests opened for it, and the
    deflection rate, deflections / (deflections + requests), in percent. Two subqueries, one query."""
    deflections = (
        Deflection.objects.filter(service_id=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("service_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    requests = (
        Ticket.objects.filter(service_id=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("service_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Service.objects.annotate(
            deflections=Coalesce(Subquery(deflections, output_field=IntegerField()), 0),
            requests=Coalesce(Subquery(requests, output_field=IntegerField()), 0),
        )
        .filter(deflections__gt=0)
        .order_by("-deflections", "name", "pk")
        .values("pk", "name", "deflections", "requests")[:limit]
    )
    out = []
    for row in rows:
        total = row["deflections"] + row["requests"]
        out.append({**row, "rate": round(100 * row["deflections"] / total, 1) if total else 0.0})
    return out
