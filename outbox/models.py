"""The outbox's tables: the administrators' e-mail templates and one row per e-mail to send.

They were declared in ``notifications`` until the outbox got its own app; the tables kept their
names (``db_table``), so no data moved.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailTemplate(models.Model):
    """An administrator's e-mail template. Subject and body use ``${PLACEHOLDER}`` fields.

    The texts here are the default; a translation per language may override them.
    """

    name = models.CharField(_("name"), max_length=150)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(
        _("body"), help_text=_("Placeholders such as ${IDSERVICEREQUEST}, ${REQUESTERNAME}.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "notifications_emailtemplate"  # the table it had in notifications (data kept)
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.pk} — {self.name}"

    def texts_for(self, language: str | None) -> tuple[str, str]:
        """(subject, body) in ``language`` when translated, else the default texts."""
        if language:
            for tr in self.translations.all():
                if tr.language == language:
                    return tr.subject, tr.body
        return self.subject, self.body


class EmailTemplateTranslation(models.Model):
    template = models.ForeignKey(
        EmailTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))

    class Meta:
        db_table = "notifications_emailtemplatetranslation"
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["template", "language"], name="emailtemplate_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} [{self.language}]"


class OutboundEmail(models.Model):
    """The outbox: one row per e-mail to send, written in the same transaction as its cause."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    template = models.ForeignKey(
        EmailTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="outbound"
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True, default="")
    # Headers the cause adds (the inbound auto-reply's Auto-Submitted, In-Reply-To, References:
    # inbound/autoreply.py); rendering never lets them replace Message-ID.
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    class Meta:
        db_table = "notifications_outboundemail"
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbound_status_created"),
            # Our own e-mails coming back are recognised by their Message-ID (inbound/services.py).
            models.Index(fields=["message_id"], name="outbound_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} [{self.get_status_display()}]"

    def save(self, *args, **kwargs):
        if not self.message_id:
            domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "smartportal.local"
            self.message_id = f"<{uuid.uuid4().hex}@{domain}>"
        super().save(*args, **kwargs)


class EmailKind(models.TextChoices):
    """The optional e-mails a user may turn off (user menu → Notification preferences; the
    one-click unsubscribe link of each such e-mail). The mandatory ones (approval requests to
    approvers, password reset, survey invitations and anything not listed here) are always sent."""

    OCCURRENCES = "occurrences", _("Occurrences on my requests")
    MESSAGES = "messages", _("Messages on my requests")
    APPROVALS = "approvals", _("Approval decisions on my requests")
    NOTIFICATIONS = "notifications", _("Portal notifications")
    CAMPAIGNS = "campaigns", _("Campaign announcements (surveys open for me)")
    CHAT = "chat", _("Chat messages while I was away")


class EmailPreference(models.Model):
    """A user's choice for one kind; no row means the e-mails are sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_preferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind.choices)
    enabled = models.BooleanField(_("receive e-mails"), default=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="emailpreference_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.enabled}"
