"""Knowledge writes (docs/knowledge.md): versions, ratings, favourites, comments and their moderation,
the search log, deflections and the review warnings. Views and the admin call these; who may see an
article is decided by knowledge/selectors.py before any of them is called."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from catalog.models import Service
from core.exceptions import ApplicationError
from core.urls import absolute_url
from outbox.models import EmailTemplate
from outbox.services import email_queue, user_language
from parameters import registry as r
from parameters.accessors import param

from .email_templates import REVIEW_TEMPLATE_NAME
from .models import (
    VERSIONED_FIELDS,
    Article,
    ArticleComment,
    ArticleRating,
    ArticleVersion,
    Deflection,
    Favourite,
    SearchLog,
)

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

COMMENT_MAX_LENGTH = 2000
RATING_COMMENT_MAX_LENGTH = 500
SEARCH_TERM_MAX_LENGTH = 100


# --- versions --------------------------------------------------------------------------------


def _changed_fields(article: Article, previous: ArticleVersion | None) -> list[str]:
    if previous is None:
        return []
    return [f for f in VERSIONED_FIELDS if getattr(article, f) != getattr(previous, f)]


@transaction.atomic
def article_version_save(*, article: Article, user: User | None, change: str = "") -> ArticleVersion | None:
    """Snapshot ``article``'s texts as its next version, saying what changed since the last one; None
    when the texts are those of the last version (a save that changed only the publication)."""
    Article.objects.select_for_update().filter(pk=article.pk).first()  # one numbering at a time
    previous = article.versions.order_by("-number").first()
    changed = _changed_fields(article, previous)
    if previous is not None and not changed and not change:
        return None
    if not change:
        labels = [str(getattr(Article._meta.get_field(f), "verbose_name", f)) for f in changed]
        change = _("Changed: %(fields)s") % {"fields": ", ".join(labels)} if labels else _("Created")
    number = (previous.number if previous else 0) + 1
    return ArticleVersion.objects.create(
        article=article,
        number=number,
        changed_by=user,
        change=change[:300],
        **{f: getattr(article, f) for f in VERSIONED_FIELDS},
    )


@transaction.atomic
def article_version_restore(*, version: ArticleVersion, user: User) -> ArticleVersion:
    """Put ``version``'s texts back on its article; the restore is itself a new version."""
    article = Article.objects.select_for_update().get(pk=version.article_id)
    for f in VERSIONED_FIELDS:
        setattr(article, f, getattr(version, f))
    article.save()
    restored = article_version_save(
        article=article, user=user, change=_("Restored from version %(number)s") % {"number": version.number}
    )
    assert restored is not None  # noqa: S101  a change text always makes a version
    return restored


# --- ratings, favourites, comments -------------------------------------------------------------


def rating_save(*, article: Article, user: User, helpful: bool, comment: str = "") -> ArticleRating:
    """The user's answer to "Was this helpful?": one per user and article, a second answer replaces
    the first (the unique constraint keeps two concurrent answers to one row)."""
    comment = (comment or "").strip()[:RATING_COMMENT_MAX_LENGTH]
    try:
        with transaction.atomic():
            rating, _created = ArticleRating.objects.update_or_create(
                article=article, user=user, defaults={"helpful": helpful, "comment": comment}
            )
    except IntegrityError:  # a concurrent first answer won the insert: this one replaces it
        rating = ArticleRating.objects.get(article=article, user=user)
        rating.helpful, rating.comment = helpful, comment
        rating.save(update_fields=["helpful", "comment", "updated_at"])
    return rating


def favourite_add(*, article: Article, user: User) -> None:
    try:
        with transaction.atomic():
            Favourite.objects.get_or_create(article=article, user=user)
    except IntegrityError:  # added twice at once: it is a favourite either way
        pass


def favourite_remove(*, article: Article, user: User) -> None:
    Favourite.objects.filter(article=article, user=user).delete()


def comment_add(*, article: Article, user: User, text: str) -> ArticleComment:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write a comment first."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ApplicationError(_("A comment has at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH})
    return ArticleComment.objects.create(article=article, author=user, text=text)


def comments_moderate(*, comments: QuerySet[ArticleComment], accept: bool, user: User) -> int:
    """Accept (shown to every reader of the article) or reject (never shown) comments."""
    status = ArticleComment.Status.ACCEPTED if accept else ArticleComment.Status.REJECTED
    return comments.update(status=status, moderated_by=user, moderated_at=timezone.now())


# --- the search log ------------------------------------------------------------------------------


def search_term_normalise(text: str) -> str:
    """Lower case, blanks collapsed, cut to the column: "VPN  Setup " and "vpn setup" are one term."""
    return " ".join((text or "").lower().split())[:SEARCH_TERM_MAX_LENGTH]


def search_log_record(*, text: str, results: int, user: User | None) -> SearchLog | None:
    """Record a search when parameter 358 is Y and it has words."""
    term = search_term_normalise(text)
    if not term or not param(r.KNOWLEDGE_SEARCH_LOG):
        return None
    return SearchLog.objects.create(term=term, results=results, user=user)


def search_log_purge(*, now: datetime | None = None) -> int:
    """Delete the searches older than parameter 359 days (0: keep them)."""
    days = param(r.KNOWLEDGE_SEARCH_LOG_DAYS)
    if not days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _by_model = SearchLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- deflection ----------------------------------------------------------------------------------


def deflection_record(*, article: Article, service: Service, user: User) -> Deflection:
    """ "This solved my problem" on an article suggested by ``service``'s request form: the request
    is not opened, and it counts for the service's deflection rate."""
    return Deflection.objects.create(article=article, service=service, user=user)


# --- the review warning ----------------------------------------------------------------------------


def review_template() -> EmailTemplate | None:
    template = EmailTemplate.objects.filter(name=REVIEW_TEMPLATE_NAME, active=True).first()
    if template is None:
        logger.warning(
            "e-mail template %r is missing or inactive: no review warning is sent", REVIEW_TEMPLATE_NAME
        )
    return template


def review_warnings_due(*, today: date) -> QuerySet[Article]:
    days = param(r.KNOWLEDGE_REVIEW_WARNING_DAYS)
    return (
        Article.objects.filter(
            review_date__isnull=False,
            review_date__gte=today,
            review_date__lte=today + timedelta(days=days),
            author__isnull=False,
        )
        .exclude(review_warned_for=F("review_date"))
        .select_related("author")
    )


def review_warnings_queue(*, now: datetime | None = None) -> int:
    """E-mail each article's author once, parameter 78 days before its review date (0: never). The
    outbox's idempotency key (article and review date) makes a second run, or a concurrent one, send
    nothing more; a new review date warns again."""
    if not param(r.KNOWLEDGE_REVIEW_WARNING_DAYS):
        return 0
    today = timezone.localdate(now or timezone.now())
    due = list(review_warnings_due(today=today))
    if not due:
        return 0
    template = review_template()
    if template is None:
        return 0
    queued = 0
    for article in due:
        with transaction.atomic():
            queued += _review_warning_queue(template, article)
            Article.objects.filter(pk=article.pk).update(review_warned_for=article.review_date)
    return queued


def _review_warning_queue(template: EmailTemplate, article: Article) -> int:
    author, review_date = article.author, article.review_date
    # review_warnings_due keeps only articles with an author and a review date
    assert author is not None  # noqa: S101
    assert review_date is not None  # noqa: S101
    language = user_language(author)
    with override(language):
        context = {
            "AUTHORNAME": author.get_full_name() or author.get_username(),
            "TITLE": article.display_title,
            "REVIEWDATE": formats.date_format(review_date, "SHORT_DATE_FORMAT"),
            "LINK": absolute_url(reverse("admin:knowledge_article_change", args=[article.pk])),
        }
    row = email_queue(
        template=template,
        context=context,
        recipient_user=author,
        language=language,
        idempotency_key=f"knowledge-review:{article.pk}:{review_date.isoformat()}",
    )
    return int(row is not None)
