"""Web Push (issue 26; README, "Push notifications"): the devices a user turned push on for, and one
queued push per event and device, written in the same transaction as its cause (the outbox's rule,
docs/architecture.md, "The outbox and the tasks")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """One browser on one device (its Push API subscription): where to send and the keys to encrypt
    for it (RFC 8291). A push service answering 404/410 for it removes it (push.services.push_send)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key (p256dh)"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("push device")
        verbose_name_plural = _("push devices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="push_subscription_user")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.user_agent[:60] or self.endpoint[:60]}"

    def info(self) -> dict:
        """The ``subscription_info`` pywebpush takes."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushMessage(models.Model):
    """The push outbox: one row per (event, device). ``idempotency_key`` is ``<event>:<device id>``,
    so an event is queued once per device however often its cause is processed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=150)
    subscription = models.ForeignKey(
        PushSubscription,
        verbose_name=_("device"),
        on_delete=models.SET_NULL,  # a removed device leaves the row as a record; it is not sent
        null=True,
        blank=True,
        related_name="messages",
    )
    # Only the ticket number and a title (issue 26: no confidential content), already in the
    # recipient's language, and the portal path a click opens.
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("text"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=500)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("push message")
        verbose_name_plural = _("push messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="push_message_status_updated")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} [{self.get_status_display()}]"
