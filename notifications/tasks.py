"""Celery tasks of notifications. Thin: they take ids and call :mod:`notifications.services`. Each is
registered under its dotted path (Celery's default name).

- :func:`notification_emails_task` writes the e-mails of a notification with Notify by e-mail to the
  outbox (each then sent by :func:`outbox.tasks.email_send_task`);
- :func:`notification_emails_dispatch_due` (beat) does it for periods that start later.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True)
def notification_emails_task(notification_id: int) -> int:
    """Write a notification's e-mails to the outbox (each then sent by the outbox's task)."""
    return services.notification_emails_queue(notification_id=notification_id) or 0


@shared_task(ignore_result=True)
def notification_emails_dispatch_due() -> int:
    """Beat: notifications whose e-mails wait for their period to start, or whose task was lost."""
    return services.notification_emails_dispatch_due()
