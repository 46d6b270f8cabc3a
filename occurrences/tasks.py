"""Celery tasks of the Occurrence Register: thin, they take ids and call :mod:`occurrences.services`.
Each is registered under its own path (``occurrences.tasks.<function>``).

- :func:`occurrence_emails_queue_task`: right after an occurrence with Notify Responsible commits,
  write its e-mails to the outbox (they are then sent by ``outbox.tasks.email_send_task``).
- :func:`occurrence_emails_dispatch_stale_task` (beat, ``CELERY_BEAT_SCHEDULE``): the same for
  occurrences whose task never ran (broker down at commit, worker killed).

The names these tasks had before (``occurrence_emails_task``, ``occurrence_emails_dispatch_pending``)
stay registered for one release, so that messages already queued under them, and a beat still
running the old schedule, keep working. Remove them in the release after.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="occurrences.tasks.occurrence_emails_queue_task", ignore_result=True, acks_late=True)
def occurrence_emails_queue_task(occurrence_id: int) -> int:
    rows = services.occurrence_emails_queue(occurrence_id=occurrence_id)
    return len(rows or [])


@shared_task(name="occurrences.tasks.occurrence_emails_dispatch_stale_task", ignore_result=True)
def occurrence_emails_dispatch_stale_task() -> int:
    return services.occurrence_emails_dispatch_stale()


# --- the old names, accepted for one release ------------------------------------------------------


@shared_task(name="occurrences.tasks.occurrence_emails_task", ignore_result=True, acks_late=True)
def occurrence_emails_task(occurrence_id: int) -> int:
    """Old name of :func:`occurrence_emails_queue_task` (messages queued before the rename)."""
    return occurrence_emails_queue_task(occurrence_id)


@shared_task(name="occurrences.tasks.occurrence_emails_dispatch_pending", ignore_result=True)
def occurrence_emails_dispatch_pending() -> int:
    """Old name of :func:`occurrence_emails_dispatch_stale_task` (a beat still on the old schedule)."""
    return occurrence_emails_dispatch_stale_task()
