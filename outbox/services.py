"""The outbox (docs/architecture.md, "The outbox and the tasks"): nothing lost, nothing twice.

1. A transaction saves one ``OutboundEmail`` row per recipient (:func:`email_queue`,
   :func:`email_queue_bulk`) together with what caused them, or marks the cause as done: a
   rolled-back transaction leaves no row, a committed one always leaves its rows. The cause's own
   app decides what to write (``<entity>_emails_queue``: the recipients, the template, the
   placeholder values and links); the outbox knows nothing of tickets or notifications.
2. ``transaction.on_commit(..., robust=True)`` enqueues :func:`outbox.tasks.email_send_task`
   with the row id; a dead broker is only logged and the row stays ``PENDING``.
3. :func:`email_send` claims the row (``select_for_update(skip_locked=True)``, ``PENDING`` →
   ``SENDING``), renders it in the recipient's language, sends it and marks it ``SENT``.
   The beat task (:func:`email_dispatch_pending`) re-enqueues rows left ``PENDING`` (broker was
   down, retries interrupted) and returns rows stuck in ``SENDING`` (worker killed mid-send) to
   ``PENDING``.

The context stored on a row holds raw placeholder values; subject and body are rendered at send
time from the template (see :mod:`outbox.rendering`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from smtplib import SMTPException
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from parameters.accessors import param
from parameters.registry import Param

from .models import EmailKind, EmailTemplate, OutboundEmail
from .preferences import kind_of_key, opted_out_addresses
from .rendering import render_email

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Exceptions that mean "the mail server could not take it now": retried with backoff.
TRANSIENT_SEND_ERRORS: tuple[type[BaseException], ...] = (SMTPException, OSError)


# --- queueing ------------------------------------------------------------------------------


def user_language(user: User | None) -> str:
    """The language a user reads e-mail in: their preferred language, else the site default."""
    return (getattr(user, "preferred_language", "") if user is not None else "") or settings.LANGUAGE_CODE


def email_queue(
    *,
    template: EmailTemplate,
    context: dict,
    idempotency_key: str,
    recipient_user: User | None = None,
    address: str | None = None,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail | None:
    """Insert an ``OutboundEmail(PENDING)`` in the caller's transaction and enqueue it on commit.

    Give ``recipient_user`` (its e-mail and preferred language are used) or ``address``; ``headers``
    are added to the e-mail (an automatic one says ``Auto-Submitted``).
    The same ``idempotency_key`` twice queues one e-mail: the existing row is returned and nothing
    is enqueued again. Returns None when there is no address to send to.
    """
    recipient = address or (recipient_user.email if recipient_user is not None else "")
    if not recipient:
        logger.warning("e-mail %s not queued: the recipient has no e-mail address", idempotency_key)
        return None
    kind = kind_of_key(idempotency_key)
    if kind is not None and opted_out_addresses(kind, [recipient]):
        logger.info("e-mail %s not queued: the recipient turned %s e-mails off", idempotency_key, kind)
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
                headers=headers or {},
            )
    except IntegrityError:
        return OutboundEmail.objects.get(idempotency_key=idempotency_key)
    _on_commit_enqueue(email.pk)
    return email


def email_queue_bulk(emails: Sequence[OutboundEmail]) -> list[OutboundEmail]:
    """Insert many unsaved ``OutboundEmail(PENDING)`` rows at once, in the caller's transaction, and
    enqueue each on commit. The caller guarantees their idempotency keys are new (it holds the lock
    of their cause); a duplicate key raises ``IntegrityError``. Rows for recipients who turned their
    kind off (:mod:`outbox.preferences`) are left out."""
    by_kind: dict[EmailKind, list[str]] = {}
    for email in emails:
        kind = kind_of_key(email.idempotency_key)
        if kind is not None:
            by_kind.setdefault(kind, []).append(email.recipient)
    out = {(kind, a) for kind, addresses in by_kind.items() for a in opted_out_addresses(kind, addresses)}
    if out:
        emails = [e for e in emails if (kind_of_key(e.idempotency_key), e.recipient.lower()) not in out]
    rows = OutboundEmail.objects.bulk_create(emails, batch_size=1000)
    for email in rows:
        _on_commit_enqueue(email.pk)
    return rows


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
        task.apply_async(args)
    except Exception as exc:
        if not eager:
            _broker_down_until = time.monotonic() + settings.OUTBOX_BROKER_RETRY_AFTER_SECONDS
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
    from .tasks import email_send_task  # the tasks call this module: imported here, not at the top

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


# --- sending -------------------------------------------------------------------------------


def email_send(*, email_id: int) -> OutboundEmail | None:
    """Send one outbox row, at most once.

    Claims the row (``PENDING`` → ``SENDING``, attempts + 1) in its own committed transaction, so
    a concurrent task skips it; returns None when the row is not ``PENDING`` (already sent, in
    flight, failed, or gone). On a transient error (SMTP, network) the row goes back to ``PENDING``
    with ``last_error`` — or to ``FAILED`` once ``OUTBOX_MAX_ATTEMPTS`` attempts are used — and the
    exception propagates so the task retries with backoff. Any other error (a rendering bug) marks
    the row ``FAILED`` at once.
    """
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
            email.status = (
                Status.PENDING
                if transient and email.attempts < settings.OUTBOX_MAX_ATTEMPTS
                else Status.FAILED
            )
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
    stuck = timedelta(seconds=settings.OUTBOX_SENDING_STUCK_AFTER_SECONDS)
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
    from .tasks import email_send_task  # the tasks call this module: imported here, not at the top

    sent = 0
    for pk in ids:
        try:
            email_send_task.delay(pk)
        except Exception:
            logger.exception("outbox: could not enqueue e-mail %s; will try again on the next run", pk)
            break
        sent += 1
    return sent
