"""Celery tasks of the outbox. Thin: they take ids and call :mod:`outbox.services`. Each is
registered under its dotted path (Celery's default name).

- :func:`email_send_task` sends one row at most once; SMTP/network errors retry with exponential
  backoff (``autoretry_for``), bounded by ``OUTBOX_MAX_ATTEMPTS``; the final failure marks the row
  ``FAILED`` (the service does it on the last attempt, :meth:`QueueSendTask.on_failure` covers the
  rest).
- :func:`email_dispatch_pending_task` (beat, ``CELERY_BEAT_SCHEDULE``) re-enqueues rows left
  ``PENDING`` and reclaims rows stuck in ``SENDING``.

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


class QueueSendTask(Task):
    """The base of a task that sends one row of a queue table (the e-mails here, push's messages):
    when Celery gives up on it (retries spent, or an error not retried), the row is marked
    ``FAILED`` through :meth:`mark_failed`, the row's service."""

    what = "row"  # the row's name in the log

    def mark_failed(self, row_id: int, error: str) -> None:
        raise NotImplementedError

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        row_id = args[0] if args else next(iter(kwargs.values()), None)
        if row_id is not None:
            self.mark_failed(row_id, f"{type(exc).__name__}: {exc}")
        logger.error("%s %s: giving up after %s retries: %r", self.what, row_id, self.request.retries, exc)


# The retry policy of such a task: exponential backoff, bounded by OUTBOX_MAX_ATTEMPTS; acked after
# the attempt, so a worker killed mid-send leaves the message to another (the row's claim decides).
SEND_RETRY_OPTIONS = {
    "bind": True,
    "retry_backoff": True,
    "retry_backoff_max": settings.OUTBOX_RETRY_BACKOFF_MAX,
    "retry_jitter": False,
    "max_retries": max(settings.OUTBOX_MAX_ATTEMPTS - 1, 0),
    "acks_late": True,
}


class EmailSendTask(QueueSendTask):
    what = "e-mail"

    def mark_failed(self, row_id: int, error: str) -> None:
        services.email_mark_failed(email_id=row_id, error=error)


@shared_task(base=EmailSendTask, autoretry_for=services.TRANSIENT_SEND_ERRORS, **SEND_RETRY_OPTIONS)
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


@shared_task(ignore_result=True)
def email_dispatch_pending_task() -> int:
    return services.email_dispatch_pending()


# --- former names ---------------------------------------------------------------------------------
# Messages already queued (and a beat still running the old schedule) name the tasks as they were
# registered while the outbox lived in notifications. These aliases accept them for one release:
# REMOVE THEM IN THE NEXT RELEASE.


@shared_task(name="notifications.tasks.email_send_task", ignore_result=True, acks_late=True)
def email_send_task_former_name(email_id: int) -> None:
    """Former name of :func:`email_send_task`: hands the row to it (a lost publish leaves the row
    ``PENDING`` for the dispatcher, as any other)."""
    services.enqueue(email_send_task, email_id, what=f"e-mail {email_id}")


@shared_task(name="notifications.tasks.outbound_email_dispatch_pending", ignore_result=True)
def email_dispatch_pending_task_former_name() -> int:
    """Former name of :func:`email_dispatch_pending_task`."""
    return email_dispatch_pending_task()
