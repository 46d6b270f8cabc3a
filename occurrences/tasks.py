"""Celery tasks of occurrences: thin, they take ids and call :mod:`occurrences.services`.

- :func:`occurrence_emails_task`: right after an occurrence with Notify Responsible commits, write
  its e-mails to the outbox (they are then sent by ``notifications.tasks.email_send_task``).
- :func:`occurrence_emails_dispatch_pending` (beat, ``CELERY_BEAT_SCHEDULE``): the same for
  occurrences whose task never ran (broker down at commit, worker killed).
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="occurrences.tasks.occurrence_emails_task", ignore_result=True, acks_late=True)
def occurrence_emails_task(occurrence_id: int) -> int:
    rows = services.occurrence_emails_queue(occurrence_id=occurrence_id)
    return len(rows or [])


@shared_task(name="occurrences.tasks.occurrence_emails_dispatch_pending", ignore_result=True)
def occurrence_emails_dispatch_pending() -> int:
    return services.occurrence_emails_dispatch_pending()
