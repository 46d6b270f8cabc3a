"""Celery tasks of tickets: thin, they take ids and call :mod:`tickets.services.occurrences`.
Their registered names are those they had in the occurrences app (queued tasks and the beat
schedule keep working across the move).

- :func:`occurrence_emails_task`: right after an occurrence with Notify Responsible commits, write
  its e-mails to the outbox (they are then sent by ``notifications.tasks.email_send_task``).
- :func:`occurrence_emails_dispatch_stale` (beat, ``CELERY_BEAT_SCHEDULE``): the same for
  occurrences whose task never ran (broker down at commit, worker killed).
"""

from __future__ import annotations

from celery import shared_task

from .services import occurrences as services


@shared_task(name="occurrences.tasks.occurrence_emails_task", ignore_result=True, acks_late=True)
def occurrence_emails_task(occurrence_id: int) -> int:
    rows = services.occurrence_emails_write(occurrence_id=occurrence_id)
    return len(rows or [])


@shared_task(name="occurrences.tasks.occurrence_emails_dispatch_pending", ignore_result=True)
def occurrence_emails_dispatch_stale() -> int:
    return services.occurrence_emails_dispatch_stale()
