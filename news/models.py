"""News (element 12 of the portal): categories and news items written in the back office.

Titles and descriptions have a default text plus Portuguese and Spanish variants; ``display_*``
fall back to the default text like the catalog's and the Knowledge Portal's items. A news item is
published while it is active, its category is active and its publication date has come
(``News.objects.published()``): a future date makes it appear by itself on that date.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Authored
from knowledge.models import TranslatedTextMixin


class NewsCategory(TranslatedTextMixin, models.Model):
    title = models.CharField(_("title"), max_length=120, unique=True)
    title_pt_br = models.CharField(_("title (Portuguese)"), max_length=120, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self._translated("title")


class NewsQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> NewsQuerySet:
        """Active, in an active category, and dated now or earlier."""
        return self.filter(active=True, category__active=True, published_at__lte=now or timezone.now())


class News(TranslatedTextMixin, Authored):
    title = models.CharField(_("title"), max_length=200)
    title_pt_br = models.CharField(_("title (Portuguese)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    category = models.ForeignKey(
        NewsCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="news"
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("The item appears in the portal from this moment on; a future date schedules it."),
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(
        _("description"),
        help_text=_("Plain text or Markdown (**bold**, *italic*, lists, links). HTML is shown as text."),
    )
    description_pt_br = models.TextField(_("description (Portuguese)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The News page (newest first), its category filter and the home page's latest three.
            models.Index(fields=["active", "-published_at", "-id"], name="news_active_recent"),
            models.Index(fields=["category", "active", "-published_at", "-id"], name="news_category_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self._translated("title")

    @property
    def display_description(self) -> str:
        return self._translated("description")
