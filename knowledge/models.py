"""The Knowledge Portal (docs/domain.md, element 2; docs/knowledge.md): categories and articles, and
what readers do with them (ratings, favourites, moderated comments), the articles' versions, the search
log and the deflections counted when a suggested article solved a request before it was opened.

Texts are written in a default text plus Portuguese and Spanish variants; ``display_*`` fall back to
the default text like the catalog's items. An article related to services is shown only to users who
can see one of them (knowledge/selectors.py); an article without services is for everyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Service, catalog_language_suffix


class TranslatedTextMixin:
    def _translated(self, field: str) -> str:
        suffix = catalog_language_suffix()
        if suffix:
            value = getattr(self, f"{field}_{suffix}", "")
            if value:
                return value
        return getattr(self, field)


class KnowledgeCategory(TranslatedTextMixin, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_pt_br = models.CharField(_("name (Portuguese)"), max_length=120, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self._translated("name")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Published, and not scheduled for later."""
        return self.filter(published=True, published_at__lte=now or timezone.now())


class Article(TranslatedTextMixin, models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_pt_br = models.CharField(_("title (Portuguese)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in lists and suggestions."),
    )
    summary_pt_br = models.CharField(_("summary (Portuguese)"), max_length=300, blank=True)
    summary_es = models.CharField(_("summary (Spanish)"), max_length=300, blank=True)
    body = models.TextField(_("text"), help_text=_("Plain text; blank lines separate paragraphs."))
    body_pt_br = models.TextField(_("text (Portuguese)"), blank=True)
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    category = models.ForeignKey(
        KnowledgeCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("related services"),
        blank=True,
        related_name="knowledge_articles",
        help_text=_(
            "Shown on these services' pages and suggested on their request forms. An article related "
            "to services is visible only to users who can see one of them; without services it is "
            "visible to everyone."
        ),
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("Filled in when the article is published; a future date schedules the publication."),
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_articles",
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "With parameter 2702 (Public knowledge access) = Y, visitors who are not logged in can read "
            "it. Leave it off for anything internal."
        ),
    )
    review_date = models.DateField(
        _("review date"),
        null=True,
        blank=True,
        help_text=_(
            "When the text should be checked again. The author is e-mailed once, parameter 78 days before."
        ),
    )
    # The review date the author was last warned about (knowledge/services.py): a new date warns again.
    review_warned_for = models.DateField(_("review warning sent for"), null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The Knowledge Portal's list (newest first) and its category filter.
            models.Index(fields=["published", "-published_at", "-id"], name="article_published_recent"),
            models.Index(
                fields=["category", "published", "-published_at", "-id"], name="article_category_recent"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        # Publishing without a date publishes now (the admin's "published" checkbox is enough).
        if self.published and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def display_title(self) -> str:
        return self._translated("title")

    @property
    def display_summary(self) -> str:
        return self._translated("summary")

    @property
    def display_body(self) -> str:
        return self._translated("body")


# The text fields an article's versions keep (knowledge/services.py, article_version_save).
VERSIONED_FIELDS = (
    "title",
    "title_pt_br",
    "title_es",
    "summary",
    "summary_pt_br",
    "summary_es",
    "body",
    "body_pt_br",
    "body_es",
)


class ArticleVersion(TranslatedTextMixin, models.Model):
    """A snapshot of an article's texts, saved on every save in the admin (and on a restore)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    title_pt_br = models.CharField(_("title (Portuguese)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_pt_br = models.CharField(_("summary (Portuguese)"), max_length=300, blank=True)
    summary_es = models.CharField(_("summary (Spanish)"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    body_pt_br = models.TextField(_("text (Portuguese)"), blank=True)
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed on"), default=timezone.now)
    change = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="articleversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleRating(models.Model):
    """ "Was this helpful?": one answer per user and article; answering again replaces it."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="ratings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("article rating")
        verbose_name_plural = _("article ratings")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="articlerating_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class Favourite(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="favourites"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="knowledge_favourites",
    )
    created_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite article")
        verbose_name_plural = _("favourite articles")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="favourite_one_per_user"),
        ]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="favourite_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.article_id}"


class ArticleComment(models.Model):
    """A reader's comment: shown to others only once an administrator accepts it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("article comment")
        verbose_name_plural = _("article comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_status")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.text[:40]}"


class SearchLog(models.Model):
    """One search of the Knowledge Portal (parameter 358), kept parameter 359 days."""

    term = models.CharField(_("search"), max_length=100)
    results = models.PositiveIntegerField(_("results"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("searched on"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("knowledge search")
        verbose_name_plural = _("knowledge searches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["term", "created_at"], name="searchlog_term_recent")]

    def __str__(self) -> str:
        return self.term


class Deflection(models.Model):
    """A request not opened: the user answered "This solved my problem" on an article suggested by
    the request form of ``service``."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("on"), default=timezone.now)

    class Meta:
        verbose_name = _("deflected request")
        verbose_name_plural = _("deflected requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "created_at"], name="deflection_service_recent")]

    def __str__(self) -> str:
        return f"{self.service_id} ← {self.article_id}"
