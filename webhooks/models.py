"""Webhook subscriptions and their deliveries (docs/architecture.md, "Webhooks").

A delivery row is the webhook's outbox entry, as ``outbox.models.OutboundEmail`` is an e-mail's:
written in the transaction of the ticket event that causes it, sent by a task after the commit,
claimed before each attempt so that it is never sent again once a receiver answered 2xx.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """The ticket events a subscription may ask for; the value is the body's ``type``."""

    TICKET_OPENED = "ticket.opened", _("Ticket opened")
    SITUATION_CHANGED = "ticket.situation_changed", _("Situation changed")
    OCCURRENCE_REGISTERED = "ticket.occurrence_registered", _("Occurrence registered")
    MESSAGE = "ticket.message", _("Message")
    APPROVAL_DECIDED = "ticket.approval_decided", _("Approval decided")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """An administrator's subscription of a URL to ticket events."""

    name = models.CharField(_("name"), max_length=150)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_(
            "https:// address that receives a POST per event; private and loopback addresses are refused."
        ),
    )
    events = models.JSONField(_("events"), default=list, help_text=_("The event types sent to this URL."))
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Signs every delivery (HMAC-SHA256); give it to the receiver to verify the signature."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event for one subscription: the body is fixed when queued, signed again at each attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # "<subscription id>:<event id>": the same event queued twice for one subscription is one row.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4)
    event_type = models.CharField(_("event"), max_length=40, choices=Event.choices)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} [{self.get_status_display()}]"
