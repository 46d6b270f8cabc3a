"""Abstract models shared by the apps."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Authored(models.Model):
    """Who created and last changed a row administrators write, and when (the admin fills the
    users; they stay when the user is deleted, as empty)."""

    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class SingleUseToken(models.Model):
    """A single-use, expiring secret link sent by e-mail (survey links, approval links). Only the
    SHA-256 of the token is stored: the database alone cannot open the link. Create, find and
    consume through :mod:`core.tokens`; the concrete model adds what the link is for."""

    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires on"))
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def is_usable(self, now: datetime | None = None) -> bool:
        """Not used yet and not expired at ``now``."""
        return self.used_at is None and self.expires_at > (now or timezone.now())
