"""A chat is a ticket and its message thread (``tickets.Message``), plus the few facts a live
conversation adds: how it was started, when it ended and when the "while you were away" e-mail
(parameter 447) was last queued. Nothing said in a chat lives here: it stays on the ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Chat(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="chat"
    )
    direct = models.BooleanField(
        _("direct attendance"),
        default=False,
        help_text=_("Started without choosing a service (parameter 317)."),
    )
    started_at = models.DateTimeField(_("started on"), default=timezone.now)
    closed_at = models.DateTimeField(_("ended on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    away_email_at = models.DateTimeField(_("last away e-mail on"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        ordering = ["-started_at", "-id"]
        indexes = [
            # The console's queue and the Chat page's list: open chats, oldest first.
            models.Index(
                fields=["started_at", "id"], condition=Q(closed_at__isnull=True), name="chat_open_started"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
