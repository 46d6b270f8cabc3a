"""In-portal notifications (the bell, My notifications): the one write other features use
(:func:`notification_upsert`), the receipts, and the e-mails of "Notify by e-mail", which this app
writes to the outbox (:func:`notification_emails_queue`; the outbox sends them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from core.urls import absolute_url
from core.versions import GLOBAL_NOTIFICATIONS, user_version_key, version_bump
from outbox.models import EmailTemplate, EmailTemplateTranslation, OutboundEmail
from outbox.services import email_queue_bulk, enqueue, enqueue_on_commit, user_language
from push.services import push_enabled, push_queue

from .models import Notification, NotificationReceipt
from .selectors import notification_recipients

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# The default template of notification e-mails, created by migration 0003 (texts editable in the admin).
NOTIFICATION_TEMPLATE_NAME = "Portal notification"

NOTIFICATION_PLACEHOLDERS = ("TITLE", "SHORTDESCRIPTION", "DESCRIPTION", "LINK", "USERNAME")


@transaction.atomic
def notification_upsert(
    *,
    title: str,
    short_description: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    requires_confirmation: bool = False,
    notify_by_email: bool = False,
    email_template: EmailTemplate | None = None,
    active: bool = True,
    target_users: Iterable | None = None,
    target_groups: Iterable | None = None,
    key: str | None = None,
    notification: Notification | None = None,
    actor: User | None = None,
) -> Notification:
    """Create or update a notification and keep its e-mails in step; the one write other features use.

    Give ``notification`` to update it, or a stable ``key`` (``"campaign:12"``) to create it the first
    time and update the same row afterwards. ``target_users`` / ``target_groups`` replace the targets
    (None keeps them; both empty: every user). With ``notify_by_email`` each target gets one e-mail
    once the period runs (:func:`notification_emails_schedule`); saving again e-mails only targets
    that have not had it. ``email_template`` defaults to the current one, else the default
    notification template.
    """
    if notification is None and key is not None:
        notification = Notification.objects.select_for_update().filter(key=key).first()
    if notification is None:
        notification = Notification(key=key)
    if notification._state.adding:
        notification.created_by = actor
    if notify_by_email and email_template is None:
        email_template = notification.email_template or notification_default_email_template()
    notification.title = title
    notification.short_description = short_description
    notification.description = description
    notification.starts_at = starts_at
    notification.ends_at = ends_at
    notification.requires_confirmation = requires_confirmation
    notification.notify_by_email = notify_by_email
    if email_template is not None:
        notification.email_template = email_template
    notification.active = active
    notification.updated_by = actor
    notification.full_clean()
    notification.save()
    if target_users is not None:
        notification.target_users.set(target_users)
    if target_groups is not None:
        notification.target_groups.set(target_groups)
    notification_emails_schedule(notification=notification)
    version_bump(GLOBAL_NOTIFICATIONS)  # every user's bell (portal/shell.py)
    return notification


# Its texts when it has to be (re)created; migration 0003 creates it with the same texts.
NOTIFICATION_TEMPLATE_TEXTS = {
    "en": (
        "${TITLE}",
        "Hello ${USERNAME},\n\n${SHORTDESCRIPTION}\n\n${DESCRIPTION}\n\nRead it in Smart Portal: ${LINK}",
    ),
    "pt-br": (
        "${TITLE}",
        "Olá ${USERNAME},\n\n${SHORTDESCRIPTION}\n\n${DESCRIPTION}\n\nLeia no Smart Portal: ${LINK}",
    ),
    "es": (
        "${TITLE}",
        "Hola ${USERNAME}:\n\n${SHORTDESCRIPTION}\n\n${DESCRIPTION}\n\nLéala en Smart Portal: ${LINK}",
    ),
}


def notification_default_email_template() -> EmailTemplate:
    """The active default template of notification e-mails (created by migration 0003, texts
    editable in the admin); created again with its default texts if it was deleted."""
    template = (
        EmailTemplate.objects.filter(name=NOTIFICATION_TEMPLATE_NAME, active=True).order_by("pk").first()
    )
    if template is not None:
        return template
    with transaction.atomic():
        subject, body = NOTIFICATION_TEMPLATE_TEXTS["en"]
        template = EmailTemplate.objects.create(name=NOTIFICATION_TEMPLATE_NAME, subject=subject, body=body)
        EmailTemplateTranslation.objects.bulk_create(
            EmailTemplateTranslation(template=template, language=lang, subject=texts[0], body=texts[1])
            for lang, texts in NOTIFICATION_TEMPLATE_TEXTS.items()
            if lang != "en"
        )
    return template


def _wants_pushes(notification: Notification) -> bool:
    """A notification the user must confirm is also pushed to their devices (push/, issue 26)."""
    return notification.requires_confirmation and push_enabled()


def notification_emails_schedule(*, notification: Notification) -> bool:
    """After a save (in its transaction): with Notify by e-mail (or Requires confirmation while push is
    on) on an active notification, mark its e-mails and pushes pending and, when the period already
    runs, have a worker write them once this commits. A period that starts later is picked up by the
    beat task :func:`notification_emails_dispatch_due`. Returns whether anything is pending."""
    if not ((notification.notify_by_email or _wants_pushes(notification)) and notification.active):
        return False
    now = timezone.now()
    if notification.ends_at is not None and notification.ends_at <= now:
        return False
    Notification.objects.filter(pk=notification.pk).update(emails_pending=True)
    notification.emails_pending = True
    if notification.starts_at <= now:
        from .tasks import notification_emails_task  # the tasks call this module

        enqueue_on_commit(notification_emails_task, notification.pk, what=f"notification {notification.pk}")
    return True


def notification_email_context(*, notification: Notification, user: User) -> dict[str, str]:
    return {
        "TITLE": notification.title,
        "SHORTDESCRIPTION": notification.short_description,
        "DESCRIPTION": notification.description,
        "LINK": absolute_url(reverse("notifications:detail", kwargs={"pk": notification.pk})),
        "USERNAME": user.display_name,
    }


def notification_emails_queue(*, notification_id: int, now: datetime | None = None) -> int | None:
    """Write a notification's e-mails to the outbox, one per target user, once.

    In one transaction: the notification is claimed (``emails_pending``, row locked, skipped when
    another worker holds it); when its period runs, one ``OutboundEmail`` per target user that has
    none yet is inserted (idempotency key ``notification:<id>:<user id>``, with ``:campaign`` after it
    for a campaign's announcement, so a second save or a
    second run adds only new targets) and the flag is cleared; the sends are enqueued on commit.
    A notification to confirm also queues its pushes here (:func:`notification_pushes_queue`).
    A period that has not started leaves the flag for the beat task; an inactive or ended one
    clears it without e-mails. Returns how many e-mails were written, None when nothing was done.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("email_template")
            .filter(pk=notification_id, emails_pending=True)
            .first()
        )
        if notification is None or notification.starts_at > now:
            return None
        written = 0
        template = notification.email_template
        if notification.is_running(now) and _wants_pushes(notification):
            notification_pushes_queue(notification=notification)
        if notification.notify_by_email and (template is None or not template.active):
            logger.warning("notification %s: no active e-mail template, no e-mail is sent", notification.pk)
        elif notification.notify_by_email and notification.is_running(now):
            prefix = f"notification:{notification.pk}:"
            # A campaign's announcement is a kind of its own in the preferences (outbox/preferences.py).
            suffix = ":campaign" if notification.is_campaign_announcement else ""
            # The users already e-mailed, whatever their key's suffix (keys written before campaigns
            # were a kind of their own had none).
            done = {
                key[len(prefix) :].partition(":")[0]
                for key in OutboundEmail.objects.filter(idempotency_key__startswith=prefix).values_list(
                    "idempotency_key", flat=True
                )
            }
            rows = []
            for user in notification_recipients(notification=notification).iterator(chunk_size=2000):
                if str(user.pk) in done:
                    continue
                key = f"{prefix}{user.pk}{suffix}"
                rows.append(
                    OutboundEmail(
                        idempotency_key=key,
                        recipient=user.email,
                        language=user_language(user),
                        template=template,
                        context=notification_email_context(notification=notification, user=user),
                    )
                )
            # Only this function writes these keys, under the notification's row lock: no conflict.
            written = len(email_queue_bulk(rows))
        Notification.objects.filter(pk=notification.pk).update(emails_pending=False)
    return written


PUSH_BODY = gettext_lazy("Please read and confirm this notification.")


def notification_pushes_queue(*, notification: Notification) -> int:
    """Tell the target users' push devices that a notification awaits their confirmation: its title
    and a fixed text, once per notification and device (push.services.push_queue's key), so a second
    save or run pushes only devices that have not had it. In the caller's transaction (the claim of
    :func:`notification_emails_queue`). Returns how many pushes were queued."""
    url = reverse("notifications:detail", kwargs={"pk": notification.pk})
    queued = 0
    users = notification_recipients(notification=notification, with_email=False).iterator(chunk_size=2000)
    while chunk := list(islice(users, 2000)):
        queued += len(
            push_queue(
                users=chunk,
                event=f"notification:{notification.pk}",
                url=url,
                title=notification.title,
                body=PUSH_BODY,
            )
        )
    return queued


def notification_emails_dispatch_due(*, now: datetime | None = None) -> int:
    """Beat: enqueue the e-mail writing of notifications whose period has started while their e-mails
    are pending (a later start, or a task lost with the broker). Returns how many were enqueued."""
    from .tasks import notification_emails_task  # the tasks call this module

    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(emails_pending=True, starts_at__lte=now)
        .order_by("starts_at", "id")
        .values_list("pk", flat=True)[:500]
    )
    return sum(enqueue(notification_emails_task, pk, what=f"notification {pk}") for pk in ids)


def _receipt_for_update(*, notification: Notification, user: User) -> NotificationReceipt:
    receipt, _created = NotificationReceipt.objects.get_or_create(notification=notification, user=user)
    return NotificationReceipt.objects.select_for_update().get(pk=receipt.pk)


@transaction.atomic
def notification_mark_viewed(*, notification: Notification, user: User) -> None:
    """Record that ``user`` opened the notification; the first time is kept (a receipt may exist
    without a viewing time: the after-login dialog was closed; another tab may be opening it now)."""
    now = timezone.now()
    receipt, created = NotificationReceipt.objects.get_or_create(
        notification=notification, user=user, defaults={"viewed_at": now}
    )
    if not created and receipt.viewed_at is None:
        NotificationReceipt.objects.filter(pk=receipt.pk, viewed_at__isnull=True).update(viewed_at=now)
    version_bump(user_version_key(user.pk))  # the user's bell (portal/shell.py)


@transaction.atomic
def notification_confirm(*, notification: Notification, user: User) -> NotificationReceipt:
    """Mark as read: record that ``user`` confirmed the notification (and viewed it, if not yet)."""
    if not notification.requires_confirmation:
        raise ApplicationError(_("This notification does not require confirmation."))
    receipt = _receipt_for_update(notification=notification, user=user)
    now = timezone.now()
    fields = []
    if receipt.viewed_at is None:
        receipt.viewed_at = now
        fields.append("viewed_at")
    if receipt.confirmed_at is None:
        receipt.confirmed_at = now
        fields.append("confirmed_at")
    if fields:
        receipt.save(update_fields=fields)
    version_bump(user_version_key(user.pk))  # the user's bell (portal/shell.py)
    return receipt


@transaction.atomic
def notification_dialog_close(*, notification: Notification, user: User) -> NotificationReceipt:
    """The after-login dialog was closed: it is not shown again for this notification."""
    receipt = _receipt_for_update(notification=notification, user=user)
    if receipt.dialog_closed_at is None:
        receipt.dialog_closed_at = timezone.now()
        receipt.save(update_fields=["dialog_closed_at"])
    version_bump(user_version_key(user.pk))  # the user's bell (portal/shell.py)
    return receipt
