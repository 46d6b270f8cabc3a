"""Notify by e-mail: one e-mail per target user through the outbox, in the user's language, never twice
(saved again, or the task and the beat task both running), and only once the period has started."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    notification_default_email_template,
    notification_emails_dispatch_due,
    notification_emails_queue,
    notification_upsert,
)
from outbox.models import OutboundEmail
from tests import factories
from tests.factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def approvers(user, other_user):
    group = factories.GroupFactory(name="Approvers")
    other_user.groups.add(group)
    return group


def save(capture, **kwargs):
    with capture(execute=True):
        return make_notification(notify_by_email=True, **kwargs)


def test_the_migration_provides_an_editable_default_template_in_three_languages():
    template = notification_default_email_template()
    assert template is not None
    assert {t.language for t in template.translations.all()} == {"pt-br", "es"}


def test_each_target_gets_one_email_in_their_language(
    django_capture_on_commit_callbacks, mailoutbox, user, other_user, approvers
):
    other_user.preferred_language = "pt-br"
    other_user.save(update_fields=["preferred_language"])
    n = save(
        django_capture_on_commit_callbacks,
        title="Approve by Friday",
        target_groups=[approvers],
        target_users=[user],
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["joao@example.com", "maria@example.com"]
    by_to = {m.to[0]: m for m in mailoutbox}
    assert by_to["joao@example.com"].subject == "Approve by Friday"
    assert "Olá João Souza" in by_to["joao@example.com"].body
    assert "Hello Maria Silva" in by_to["maria@example.com"].body
    assert f"/notifications/{n.pk}/" in by_to["maria@example.com"].body
    assert not Notification.objects.get(pk=n.pk).emails_pending


def test_saving_again_sends_nothing_twice_and_only_new_targets_get_it(
    django_capture_on_commit_callbacks, mailoutbox, user, other_user
):
    n = save(django_capture_on_commit_callbacks, target_users=[user])
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        notification_upsert(
            notification=n,
            title="Changed title",
            short_description=n.short_description,
            description=n.description,
            starts_at=n.starts_at,
            notify_by_email=True,
            target_users=[user, other_user],
        )
    assert [m.to[0] for m in mailoutbox] == ["maria@example.com", "joao@example.com"]
    assert OutboundEmail.objects.filter(idempotency_key__startswith=f"notification:{n.pk}:").count() == 2


def test_a_second_run_of_the_task_writes_nothing(django_capture_on_commit_callbacks, mailoutbox, user):
    n = save(django_capture_on_commit_callbacks, target_users=[user])
    Notification.objects.filter(pk=n.pk).update(emails_pending=True)  # as if the beat task ran as well
    assert notification_emails_queue(notification_id=n.pk) == 0
    assert len(mailoutbox) == 1


def test_a_later_start_waits_for_the_beat_task(django_capture_on_commit_callbacks, mailoutbox, user):
    start = timezone.now() + timedelta(hours=2)
    n = save(django_capture_on_commit_callbacks, target_users=[user], starts_at=start)
    assert mailoutbox == []
    assert Notification.objects.get(pk=n.pk).emails_pending
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails_dispatch_due() == 0  # not yet
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails_dispatch_due(now=start + timedelta(seconds=1)) == 1
        # (the eager task runs with the real clock, so the period is made to run now)
        Notification.objects.filter(pk=n.pk).update(starts_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        notification_emails_dispatch_due()
    assert [m.to[0] for m in mailoutbox] == ["maria@example.com"]
    assert not Notification.objects.get(pk=n.pk).emails_pending


def test_no_email_without_the_option_or_when_inactive(django_capture_on_commit_callbacks, mailoutbox, user):
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(target_users=[user])
        make_notification(target_users=[user], notify_by_email=True, active=False)
    assert mailoutbox == []


def test_an_ended_period_sends_nothing(django_capture_on_commit_callbacks, mailoutbox, user):
    now = timezone.now()
    n = save(django_capture_on_commit_callbacks, target_users=[user], starts_at=now - timedelta(days=2))
    assert len(mailoutbox) == 1
    Notification.objects.filter(pk=n.pk).update(ends_at=now - timedelta(days=1), emails_pending=True)
    assert notification_emails_queue(notification_id=n.pk) == 0


def test_the_key_keeps_one_notification_in_step(user):
    kwargs = {"title": "Survey", "short_description": "s", "description": "d", "starts_at": timezone.now()}
    a = notification_upsert(key="campaign:1", **kwargs)
    b = notification_upsert(key="campaign:1", **{**kwargs, "title": "Survey (updated)"})
    assert a.pk == b.pk
    assert Notification.objects.get(pk=a.pk).title == "Survey (updated)"


def test_the_default_template_comes_back_if_it_was_deleted():
    notification_default_email_template().delete()
    template = notification_default_email_template()
    assert template.texts_for("es")[1].startswith("Hola ${USERNAME}")
    assert notification_default_email_template() == template
