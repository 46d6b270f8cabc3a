"""approvals.selectors.approver_state is written in SQL (it runs on every page): these tests check it
against the rules it restates, written with the ORM (the awaiting-approval rule and
``Absence.objects.active``), on every kind of scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Absence
from approvals.selectors import approver_state
from tests import factories
from tickets.models import Situation, Task, Ticket


def _expected(user, now):
    """The scope and the menu, from the ORM definitions."""
    own = set(user.groups.values_list("pk", flat=True))
    on_behalf: dict[int, int] = {}
    absences = Absence.objects.active(now).filter(substitute=user, user__is_active=True).order_by("user_id")
    for absence in absences:
        for group in absence.user.groups.values_list("pk", flat=True):
            if group not in own:
                on_behalf.setdefault(group, absence.user_id)
    groups = own | set(on_behalf)
    count = Ticket.objects.filter(
        situation=Situation.REGISTERED, current_task=Task.APPROVAL, current_group_id__in=groups
    ).count()
    from catalog.models import Activity

    approves = Activity.objects.filter(approver_group_id__in=groups).exists()
    return own, on_behalf, bool(approves or count), count


@pytest.fixture
def world(user, joao, approvers, approval_activity, contract, substitute):
    """joao approves; carla substitutes joao now, an inactive approver now, and another approver
    later and in the past; a member of a group that approves nothing; tickets in and out of approval."""
    now = timezone.now()
    finance = factories.GroupFactory(name="Finance approvers")
    factories.ActivityFactory(
        name="Budget", executor_group=approval_activity.executor_group, approver_group=finance
    )
    plain = factories.GroupFactory(name="Readers")
    later = factories.UserFactory(username="later", groups=[finance])
    gone = factories.UserFactory(username="gone", groups=[finance], is_active=False)
    reader = factories.UserFactory(username="reader", groups=[plain])
    hour, day = timedelta(hours=1), timedelta(days=1)
    Absence.objects.create(user=joao, substitute=substitute, starts_at=now - hour, ends_at=now + day)
    Absence.objects.create(user=gone, substitute=substitute, starts_at=now - hour, ends_at=now + day)
    Absence.objects.create(user=later, substitute=substitute, starts_at=now + hour, ends_at=now + day)
    Absence.objects.create(user=later, substitute=reader, starts_at=now - day, ends_at=now - hour)
    ended = Absence.objects.create(user=later, substitute=joao, starts_at=now - hour, ends_at=now + day)
    ended.ended_at = now - timedelta(minutes=1)
    ended.save()
    for i in range(3):
        factories.open_ticket(requester=user, activity=approval_activity, contract=contract, title=f"VPN {i}")
    done = factories.open_ticket(requester=user, activity=approval_activity, contract=contract, title="Done")
    Ticket.objects.filter(pk=done.pk).update(situation=Situation.CLOSED, current_task=Task.NONE)
    return {"joao": joao, "carla": substitute, "reader": reader, "later": later, "maria": user, "now": now}


@pytest.mark.parametrize("who", ["joao", "carla", "reader", "later", "maria"])
def test_the_state_follows_the_orm_rules(world, who):
    user, now = world[who], world["now"]
    state = approver_state(user, now)
    own, on_behalf, visible, count = _expected(user, now)
    assert set(state.scope.own) == own
    assert {g: u.pk for g, u in state.scope.on_behalf.items()} == on_behalf
    assert (state.menu.visible, state.menu.count) == (visible, count)


def test_what_the_menu_shows(world):
    now = world["now"]
    assert approver_state(world["joao"], now).menu == approver_state(world["carla"], now).menu
    assert approver_state(world["joao"], now).menu.count == 3
    assert not approver_state(world["reader"], now).menu.visible  # a group that approves nothing
    assert not approver_state(world["maria"], now).menu.visible
    assert approver_state(world["later"], now).menu.visible  # approves, nothing waits: no count
    assert approver_state(world["later"], now).menu.count == 0


def test_an_anonymous_user_has_no_state(db):
    from django.contrib.auth.models import AnonymousUser

    state = approver_state(AnonymousUser())
    assert not state.menu.visible
    assert not state.scope.group_ids
