"""Celery tasks of approvals: the beat task that copies pending approval requests to the substitute
of an absence once it begins (approvals.services.absence_copies_due)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="approvals.tasks.absence_copies_due", ignore_result=True)
def absence_copies_due_task() -> int:
    return services.absence_copies_due()
