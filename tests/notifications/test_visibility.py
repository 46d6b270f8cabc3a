"""Who sees which notification (period, active, targets by user and by group) and the bell's counter."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone, translation

from notifications import selectors
from notifications.models import NotificationReceipt
from notifications.selectors import State
from notifications.services import notification_confirm, notification_mark_viewed
from tests import factories
from tests.factories import make_notification

pytestmark = pytest.mark.django_db


def visible_titles(user, now=None):
    return [n.title for n in selectors.notification_list_visible(user=user, now=now)]


def test_a_notification_without_targets_is_for_every_user(user, other_user):
    make_notification(title="For all")
    assert visible_titles(user) == ["For all"]
    assert visible_titles(other_user) == ["For all"]


def test_a_notification_for_a_user_is_hidden_from_the_others(user, other_user):
    make_notification(title="Only Maria", target_users=[user])
    assert visible_titles(user) == ["Only Maria"]
    assert visible_titles(other_user) == []


def test_a_notification_for_a_group_is_shown_to_its_members_only(user, other_user):
    approvers = factories.GroupFactory(name="Approvers")
    other_user.groups.add(approvers)
    make_notification(title="Approvers", target_groups=[approvers])
    assert visible_titles(other_user) == ["Approvers"]
    assert visible_titles(user) == []


def test_targets_by_user_and_by_group_add_up_without_repeating(user, other_user):
    approvers = factories.GroupFactory(name="Approvers")
    desk = factories.GroupFactory(name="Desk")
    other_user.groups.add(approvers, desk)
    make_notification(title="Both", target_users=[user, other_user], target_groups=[approvers, desk])
    assert visible_titles(user) == ["Both"]
    assert visible_titles(other_user) == ["Both"]
    third = factories.UserFactory(username="pedro")
    assert visible_titles(third) == []


def test_only_while_its_period_runs(user):
    now = timezone.now()
    make_notification(title="Later", starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))
    make_notification(title="Ended", starts_at=now - timedelta(hours=2), ends_at=now - timedelta(minutes=1))
    make_notification(title="Open-ended", starts_at=now - timedelta(days=1))
    assert visible_titles(user) == ["Open-ended"]
    assert "Later" in visible_titles(user, now=now + timedelta(hours=1, minutes=1))
    assert "Later" not in visible_titles(user, now=now + timedelta(hours=2))


def test_an_inactive_notification_is_hidden(user):
    make_notification(title="Off", active=False)
    assert visible_titles(user) == []


def test_newest_first(user):
    now = timezone.now()
    make_notification(title="Old", starts_at=now - timedelta(days=2))
    make_notification(title="New", starts_at=now - timedelta(hours=1))
    assert visible_titles(user) == ["New", "Old"]


def test_get_visible_answers_404_for_another_users_notification(user, other_user):
    n = make_notification(target_users=[user])
    assert selectors.notification_get_visible(user=user, pk=n.pk) == n
    with pytest.raises(Http404):
        selectors.notification_get_visible(user=other_user, pk=n.pk)


def test_the_counter_counts_only_unconfirmed_notifications_requiring_confirmation(user, other_user):
    first = make_notification(title="Confirm 1", requires_confirmation=True)
    make_notification(title="Confirm 2", requires_confirmation=True)
    make_notification(title="Info")
    counts = selectors.notification_counts(user=user)
    assert (counts.pending, counts.unviewed) == (2, 1)
    assert counts.label == "Notifications (2)"

    notification_mark_viewed(notification=first, user=user)  # viewing is not confirming
    assert selectors.notification_counts(user=user).pending == 2
    notification_confirm(notification=first, user=user)
    assert selectors.notification_counts(user=user).pending == 1
    assert selectors.notification_counts(user=other_user).pending == 2  # per user


def test_the_mark_counts_unviewed_notifications_not_requiring_confirmation(user):
    info = make_notification(title="Info")
    counts = selectors.notification_counts(user=user)
    assert (counts.pending, counts.unviewed, counts.label) == (0, 1, "Notifications (new)")
    notification_mark_viewed(notification=info, user=user)
    counts = selectors.notification_counts(user=user)
    assert (counts.pending, counts.unviewed, counts.label) == (0, 0, "Notifications")


def test_the_four_states(user):
    info = make_notification(title="Info")
    confirm = make_notification(title="Confirm", requires_confirmation=True)

    def states():
        return {n.title: n.state for n in selectors.notification_list_visible(user=user)}

    assert states() == {"Info": State.NOT_VIEWED, "Confirm": State.REQUIRES_CONFIRMATION}
    notification_mark_viewed(notification=info, user=user)
    notification_mark_viewed(notification=confirm, user=user)
    assert states() == {"Info": State.VIEWED, "Confirm": State.VIEWED}
    notification_confirm(notification=confirm, user=user)
    assert states() == {"Info": State.VIEWED, "Confirm": State.CONFIRMED}


def test_viewing_twice_keeps_the_first_time(user):
    n = make_notification()
    notification_mark_viewed(notification=n, user=user)
    first = NotificationReceipt.objects.get(notification=n, user=user).viewed_at
    notification_mark_viewed(notification=n, user=user)
    assert first is not None
    assert NotificationReceipt.objects.get(notification=n, user=user).viewed_at == first


def test_the_login_prompt_is_the_oldest_unviewed_one_requiring_confirmation(user):
    now = timezone.now()
    make_notification(title="Info", starts_at=now - timedelta(days=3))
    newer = make_notification(title="Newer", requires_confirmation=True, starts_at=now - timedelta(hours=1))
    older = make_notification(title="Older", requires_confirmation=True, starts_at=now - timedelta(days=1))
    assert selectors.notification_login_prompt(user=user).pk == older.pk
    notification_mark_viewed(notification=older, user=user)
    assert selectors.notification_login_prompt(user=user).pk == newer.pk


def test_the_shell_looks_at_the_latest_notifications_only(user, monkeypatch):
    """The bell and the dialog read a bounded window (selectors.SHELL_WINDOW): the same cost
    whatever the number of notifications; the badge says "99+" beyond 99."""
    now = timezone.now()
    oldest = make_notification(title="Old", requires_confirmation=True, starts_at=now - timedelta(days=9))
    for i in range(4):
        make_notification(
            title=f"Confirm {i}", requires_confirmation=True, starts_at=now - timedelta(hours=i + 1)
        )
    monkeypatch.setattr(selectors, "SHELL_WINDOW", 3)
    bell = selectors.notification_bell(user=user)
    assert bell.counts.pending == 3
    assert bell.prompt is not None
    assert bell.prompt.title == "Confirm 2"
    monkeypatch.setattr(selectors, "SHELL_WINDOW", 100)
    assert selectors.notification_login_prompt(user=user).pk == oldest.pk
    assert selectors.BellCounts(pending=120).badge == "99+"
    with translation.override("en"):
        assert selectors.BellCounts(pending=120).label == "Notifications (99+)"


def test_recipients_are_the_targets_with_an_email_or_every_active_user(user, other_user):
    group = factories.GroupFactory(name="Approvers")
    factories.UserFactory(username="ana", groups=[group])
    factories.UserFactory(username="inactive", is_active=False)
    factories.UserFactory(username="nomail", email="")
    everyone = make_notification()
    assert {u.username for u in selectors.notification_recipients(notification=everyone)} == {
        "maria",
        "joao",
        "ana",
    }
    targeted = make_notification(target_users=[user], target_groups=[group])
    assert {u.username for u in selectors.notification_recipients(notification=targeted)} == {"maria", "ana"}


def test_the_bell_shows_the_counts_and_the_latest_five(user):
    now = timezone.now()
    for i in range(7):
        make_notification(title=f"Info {i}", starts_at=now - timedelta(hours=10 - i))
    make_notification(title="Confirm", requires_confirmation=True, starts_at=now - timedelta(hours=20))
    bell = selectors.notification_bell(user=user)
    assert [n.title for n in bell.latest] == ["Info 6", "Info 5", "Info 4", "Info 3", "Info 2"]
    assert (bell.counts.pending, bell.counts.unviewed) == (1, 7)
    assert selectors.notification_bell(user=factories.UserFactory(is_active=True)).counts.pending == 1
