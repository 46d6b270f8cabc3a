"""Celery tasks of the push outbox. Thin: they take ids and call :mod:`push.services`, like the
e-mail outbox's (outbox/tasks.py).

- :func:`push_send_task` sends one row at most once; network errors, 429 and 5xx retry with
  exponential backoff, bounded by ``OUTBOX_MAX_ATTEMPTS``; the final failure marks the row ``FAILED``.
- :func:`push_dispatch_pending_task` (beat, ``CELERY_BEAT_SCHEDULE``) publishes rows left ``PENDING``
  and reclaims rows stuck in ``SENDING``.

Eager mode (no broker): one attempt inside the request's on-commit hook, no in-band retry; a failed
row stays ``PENDING`` for the sweep.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


class PushSendTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        message_id = args[0] if args else kwargs.get("message_id")
        if message_id is not None:
            services.push_mark_failed(message_id=message_id, error=f"{type(exc).__name__}: {exc}")
        logger.error("push %s: giving up after %s retries: %r", message_id, self.request.retries, exc)


@shared_task(
    base=PushSendTask,
    bind=True,
    autoretry_for=services.TRANSIENT_SEND_ERRORS,
    retry_backoff=True,
    retry_backoff_max=settings.OUTBOX_RETRY_BACKOFF_MAX,
    retry_jitter=False,
    max_retries=max(settings.OUTBOX_MAX_ATTEMPTS - 1, 0),
    acks_late=True,
)
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
