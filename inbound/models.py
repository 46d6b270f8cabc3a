"""The inbound log: one row per message read from the mailbox, keyed by its Message-ID.

The row is inserted in the transaction that writes what the message causes (a message on a
ticket, a new request), so "recorded" and "done" commit together; the move to the Processed or
Rejected folder comes after the commit, and a message read again finds its row and is only moved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundEmail(models.Model):
    class Outcome(models.TextChoices):
        PROCESSED = "processed", _("Processed")
        REJECTED = "rejected", _("Rejected")

    class Action(models.TextChoices):
        NONE = "", _("Nothing")
        REPLY = "reply", _("Reply added to the ticket")
        REOPENED = "reopened", _("Ticket reopened with the reply")
        OPENED = "opened", _("New request opened")
        FOLLOW_UP = "follow_up", _("New request opened, referencing a closed one")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    folder = models.CharField(_("mailbox folder"), max_length=200, blank=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    uid = models.BigIntegerField(_("UID"), null=True, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("read on"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moved_at = models.DateTimeField(_("moved on"), null=True, blank=True)
    auto_reply = models.ForeignKey(
        "outbox.OutboundEmail",
        verbose_name=_("automatic reply"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The reply pointing to the portal sent to an unknown sender (parameter 205)."),
    )

    class Meta:
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mails")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["sender", "received_at"], name="inbound_sender_received"),
            models.Index(fields=["outcome", "received_at"], name="inbound_outcome_received"),
            models.Index(fields=["folder", "uidvalidity", "uid"], name="inbound_mailbox_uid"),
            # "At most one auto-reply per sender and period" (inbound/autoreply.py).
            models.Index(
                fields=["sender", "received_at"],
                name="inbound_sender_auto_replied",
                condition=models.Q(auto_reply__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} [{self.get_outcome_display()}]"
