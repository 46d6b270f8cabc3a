"""Celery tasks of the outbox. Thin: they take ids and call :mod:`notifications.services`.

- :func:`email_send_task` sends one row at most once; SMTP/network errors retry with exponential
  backoff (``autoretry_for``), bounded by ``OUTBOX_MAX_ATTEMPTS``; the final failure marks the row
  ``FAILED`` (the service does it on the last attempt, :meth:`EmailSendTask.on_failure` covers the
  rest).
- :func:`email_dispatch_pending_task` (beat, ``CELERY_BEAT_SCHEDULE``) re-enqueues rows left
  ``PENDING`` and reclaims rows stuck in ``SENDING``.
- :func:`notification_emails_task` writes the e-mails of a notification with Notify by e-mail;
  :func:`notification_emails_dispatch_due` (beat) does it for periods that start later.

Eager mode (no broker, the embedded default): the task runs inside the request's on-commit hook,
so it makes one attempt and never retries in-band (Celery would re-run it at once, with no
backoff, blocking the response); a failed row stays ``PENDING`` for the dispatcher.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


class EmailSendTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        email_id = args[0] if args else kwargs.get("email_id")
        if email_id is not None:
            services.email_mark_failed(email_id=email_id, error=f"{type(exc).__name__}: {exc}")
        logger.error("e-mail %s: giving up after %s retries: %r", email_id, self.request.retries, exc)


@shared_task(
    base=EmailSendTask,
    bind=True,
    name="notifications.tasks.email_send_task",
    autoretry_for=services.TRANSIENT_SEND_ERRORS,
    retry_backoff=True,
    retry_backoff_max=getattr(settings, "OUTBOX_RETRY_BACKOFF_MAX", 300),
    retry_jitter=False,
    max_retries=max(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 10) - 1, 0),
    acks_late=True,
)
def email_send_task(self, email_id: int) -> str:
    try:
        email = services.email_send(email_id=email_id)
    except services.TRANSIENT_SEND_ERRORS:
        if self.request.is_eager:
            logger.warning(
                "e-mail %s: left PENDING for the dispatcher (eager mode, no in-band retry)", email_id
            )
            return "pending"
        raise
    return "sent" if email is not None else "skipped"


# Registered under its former name, which the beat schedule and queued messages use.
@shared_task(name="notifications.tasks.outbound_email_dispatch_pending", ignore_result=True)
def email_dispatch_pending_task() -> int:
    return services.email_dispatch_pending()


@shared_task(name="notifications.tasks.notification_emails_task", ignore_result=True, acks_late=True)
def notification_emails_task(notification_id: int) -> int:
    """Write a notification's e-mails to the outbox (each then sent by :func:`email_send_task`)."""
    return services.notification_emails_queue(notification_id=notification_id) or 0


@shared_task(name="notifications.tasks.notification_emails_dispatch_due", ignore_result=True)
def notification_emails_dispatch_due() -> int:
    """Beat: notifications whose e-mails wait for their period to start, or whose task was lost."""
    return services.notification_emails_dispatch_due()
