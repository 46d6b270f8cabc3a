"""The Knowledge Portal (docs/domain.md, element 2): categories and articles.

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
