"""Celery tasks of approvals: the beat task that copies pending approval requests to the substitute
of an absence once it begins (approvals.services.absence_copies_due). Registered under its dotted
path (Celery's default name), as in ``CELERY_BEAT_SCHEDULE``."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def absence_copies_due() -> int:
    return services.absence_copies_due()
