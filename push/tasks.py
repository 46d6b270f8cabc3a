"""Celery tasks of the push outbox. Thin: they take ids and call :mod:`push.services`, like the
e-mail outbox's (outbox/tasks.py).

- :func:`push_send_task` sends one row at most once; network errors, 429 and 5xx retry with
  exponential backoff, bounded by ``OUTBOX_MAX_ATTEMPTS``; the final failure marks the row ``FAILED``
  (the outbox's ``QueueSendTask`` and ``SEND_RETRY_OPTIONS``).
- :func:`push_dispatch_pending_task` (beat, ``CELERY_BEAT_SCHEDULE``) publishes rows left ``PENDING``
  and reclaims rows stuck in ``SENDING``.

Eager mode (no broker): one attempt inside the request's on-commit hook, no in-band retry; a failed
row stays ``PENDING`` for the sweep.
"""

from __future__ import annotations

import logging

from celery import shared_task

from outbox.tasks import SEND_RETRY_OPTIONS, QueueSendTask

from . import services

logger = logging.getLogger(__name__)


class PushSendTask(QueueSendTask):
    what = "push"

    def mark_failed(self, row_id: int, error: str) -> None:
        services.push_mark_failed(message_id=row_id, error=error)


@shared_task(base=PushSendTask, autoretry_for=services.TRANSIENT_SEND_ERRORS, **SEND_RETRY_OPTIONS)
def push_send_task(self, message_id: int) -> str:
    try:
        message = services.push_send(message_id=message_id)
    except services.TRANSIENT_SEND_ERRORS:
        if self.request.is_eager:
            logger.warning("push %s: left PENDING for the sweep (eager mode, no in-band retry)", message_id)
            return "pending"
        raise
    return message.status if message is not None else "skipped"


@shared_task(ignore_result=True)
def push_dispatch_pending_task() -> int:
    return services.push_dispatch_pending()
