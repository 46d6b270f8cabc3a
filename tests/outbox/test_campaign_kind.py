"""Campaign announcements are a kind of e-mail of their own in the notification preferences: their
e-mails are tagged with it, the one-click link turns only that kind off, and the data migration keeps
the choice of whoever had turned "notifications" off (which used to include them)."""

from __future__ import annotations

import importlib
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from campaigns.services import campaign_announcement_sync
from notifications.models import Notification
from notifications.services import notification_emails_queue, notification_upsert
from outbox.models import EmailKind, EmailPreference, OutboundEmail
from outbox.preferences import kind_of_key, unsubscribe_url
from outbox.rendering import render_email
from tests.campaigns.factories import CampaignFactory, every_kind_questionnaire


@pytest.fixture
def announced_by_email(db, user, other_user):
    questionnaire, _q = every_kind_questionnaire()
    campaign = CampaignFactory(
        title="Satisfaction 2026", questionnaire=questionnaire, notify=True, notify_by_email=True
    )
    campaign.target_users.add(user, other_user)
    return campaign


def _queue(notification: Notification) -> int | None:
    Notification.objects.filter(pk=notification.pk).update(emails_pending=True)
    return notification_emails_queue(notification_id=notification.pk)


def test_the_campaign_key_is_its_own_kind():
    assert kind_of_key("notification:4:7:campaign") == EmailKind.CAMPAIGNS
    assert kind_of_key("notification:4:7") == EmailKind.NOTIFICATIONS


def test_announcement_emails_are_tagged_campaigns_and_carry_that_unsubscribe_link(
    announced_by_email, user, other_user
):
    n = campaign_announcement_sync(campaign=announced_by_email)
    assert n.notify_by_email
    assert _queue(n) == 2
    email = OutboundEmail.objects.get(recipient=user.email)
    assert email.idempotency_key == f"notification:{n.pk}:{user.pk}:campaign"
    sent = render_email(email)
    assert sent.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url(user.email, EmailKind.CAMPAIGNS)}>"


def test_one_click_turns_only_campaigns_off(client, announced_by_email, user, other_user):
    url = unsubscribe_url(user.email, EmailKind.CAMPAIGNS)
    assert client.post(urlparse(url).path).status_code == 200  # a mail client: no session, no CSRF
    assert list(EmailPreference.objects.values_list("user", "kind", "enabled")) == [
        (user.pk, "campaigns", False)
    ]
    n = campaign_announcement_sync(campaign=announced_by_email)
    assert _queue(n) == 1
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [other_user.email]
    # A plain notification still reaches maria: only the campaigns kind is off.
    plain = notification_upsert(
        title="Maintenance",
        short_description="s",
        description="d",
        starts_at=timezone.now(),
        notify_by_email=True,
        target_users=[user],
    )
    assert _queue(plain) == 1
    assert (
        OutboundEmail.objects.get(idempotency_key=f"notification:{plain.pk}:{user.pk}").recipient
        == user.email
    )


def test_users_emailed_under_the_old_key_are_not_emailed_again(announced_by_email, user, other_user):
    n = campaign_announcement_sync(campaign=announced_by_email)
    template = n.email_template
    # Written before campaigns were a kind of their own: no ":campaign" suffix.
    OutboundEmail.objects.create(
        idempotency_key=f"notification:{n.pk}:{user.pk}", recipient=user.email, template=template
    )
    assert _queue(n) == 1
    assert OutboundEmail.objects.filter(recipient=user.email).count() == 1


def test_the_announcement_by_email_needs_the_announcement(admin_client, db):
    from campaigns.admin import CampaignForm

    questionnaire, _q = every_kind_questionnaire()
    campaign = CampaignFactory(questionnaire=questionnaire)
    form = CampaignForm(instance=campaign)
    data = {**form.initial, "notify": False, "notify_by_email": True}
    data = {k: v for k, v in data.items() if v is not None and k in CampaignForm.Meta.fields}
    bound = CampaignForm(data=data, instance=campaign)
    assert not bound.is_valid()
    assert "notify_by_email" in bound.errors


def test_the_migration_keeps_campaigns_off_for_who_turned_notifications_off(user, other_user, attendant):
    migration = importlib.import_module("outbox.migrations.0004_emailkind_campaigns")
    EmailPreference.objects.create(user=user, kind="notifications", enabled=False)
    EmailPreference.objects.create(user=other_user, kind="notifications", enabled=True)
    EmailPreference.objects.create(user=attendant, kind="notifications", enabled=False)
    EmailPreference.objects.create(user=attendant, kind="campaigns", enabled=True)  # already chose
    migration.keep_campaigns_off(apps, None)
    assert dict(EmailPreference.objects.filter(kind="campaigns").values_list("user", "enabled")) == {
        user.pk: False,
        attendant.pk: True,
    }


def test_the_preferences_page_lists_campaigns(client_as, user):
    page = client_as(user).get(reverse("outbox:preferences"))
    assert str(EmailKind.CAMPAIGNS.label) in page.content.decode()
