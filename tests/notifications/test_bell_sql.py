"""The bell's query is written in SQL (it runs on every page, notifications.selectors._bell_sql): these
tests check that it shows exactly what notifications.selectors.notification_list_visible shows, in
the same order and with the same receipt state, for every kind of target, period and receipt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import selectors
from notifications.services import notification_confirm, notification_dialog_close, notification_mark_viewed
from tests import factories
from tests.factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user, other_user):
    now = timezone.now()
    approvers = factories.GroupFactory(name="Approvers")
    desk = factories.GroupFactory(name="Desk")
    other_user.groups.add(approvers)
    third = factories.UserFactory(username="pedro", groups=[desk])
    hour = timedelta(hours=1)
    made = [
        make_notification(title="All", starts_at=now - 9 * hour),
        make_notification(title="All, confirm", requires_confirmation=True, starts_at=now - 8 * hour),
        make_notification(title="Maria", target_users=[user], starts_at=now - 7 * hour),
        make_notification(title="Approvers", target_groups=[approvers], starts_at=now - 6 * hour),
        make_notification(
            title="Both", target_users=[user], target_groups=[approvers, desk], starts_at=now - 5 * hour
        ),
        make_notification(title="Later", starts_at=now + hour),
        make_notification(title="Ended", starts_at=now - 9 * hour, ends_at=now - hour),
        make_notification(title="Running", starts_at=now - 4 * hour, ends_at=now + hour),
        make_notification(title="Inactive", active=False, starts_at=now - 3 * hour),
        make_notification(title="Same time A", starts_at=now - 2 * hour),
        make_notification(title="Same time B", starts_at=now - 2 * hour),
    ]
    by_title = {n.title: n for n in made}
    notification_mark_viewed(notification=by_title["All"], user=user)
    notification_confirm(notification=by_title["All, confirm"], user=other_user)
    notification_dialog_close(notification=by_title["All, confirm"], user=third)
    return {"maria": user, "joao": other_user, "pedro": third}


@pytest.mark.parametrize("who", ["maria", "joao", "pedro"])
def test_the_bell_shows_what_the_orm_rule_shows(world, who):
    user = world[who]
    expected = [
        (
            n.pk,
            n.title,
            n.starts_at,
            n.requires_confirmation,
            n.my_viewed_at,
            n.my_confirmed_at,
            n.my_dialog_closed_at,
        )
        for n in selectors.notification_list_visible(user=user)
    ]
    bell = selectors.notification_bell(user=user, limit=100)
    got = [(n.pk, n.title, n.starts_at, n.requires_confirmation) for n in bell.latest]
    assert got == [e[:4] for e in expected]
    states = [(n.viewed, n.confirmed, n.dialog_closed) for n in bell.latest]
    assert states == [(e[4] is not None, e[5] is not None, e[6] is not None) for e in expected]
    assert all(n.starts_at.tzinfo is not None for n in bell.latest)  # aware, on SQLite too


def test_an_anonymous_user_has_an_empty_bell(db):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.notification_bell(user=AnonymousUser()).latest == []
