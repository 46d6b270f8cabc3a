"""Notify by e-mail end to end: notifications saved by the "web side" (this process), their e-mails
written and sent by a real Celery worker over Redis to a real SMTP server on loopback. Each target
gets exactly one e-mail, also when the notification is saved twice, and a period that starts later
is e-mailed when the beat task finds it."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_upsert
from notifications.tasks import notification_emails_dispatch_due
from outbox.models import OutboundEmail
from tests import factories

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(150)]


@pytest.fixture
def targets(transactional_db):
    group = factories.GroupFactory(name="Approvers")
    members = [factories.UserFactory(username=f"approver{i}", groups=[group]) for i in range(4)]
    alone = factories.UserFactory(username="alone", preferred_language="es")
    factories.UserFactory(username="outsider")  # not a target: never e-mailed
    return {"group": group, "users": [*members, alone], "alone": alone}


def save(targets, **kwargs):
    """One admin save: its own committed transaction, the worker is told on commit."""
    data = {
        "title": "Approvals close on Friday",
        "short_description": "Decide the pending approvals by Friday.",
        "description": "Requests still waiting on Friday go back to their requesters.",
        "starts_at": timezone.now() - timedelta(minutes=1),
        "notify_by_email": True,
        "target_users": [targets["alone"]],
        "target_groups": [targets["group"]],
    }
    data.update(kwargs)
    with transaction.atomic():
        return notification_upsert(**data)


def recipients(sink) -> list[str]:
    return sorted(to for _from, tos in sink.envelopes for to in tos)


def test_each_target_gets_exactly_one_email_also_after_a_second_save(targets, celery_worker, smtp_sink):
    smtp_sink.start()
    n = save(targets)
    save(targets, notification=n, title="Approvals close on Friday at 18:00")  # saved again
    expected = sorted(u.email for u in targets["users"])
    wait_for(
        lambda: (
            smtp_sink.count() >= len(expected)
            and not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
        ),
        timeout=60,
        what=lambda: (
            f"{len(expected)} e-mails (got {recipients(smtp_sink)}); worker log:\n"
            f"{celery_worker.log_text()[-3000:]}"
        ),
    )
    time.sleep(3)  # a duplicate would arrive now
    assert recipients(smtp_sink) == expected
    assert not Notification.objects.get(pk=n.pk).emails_pending
    spanish = next(m for m in smtp_sink.messages if m["To"] == targets["alone"].email)
    assert "Hola" in spanish.get_payload(0).get_payload(decode=True).decode()


def test_a_period_that_starts_later_is_emailed_once_by_the_beat_task(targets, celery_worker, smtp_sink):
    smtp_sink.start()
    n = save(targets, starts_at=timezone.now() + timedelta(seconds=3))
    time.sleep(1)
    notification_emails_dispatch_due.apply()  # beat, before the start: nothing to do
    time.sleep(3)
    assert smtp_sink.count() == 0
    for _ in range(2):  # beat runs again after the start, twice
        notification_emails_dispatch_due.apply()
    expected = sorted(u.email for u in targets["users"])
    wait_for(
        lambda: smtp_sink.count() >= len(expected),
        timeout=60,
        what=lambda: (
            f"{len(expected)} e-mails (got {recipients(smtp_sink)}); worker log:\n"
            f"{celery_worker.log_text()[-3000:]}"
        ),
    )
    time.sleep(3)
    assert recipients(smtp_sink) == expected
    assert not Notification.objects.get(pk=n.pk).emails_pending
