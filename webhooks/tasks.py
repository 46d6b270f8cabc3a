"""Celery tasks of the webhooks. Thin: they take ids and call :mod:`webhooks.services`.

- :func:`webhook_deliver_task` makes one attempt; a failed one is published again with the row's
  backoff as countdown (the service bounds the attempts, so Celery's own limit is off).
- :func:`webhook_dispatch_pending_task` (beat, ``CELERY_BEAT_SCHEDULE``) enqueues overdue rows and
  reclaims rows stuck in ``SENDING``.

Eager mode (no broker, the embedded default): one attempt inside the request's on-commit hook and
no in-band retry; a failed row waits ``PENDING`` for the dispatcher.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Delivery


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def webhook_deliver_task(self, delivery_id: int) -> str:
    delivery = services.delivery_send(delivery_id=delivery_id)
    if delivery is None:
        return "skipped"
    if delivery.status == Delivery.Status.PENDING and not self.request.is_eager:
        assert delivery.next_attempt_at is not None  # noqa: S101  set with every PENDING retry
        countdown = max((delivery.next_attempt_at - timezone.now()).total_seconds(), 0)
        raise self.retry(countdown=countdown)
    return str(delivery.status)


@shared_task(ignore_result=True)
def webhook_dispatch_pending_task() -> int:
    return services.webhook_dispatch_pending()
