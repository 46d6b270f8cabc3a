"""A Global campaign announced by a portal notification (the notifications app's): same period and
targets, created and kept in step by the campaign, deactivated when it should no longer show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import campaign_announcement_sync
from notifications.models import Notification
from notifications.selectors import notification_list_visible
from tests import factories

from .factories import CampaignFactory, every_kind_questionnaire


@pytest.fixture
def announced(db):
    questionnaire, _q = every_kind_questionnaire()
    return CampaignFactory(title="Satisfaction 2026", questionnaire=questionnaire, notify=True)


def test_global_campaign_is_announced_for_its_period_and_targets(announced, user, other_user):
    group = factories.GroupFactory(name="Approvers")
    other_user.groups.add(group)
    announced.target_groups.add(group)
    n = campaign_announcement_sync(campaign=announced)
    assert n.key == f"campaign:{announced.pk}"
    assert (n.starts_at, n.ends_at, n.active) == (announced.starts_at, announced.ends_at, True)
    assert n.title == announced.title
    assert announced.link in n.description
    assert list(n.target_groups.all()) == [group]
    assert n in notification_list_visible(user=other_user)
    assert n not in notification_list_visible(user=user)


def test_the_announcement_follows_the_campaign(announced, user):
    campaign_announcement_sync(campaign=announced)
    announced.ends_at = timezone.now() + timedelta(days=60)
    announced.title = "Satisfaction, second round"
    announced.save()
    announced.target_users.add(user)
    campaign_announcement_sync(campaign=announced)
    (n,) = Notification.objects.filter(key=f"campaign:{announced.pk}")
    assert n.ends_at == announced.ends_at
    assert n.title == "Satisfaction, second round"
    assert list(n.target_users.all()) == [user]


@pytest.mark.parametrize(
    "change",
    [{"notify": False}, {"status": Campaign.Status.INACTIVE}],
    ids=["announcement-off", "campaign-inactive"],
)
def test_the_announcement_is_deactivated(announced, user, change):
    campaign_announcement_sync(campaign=announced)
    for field, value in change.items():
        setattr(announced, field, value)
    announced.save()
    campaign_announcement_sync(campaign=announced)
    n = Notification.objects.get(key=f"campaign:{announced.pk}")
    assert not n.active
    assert n not in notification_list_visible(user=user)


def test_nothing_is_created_for_a_campaign_not_announced(db):
    campaign = CampaignFactory(notify=False)
    assert campaign_announcement_sync(campaign=campaign) is None
    assert not Notification.objects.exists()


def test_saving_the_campaign_in_the_admin_announces_it(client_as, admin_user, user):
    questionnaire, _q = every_kind_questionnaire()
    now = timezone.localtime()
    data = {
        "title": "Announced",
        "status": "active",
        "questionnaire": questionnaire.pk,
        "type": "global",
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "anonymous": "on",
        "notify": "on",
        "target_users": [user.pk],
    }
    reply = client_as(admin_user).post(reverse("admin:campaigns_campaign_add"), data)
    assert reply.status_code == 302
    campaign = Campaign.objects.get(title="Announced")
    n = Notification.objects.get(key=f"campaign:{campaign.pk}")
    assert list(n.target_users.all()) == [user]
    assert n.updated_by == admin_user
