"""Knowledge reads for the portal: the one place that decides which articles a user may see.

An article is visible when it is published (``published`` and ``published_at`` not in the future) and
either has no related services or is related to at least one service the user can see in the catalog
(catalog.selectors: available in the portal, and with parameter 293 = Y the groups of the service and of
its portfolio). ``Exists`` subqueries, never a join, so an article is never repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from catalog.models import Service, catalog_language_suffix
from catalog.selectors import service_visible_q
from core.search import search_words, words_of

from .models import Article, KnowledgeCategory

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


def article_list_visible(*, user: User) -> QuerySet[Article]:
    return Article.objects.published().filter(article_visible_q(user)).select_related("category")


def article_get_visible(*, user: User, pk) -> Article:
    """A published article the user may see; staff also preview unpublished ones. ``Http404`` else."""
    qs = Article.objects.select_related("category") if user.is_staff else article_list_visible(user=user)
    article = qs.filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


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
            "url": reverse("knowledge:article", kwargs={"pk": a.pk}),
        }
        for a in article_suggestions(user=user, text=text, service_id=service.pk if service else None)
    ]


def knowledge_for_service(*, user: User, service: Service) -> list[Article]:
    """Published articles related to a visible service, for its page."""
    return list(article_list_for_service(user=user, service=service))
