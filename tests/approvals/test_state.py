"""approvals.selectors.approver_state: the scope (own groups, groups decided on behalf of an absent
member) and the menu (visible, count) for every kind of user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Absence
from approvals.selectors import approver_state
from approvals.services import decider_for
from tests import factories
from tickets.models import Situation, Task, Ticket


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
    return {
        "finance": finance,
        "plain": plain,
        "approvers": approvers,
        "joao": joao,
        "carla": substitute,
        "reader": reader,
        "later": later,
        "maria": user,
        "now": now,
    }


def test_the_scope_of_each_kind_of_user(world):
    now = world["now"]
    approvers, finance, plain = world["approvers"], world["finance"], world["plain"]
    joao = approver_state(world["joao"], now).scope
    assert (joao.own, joao.on_behalf) == (frozenset({approvers.pk}), {})  # an ended absence: nothing
    carla = approver_state(world["carla"], now).scope
    # joao's absence runs; an inactive member's and one starting later do not count.
    assert carla.own == frozenset()
    assert {g: u.pk for g, u in carla.on_behalf.items()} == {approvers.pk: world["joao"].pk}
    assert approver_state(world["reader"], now).scope.group_ids == [plain.pk]  # a past absence
    assert approver_state(world["later"], now).scope.group_ids == [finance.pk]
    assert approver_state(world["maria"], now).scope.group_ids == []


def test_the_scope_and_the_decider_follow_one_rule(world):
    """Whoever the scope says decides for a group is who ``decider_for`` lets decide."""
    now = world["now"]
    for who in ("joao", "carla", "reader", "later", "maria"):
        user = world[who]
        scope = approver_state(user, now).scope
        for group in (world["approvers"], world["finance"], world["plain"]):
            decider = decider_for(user, group_id=group.pk, now=now)
            assert (decider is not None) == (group.pk in scope.group_ids), (who, group)
            if decider is not None:
                assert decider.on_behalf_of == scope.absent_for(group.pk), (who, group)


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
