"""Celery beat tasks of the Knowledge Portal (CELERY_BEAT_SCHEDULE); thin, they call knowledge/services.py.
Without a beat, ``manage.py knowledge_daily`` does the same from cron."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def review_warnings_task() -> int:
    """E-mail the authors of articles whose review date is parameter 78 days away (once each)."""
    return services.review_warnings_queue()


@shared_task(ignore_result=True)
def search_log_purge_task() -> int:
    """Delete the searches older than parameter 359 days."""
    return services.search_log_purge()
