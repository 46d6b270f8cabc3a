"""The notification pipeline (docs/architecture.md, "The outbox and the tasks"): nothing lost,
nothing twice.

1. A transaction saves one ``OutboundEmail`` row per recipient (:func:`email_queue`) together with
   what caused them, or marks the cause as done: a rolled-back transaction leaves no row, a
   committed one always leaves its rows. For an occurrence registered through the portal, the
   request only saves the occurrence with ``emails_pending`` (it is the outbox entry of its
   e-mails) and the worker's transaction writes the rows and clears the flag
   (:func:`tickets.services.occurrences.occurrence_emails_write`, swept by beat when its task was lost).
2. ``transaction.on_commit(..., robust=True)`` enqueues :func:`notifications.tasks.email_send_task`
   with the row id; a dead broker is only logged and the row stays ``PENDING``.
3. :func:`email_send` claims the row (``select_for_update(skip_locked=True)``, ``PENDING`` →
   ``SENDING``), renders it in the recipient's language, sends it and marks it ``SENT``.
   The beat task (:func:`email_dispatch_pending`) re-enqueues rows left ``PENDING`` (broker was
   down, retries interrupted) and returns rows stuck in ``SENDING`` (worker killed mid-send) to
   ``PENDING``.

The context stored on a row holds raw placeholder values; subject and body are rendered at send
time from the template (see :mod:`notifications.rendering`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from outbox.models import EmailTemplate, EmailTemplateTranslation, OutboundEmail
from parameters.accessors import param
from parameters.registry import OCCURRENCE_EMAIL_TEMPLATE, REQUESTER_OCCURRENCE_TEMPLATE, Param

from .models import Notification, NotificationReceipt

logger = logging.getLogger(__name__)

# The default template of notification e-mails, created by migration 0002 (texts editable in the admin).
NOTIFICATION_TEMPLATE_NAME = "Portal notification"

# Exceptions that mean "the mail server could not take it now": retried with backoff.
TRANSIENT_SEND_ERRORS: tuple[type[BaseException], ...] = (SMTPException, OSError)

# The placeholders an occurrence e-mail offers (shown in the admin's help text).
OCCURRENCE_PLACEHOLDERS = (
    "IDSERVICEREQUEST",
    "REQUESTERNAME",
    "REQUESTRESPONSIBLENAME",
    "SITUACAO",
    "DATAHORALIMITESTR",
    "LINKSOLICITACAOSERVICO",
    "OCCURRENCE",
    "CATEGORY",
    "AUTHOR",
    "TITLE",
    "SERVICE",
)


# --- queueing ------------------------------------------------------------------------------


def user_language(user) -> str:
    """The language a user reads e-mail in: their preferred language, else the site default."""
    return (getattr(user, "preferred_language", "") if user is not None else "") or settings.LANGUAGE_CODE


def email_queue(
    *,
    template: EmailTemplate,
    context: dict,
    idempotency_key: str,
    recipient_user=None,
    address: str | None = None,
    language: str | None = None,
) -> OutboundEmail | None:
    """Insert an ``OutboundEmail(PENDING)`` in the caller's transaction and enqueue it on commit.

    Give ``recipient_user`` (its e-mail and preferred language are used) or ``address``.
    The same ``idempotency_key`` twice queues one e-mail: the existing row is returned and nothing
    is enqueued again. Returns None when there is no address to send to.
    """
    recipient = address or (recipient_user.email if recipient_user is not None else "")
    if not recipient:
        logger.warning("e-mail %s not queued: the recipient has no e-mail address", idempotency_key)
        return None
    if language is None:
        language = user_language(recipient_user)
    try:
        # Insert first (the key is unique): a second queueing of the same key, concurrent or not,
        # fails here and gets the existing row. A savepoint keeps the caller's transaction usable.
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                status=OutboundEmail.Status.PENDING,
                idempotency_key=idempotency_key,
                recipient=recipient,
                language=language,
                template=template,
                context=context,
            )
    except IntegrityError:
        return OutboundEmail.objects.get(idempotency_key=idempotency_key)
    _on_commit_enqueue(email.pk)
    return email


# Circuit breaker of the web side: after a failed publish, skip publishing for a while (the rows
# stay PENDING for the dispatcher), so a request queueing several e-mails waits for at most one
# broker timeout, and the following requests for none.
_broker_down_until = 0.0


def broker_breaker_reset() -> None:
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue(task, *args, what: str) -> bool:
    """Publish ``task`` with ``args``; False when the broker could not take it (logged, not raised:
    the caller's rows stay pending for a dispatcher). Shares the web side's circuit breaker."""
    global _broker_down_until

    eager = bool(task.app.conf.task_always_eager)
    if not eager and time.monotonic() < _broker_down_until:
        logger.warning(
            "%s: broker recently unreachable, not enqueued; it stays pending for the dispatcher", what
        )
        return False
    try:
        # The representation of the ids is given: Celery's own (saferepr) costs a quarter of a publish.
        task.apply_async(args, argsrepr=repr(args), kwargsrepr="{}")
    except Exception as exc:
        if not eager:
            _broker_down_until = time.monotonic() + getattr(settings, "OUTBOX_BROKER_RETRY_AFTER_SECONDS", 15)
        logger.error(
            "%s: could not enqueue %s (%s: %s); it stays pending and the dispatcher will enqueue it again",
            what,
            task.name,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args, what: str) -> None:
    """:func:`enqueue` once the caller's transaction commits (at once outside one).

    A ``partial(email_send_task.delay, email.id)`` would do; but a ``functools.partial`` has no
    ``__qualname__``, and Django 5.2 reads it when a robust callback fails (to log it), so a dead
    broker would turn into an AttributeError after the commit. A named closure avoids that, and
    :func:`enqueue` logs the broker error itself anyway.
    """

    def enqueue_after_commit() -> None:
        enqueue(task, *args, what=what)

    transaction.on_commit(enqueue_after_commit, robust=True)


def _on_commit_enqueue(email_id: int) -> None:
    from .tasks import email_send_task

    enqueue_on_commit(email_send_task, email_id, what=f"e-mail {email_id}")


def email_template_for(p: Param, *, required: bool = False) -> EmailTemplate | None:
    """The active e-mail template a parameter names, or None (with a warning when it is unusable;
    only when ``required`` for an empty parameter)."""
    pk = param(p)
    if pk is None:
        if required:
            logger.warning("parameter %s (%s) is empty: no e-mail is sent", p.number, p.key)
        return None
    template = EmailTemplate.objects.filter(pk=pk).first()  # its texts are read at send time
    if template is None:
        logger.warning(
            "parameter %s (%s) names e-mail template %s, which does not exist: no e-mail is sent",
            p.number,
            p.key,
            pk,
        )
        return None
    if not template.active:
        logger.warning(
            "parameter %s (%s) names e-mail template %s, which is inactive: no e-mail is sent",
            p.number,
            p.key,
            pk,
        )
        return None
    return template


def ticket_link(ticket) -> str:
    """Absolute link to the ticket in My Requests (SITE_URL + path)."""
    try:
        path = reverse("tickets:description", args=[ticket.pk])
    except NoReverseMatch:
        path = "/my-requests/"
    return settings.SITE_URL.rstrip("/") + path


def _display_name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", None) or user.get_full_name() or user.get_username()


def ticket_context(*, ticket, language: str, link: str = "", **extra: str) -> dict[str, str]:
    """The ticket placeholders (as for occurrences) in ``language``, with ``LINKSOLICITACAOSERVICO`` set to
    ``link`` when given, plus ``extra`` placeholders (upper-case names)."""
    with translation.override(language):
        deadline = ""
        if ticket.time_limit:
            deadline = formats.date_format(timezone.localtime(ticket.time_limit), "SHORT_DATETIME_FORMAT")
        context = {
            "IDSERVICEREQUEST": str(ticket.pk),
            "REQUESTERNAME": _display_name(ticket.requester),
            "REQUESTRESPONSIBLENAME": _display_name(ticket.responsible),
            "SITUACAO": str(ticket.get_situation_display()),
            "DATAHORALIMITESTR": deadline,
            "LINKSOLICITACAOSERVICO": link or ticket_link(ticket),
            "TITLE": ticket.title,
            "SERVICE": ticket.service.name if ticket.service_id else "",
        }
    context.update({k: "" if v is None else str(v) for k, v in extra.items()})
    return context


def occurrence_context(*, occurrence, language: str) -> dict[str, str]:
    """Placeholder values for an occurrence e-mail: the ticket's (:func:`ticket_context`) plus the
    occurrence's text, category (in ``language``) and author."""
    with translation.override(language):
        category = str(occurrence.category.label) if occurrence.category_id else ""
    return ticket_context(
        ticket=occurrence.ticket,
        language=language,
        OCCURRENCE=occurrence.text,
        CATEGORY=category,
        AUTHOR=_display_name(occurrence.author),
    )


def occurrence_responsible_recipients(ticket) -> list:
    """Who answers for the ticket: its responsible, or before capture the active members of its
    current group that have an e-mail address."""
    if ticket.responsible_id:
        r = ticket.responsible
        return [r] if r.is_active and r.email else []
    if ticket.current_group_id is None:
        return []
    # By the group's id: the group row itself is not needed.
    return list(
        get_user_model()
        .objects.filter(groups=ticket.current_group_id, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def email_queue_for_occurrence(*, occurrence, notify_responsible: bool) -> list[OutboundEmail]:
    """Queue the e-mails an occurrence registered through the portal causes.

    When ``notify_responsible`` is ticked:

    - the ticket's responsible (before capture: the active members of the current group that have
      an e-mail) gets the template of parameter 253;
    - the requester gets the template of parameter 251 when it is set (docs/domain.md, "My Requests":
      so that "the service requestor receives an e-mail" holds). Unticked, nobody is e-mailed.

    An empty, missing or inactive template id means no e-mail for that recipient and a warning in
    the log; the occurrence itself is saved regardless (this function never raises for it).
    Must be called inside the transaction that saved the occurrence; the rows share its fate.
    Returns the OutboundEmail rows (one per recipient; an existing row for the same key is reused).
    """
    if not notify_responsible:
        return []
    ticket = occurrence.ticket
    plan: list[tuple[EmailTemplate, Any]] = []
    responsible_template = email_template_for(OCCURRENCE_EMAIL_TEMPLATE, required=True)
    if responsible_template is not None:
        recipients = occurrence_responsible_recipients(ticket)
        if not recipients:
            logger.warning(
                "occurrence %s: ticket %s has no responsible nor group member with an e-mail",
                occurrence.pk,
                ticket.pk,
            )
        plan += [(responsible_template, u) for u in recipients]
    requester_template = email_template_for(REQUESTER_OCCURRENCE_TEMPLATE, required=False)
    if requester_template is not None and ticket.requester_id:
        plan.append((requester_template, ticket.requester))

    rows: list[OutboundEmail] = []
    seen: set[str] = set()
    for template, user in plan:
        key = f"occurrence:{occurrence.pk}:{template.pk}:{user.pk}"
        if key in seen:
            continue
        seen.add(key)
        language = user_language(user)
        row = email_queue(
            recipient_user=user,
            template=template,
            idempotency_key=key,
            language=language,
            context=occurrence_context(occurrence=occurrence, language=language),
        )
        if row is not None:
            rows.append(row)
    return rows


# --- sending -------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 10))


def email_send(*, email_id: int) -> OutboundEmail | None:
    """Send one outbox row, at most once.

    Claims the row (``PENDING`` → ``SENDING``, attempts + 1) in its own committed transaction, so
    a concurrent task skips it; returns None when the row is not ``PENDING`` (already sent, in
    flight, failed, or gone). On a transient error (SMTP, network) the row goes back to ``PENDING``
    with ``last_error`` — or to ``FAILED`` once ``OUTBOX_MAX_ATTEMPTS`` attempts are used — and the
    exception propagates so the task retries with backoff. Any other error (a rendering bug) marks
    the row ``FAILED`` at once.
    """
    from .rendering import render_email

    Status = OutboundEmail.Status
    with transaction.atomic():
        # No select_related here: FOR UPDATE would lock the joined template row as well, and a
        # concurrent claim of another e-mail of the same template would be skipped.
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=Status.PENDING)
            .first()
        )
        if email is None:
            return None
        email.status = Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts", "updated_at"])
    connection = get_connection(fail_silently=False)
    try:
        try:
            connection.open()
            render_email(email, connection=connection).send(fail_silently=False)
        except Exception as exc:
            transient = isinstance(exc, TRANSIENT_SEND_ERRORS)
            email.status = Status.PENDING if transient and email.attempts < max_attempts() else Status.FAILED
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.save(update_fields=["status", "last_error", "updated_at"])
            logger.warning(
                "e-mail %s to %s: attempt %s failed (%s), now %s",
                email.pk,
                email.recipient,
                email.attempts,
                email.last_error,
                email.status,
            )
            raise
        # The server has accepted the message (its reply to DATA): record it now, before QUIT, so
        # the only moment a killed worker leaves a delivered e-mail unrecorded (and the dispatcher
        # sends it again, with the same Message-ID) is this one UPDATE, not a round trip more.
        email.status = Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    finally:
        try:
            connection.close()
        except Exception as exc:  # QUIT after the message was accepted: nothing left to do
            logger.info("e-mail %s: closing the mail connection failed (%s)", email.pk, exc)
    return email


def email_mark_failed(*, email_id: int, error: str) -> None:
    """Final failure (retries exhausted): a row still ``PENDING``/``SENDING`` becomes ``FAILED``."""
    OutboundEmail.objects.filter(
        pk=email_id, status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING]
    ).update(status=OutboundEmail.Status.FAILED, last_error=error[:2000], updated_at=timezone.now())


def email_resend(*, emails) -> list[int]:
    """Admin "Send again": ``FAILED`` rows back to ``PENDING`` (attempts reset), enqueued on commit."""
    ids = [e.pk for e in emails if e.status == OutboundEmail.Status.FAILED]
    OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, attempts=0, updated_at=timezone.now()
    )
    for pk in ids:
        _on_commit_enqueue(pk)
    return ids


def email_dispatch_pending(*, now=None) -> int:
    """Re-enqueue rows left behind; returns how many were enqueued.

    - ``SENDING`` rows untouched for ``OUTBOX_SENDING_STUCK_AFTER_SECONDS`` (worker killed mid-send)
      go back to ``PENDING``. If the kill came exactly between the SMTP server's acceptance and the
      ``SENT`` commit, the mail goes out twice; both copies carry the row's Message-ID, so MTAs and
      clients that de-duplicate on it drop the second. The threshold is far above the task time
      limit, so a live send is never reclaimed.
    - ``PENDING`` rows untouched for ``OUTBOX_STALE_AFTER_SECONDS`` (broker was down at commit,
      a retry message was lost) are enqueued again. A duplicate message is harmless: the claim
      lets only one task send.
    """
    now = now or timezone.now()
    Status = OutboundEmail.Status
    stale = timedelta(seconds=settings.OUTBOX_STALE_AFTER_SECONDS)
    stuck = timedelta(seconds=getattr(settings, "OUTBOX_SENDING_STUCK_AFTER_SECONDS", 600))
    reclaimed = OutboundEmail.objects.filter(status=Status.SENDING, updated_at__lt=now - stuck).update(
        status=Status.PENDING, last_error="Reclaimed: left in SENDING (worker lost?)", updated_at=now
    )
    if reclaimed:
        logger.warning("outbox: %s e-mail(s) stuck in SENDING returned to PENDING", reclaimed)
    ids = list(
        OutboundEmail.objects.filter(status=Status.PENDING, updated_at__lte=now - stale)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:1000]
    )
    # Reclaimed rows were just touched; enqueue them now too.
    if reclaimed:
        ids += [
            pk
            for pk in OutboundEmail.objects.filter(status=Status.PENDING, updated_at=now).values_list(
                "pk", flat=True
            )
            if pk not in ids
        ]
    from .tasks import email_send_task

    sent = 0
    for pk in ids:
        try:
            email_send_task.delay(pk)
        except Exception:
            logger.exception("outbox: could not enqueue e-mail %s; will try again on the next run", pk)
            break
        sent += 1
    return sent


# --- helpers for other apps' e-mails --------------------------------------------------------------


# --- in-portal notifications (the bell) --------------------------------------------------------------

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
    actor=None,
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


def notification_emails_schedule(*, notification: Notification) -> bool:
    """After a save (in its transaction): with Notify by e-mail on an active notification, mark its
    e-mails pending and, when the period already runs, have a worker write them once this commits.
    A period that starts later is picked up by the beat task
    :func:`notification_emails_dispatch_due`. Returns whether e-mails are pending."""
    if not (notification.notify_by_email and notification.active):
        return False
    now = timezone.now()
    if notification.ends_at is not None and notification.ends_at <= now:
        return False
    Notification.objects.filter(pk=notification.pk).update(emails_pending=True)
    notification.emails_pending = True
    if notification.starts_at <= now:
        from .tasks import notification_emails_task

        enqueue_on_commit(notification_emails_task, notification.pk, what=f"notification {notification.pk}")
    return True


def notification_email_context(*, notification: Notification, user) -> dict[str, str]:
    return {
        "TITLE": notification.title,
        "SHORTDESCRIPTION": notification.short_description,
        "DESCRIPTION": notification.description,
        "LINK": settings.SITE_URL.rstrip("/")
        + reverse("notifications:detail", kwargs={"pk": notification.pk}),
        "USERNAME": _display_name(user),
    }


def notification_emails_queue(*, notification_id: int, now: datetime | None = None) -> int | None:
    """Write a notification's e-mails to the outbox, one per target user, once.

    In one transaction: the notification is claimed (``emails_pending``, row locked, skipped when
    another worker holds it); when its period runs, one ``OutboundEmail`` per target user that has
    none yet is inserted (idempotency key ``notification:<id>:<user id>``, so a second save or a
    second run adds only new targets) and the flag is cleared; the sends are enqueued on commit.
    A period that has not started leaves the flag for the beat task; an inactive or ended one
    clears it without e-mails. Returns how many e-mails were written, None when nothing was done.
    """
    from .selectors import notification_recipients

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
        if template is None or not template.active:
            logger.warning("notification %s: no active e-mail template, no e-mail is sent", notification.pk)
        elif notification.is_running(now):
            prefix = f"notification:{notification.pk}:"
            done = set(
                OutboundEmail.objects.filter(idempotency_key__startswith=prefix).values_list(
                    "idempotency_key", flat=True
                )
            )
            rows = []
            for user in notification_recipients(notification=notification).iterator(chunk_size=2000):
                key = f"{prefix}{user.pk}"
                if key in done:
                    continue
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
            for email in OutboundEmail.objects.bulk_create(rows, batch_size=1000):
                _on_commit_enqueue(email.pk)
            written = len(rows)
        Notification.objects.filter(pk=notification.pk).update(emails_pending=False)
    return written


def notification_emails_dispatch_due(*, now: datetime | None = None) -> int:
    """Beat: enqueue the e-mail writing of notifications whose period has started while their e-mails
    are pending (a later start, or a task lost with the broker). Returns how many were enqueued."""
    from .tasks import notification_emails_task

    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(emails_pending=True, starts_at__lte=now)
        .order_by("starts_at", "id")
        .values_list("pk", flat=True)[:500]
    )
    return sum(enqueue(notification_emails_task, pk, what=f"notification {pk}") for pk in ids)


def _receipt_for_update(*, notification: Notification, user) -> NotificationReceipt:
    receipt, _created = NotificationReceipt.objects.get_or_create(notification=notification, user=user)
    return NotificationReceipt.objects.select_for_update().get(pk=receipt.pk)


def notification_mark_viewed(*, notification: Notification, user) -> None:
    """Record that ``user`` opened the notification; the first time is kept.

    At most two statements and no savepoint, as every first opening of a page runs it: an UPDATE of
    a receipt that exists without a viewing time (the login dialog was closed), else an INSERT that
    a concurrent opening (another tab) may already have done (ignored on the unique pair)."""
    now = timezone.now()
    updated = NotificationReceipt.objects.filter(
        notification=notification, user=user, viewed_at__isnull=True
    ).update(viewed_at=now)
    if not updated:
        NotificationReceipt.objects.bulk_create(
            [NotificationReceipt(notification=notification, user=user, viewed_at=now)], ignore_conflicts=True
        )


@transaction.atomic
def notification_confirm(*, notification: Notification, user) -> NotificationReceipt:
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
    return receipt


@transaction.atomic
def notification_dialog_close(*, notification: Notification, user) -> NotificationReceipt:
    """The after-login dialog was closed: it is not shown again for this notification."""
    receipt = _receipt_for_update(notification=notification, user=user)
    if receipt.dialog_closed_at is None:
        receipt.dialog_closed_at = timezone.now()
        receipt.save(update_fields=["dialog_closed_at"])
    return receipt
