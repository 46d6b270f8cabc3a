from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Authored
from outbox.models import EmailTemplate

#: The source key of a campaign's announcement (``campaign:<id>``, campaigns/services.py): its e-mails
#: are of their own kind, "Campaign announcements", in the notification preferences (outbox/models.py).
CAMPAIGN_KEY_PREFIX = "campaign:"


class NotificationState:
    """The four states of a notification for the user who reads it, each with its icon (Bootstrap
    Icons) and its text."""

    NOT_VIEWED = "not-viewed"
    VIEWED = "viewed"
    REQUIRES_CONFIRMATION = "requires-confirmation"
    CONFIRMED = "confirmed"

    LABELS = {
        NOT_VIEWED: _("Not viewed"),
        VIEWED: _("Viewed"),
        REQUIRES_CONFIRMATION: _("Requires confirmation"),
        CONFIRMED: _("Confirmed"),
    }
    ICONS = {
        NOT_VIEWED: "bi-envelope",
        VIEWED: "bi-envelope-open",
        REQUIRES_CONFIRMATION: "bi-exclamation-circle",
        CONFIRMED: "bi-check-circle",
    }
    ORDER = (NOT_VIEWED, VIEWED, REQUIRES_CONFIRMATION, CONFIRMED)


class Notification(Authored):
    """An administrator's alert shown in the portal's bell and on My notifications.

    Visible while ``active`` and ``starts_at <= now < ends_at`` (no end: until deactivated), to its
    target users and the members of its target groups; with no target at all, to every user
    (``notifications.selectors``). ``emails_pending`` is the outbox entry of its "Notify by e-mail":
    set when saved with that option, cleared by the transaction that writes the e-mails
    (``notifications.services.notification_emails_queue``), also when the period starts later.
    """

    title = models.CharField(_("title"), max_length=200)
    short_description = models.CharField(
        _("short description"), max_length=300, help_text=_("The subject, shown in the bell and in lists.")
    )
    description = models.TextField(
        _("notification description"),
        help_text=_("Plain text or Markdown (**bold**, *italic*, lists, links). HTML is shown as text."),
    )
    requires_confirmation = models.BooleanField(
        _("requires confirmation"),
        default=False,
        help_text=_("Each user must confirm having read it (Mark as read); the bell counts the unconfirmed."),
    )
    notify_by_email = models.BooleanField(
        _("notify by e-mail"),
        default=False,
        help_text=_("Each target user receives one e-mail when the publication period starts."),
    )
    email_template = models.ForeignKey(
        EmailTemplate,
        verbose_name=_("e-mail template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_(
            "Used with Notify by e-mail. Placeholders: ${TITLE}, ${SHORTDESCRIPTION}, ${DESCRIPTION}, "
            "${LINK}, ${USERNAME}."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    starts_at = models.DateTimeField(_("publication start"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("publication end"), null=True, blank=True, help_text=_("Empty: shown until deactivated.")
    )
    target_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("target users"),
        blank=True,
        related_name="targeted_notifications",
    )
    target_groups = models.ManyToManyField(
        Group,
        verbose_name=_("target groups"),
        blank=True,
        related_name="notifications",
        help_text=_("Without target users or groups the notification is for every user."),
    )
    key = models.CharField(
        _("source key"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when another feature (a campaign) keeps this notification in step with its own record."
        ),
    )
    emails_pending = models.BooleanField(_("e-mails pending"), default=False, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-starts_at", "-id"]
        indexes = [
            # The bell and My notifications: the running ones, newest first.
            models.Index(fields=["active", "-starts_at", "-id"], name="notification_active_recent"),
            # The beat task's search for e-mails still to write.
            models.Index(
                fields=["starts_at"], name="notification_emails_pending", condition=Q(emails_pending=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="notification_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        """The state for the user whose receipt notifications.selectors annotated
        (``my_viewed_at``, ``my_confirmed_at``)."""
        return self.state_for(
            viewed=getattr(self, "my_viewed_at", None) is not None,
            confirmed=getattr(self, "my_confirmed_at", None) is not None,
        )

    def state_for(self, *, viewed: bool, confirmed: bool) -> str:
        return notification_state(self.requires_confirmation, viewed=viewed, confirmed=confirmed)

    def clean(self) -> None:
        errors = {}
        if self.ends_at is not None and self.starts_at is not None and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end of the publication must come after its start.")
        if self.notify_by_email and self.email_template_id is None:
            errors["email_template"] = _("Choose the e-mail template sent with Notify by e-mail.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_campaign_announcement(self) -> bool:
        return bool(self.key and self.key.startswith(CAMPAIGN_KEY_PREFIX))

    def is_running(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.active and self.starts_at <= now and (self.ends_at is None or now < self.ends_at)


class NotificationReceipt(models.Model):
    """What one user did with one notification: when first viewed, when confirmed (Mark as read), and
    when the after-login dialog was closed. No row: not viewed."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_receipts",
    )
    viewed_at = models.DateTimeField(_("viewed on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    dialog_closed_at = models.DateTimeField(_("login dialog closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification reader")
        verbose_name_plural = _("notification readers")
        ordering = ["-viewed_at", "-id"]
        constraints = [
            # Also the index of every "this user's receipt of this notification" lookup.
            models.UniqueConstraint(fields=["notification", "user"], name="notificationreceipt_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} / {self.user_id}"


def notification_state(requires_confirmation: bool, *, viewed: bool, confirmed: bool) -> str:
    """One that requires confirmation shows *requires confirmation* until viewed, then *viewed*
    until confirmed with Mark as read; the others go from *not viewed* to *viewed*."""
    if requires_confirmation:
        if confirmed:
            return NotificationState.CONFIRMED
        return NotificationState.VIEWED if viewed else NotificationState.REQUIRES_CONFIRMATION
    return NotificationState.VIEWED if viewed else NotificationState.NOT_VIEWED
