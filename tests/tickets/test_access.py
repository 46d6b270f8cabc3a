"""The one gate of tickets (tickets.access): who is requester, attendant and approver, the getters'
404s, the queryset filters and the row lock."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404

from tests import factories
from tickets import access
from tickets.models import Situation, Ticket
from tickets.services.transitions import TransitionError, ticket_capture, ticket_suspend


@pytest.fixture
def group_member(db, service_desk):
    return factories.UserFactory(username="member", groups=[service_desk])


def test_a_staff_member_of_the_tickets_group_is_an_attendant(attendant, ticket):
    assert access.is_attendant(attendant, ticket)


def test_a_group_member_who_is_not_staff_is_not_an_attendant(group_member, ticket):
    assert not access.is_attendant(group_member, ticket)
    assert not access.tickets_attended_by(group_member).exists()


def test_a_non_staff_group_member_cannot_work_the_ticket_through_the_services(
    group_member, attendant, ticket
):
    """The services once accepted any member of the group (no staff test) for suspend, resolve,
    close, reopen and cancel; now they apply the same rule as the admin and the attachments."""
    ticket_capture(ticket=ticket, actor=attendant)
    with pytest.raises(TransitionError):
        ticket_suspend(ticket=ticket, actor=group_member, justification="No")
    assert Ticket.objects.get(pk=ticket.pk).situation == Situation.IN_PROGRESS


def test_the_responsible_attends_the_ticket_after_it_leaves_their_group(attendant, ticket, far_desk):
    ticket_capture(ticket=ticket, actor=attendant)
    Ticket.objects.filter(pk=ticket.pk).update(current_group=far_desk)
    moved = Ticket.objects.get(pk=ticket.pk)
    assert access.is_attendant(attendant, moved)
    assert list(access.tickets_attended_by(attendant)) == [moved]


def test_a_staff_member_of_another_group_is_not_an_attendant(far_attendant, ticket):
    assert not access.is_attendant(far_attendant, ticket)
    assert access.is_back_office_attendant(far_attendant)
    with pytest.raises(Http404):
        access.ticket_get_for_attendant(far_attendant, ticket.pk)


def test_a_superuser_attends_every_ticket(admin_user, ticket):
    assert access.is_attendant(admin_user, ticket)
    assert access.ticket_get_for_attendant(admin_user, ticket.pk) == ticket


def test_an_approver_need_not_be_staff(db, contract, user, service_desk):
    approvers = factories.GroupFactory(name="Approvers")
    boss = factories.UserFactory(username="boss", groups=[approvers])
    activity = factories.ActivityFactory(executor_group=service_desk, approver_group=approvers)
    waiting = factories.open_ticket(requester=user, activity=activity, contract=contract)
    assert access.is_approver(boss, waiting)
    assert not access.is_attendant(boss, waiting)


def test_the_user_groups_are_read_once_per_user_object(attendant, ticket, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(3):
            assert access.is_attendant(attendant, ticket)
            assert access.is_back_office_attendant(attendant)
        access.attended_tickets_q(attendant)


def test_a_staff_user_outside_any_working_group_is_no_back_office_attendant(db):
    idle = factories.UserFactory(username="idle", is_staff=True, groups=[factories.GroupFactory(name="HR")])
    assert not access.is_back_office_attendant(idle)


def test_nobody_else_sees_the_ticket(user, other_user, ticket):
    assert access.ticket_get_for_requester(user, ticket.pk) == ticket
    assert access.ticket_get_visible(user, ticket.pk) == ticket
    for who, pk in ((other_user, ticket.pk), (AnonymousUser(), ticket.pk), (user, 999999), (user, "x")):
        with pytest.raises(Http404):
            access.ticket_get_for_requester(who, pk)
        with pytest.raises(Http404):
            access.ticket_get_visible(who, pk)


def test_the_lock_refreshes_the_ticket_in_place(user, ticket):
    stale = Ticket.objects.get(pk=ticket.pk)
    Ticket.objects.filter(pk=ticket.pk).update(situation=Situation.SUSPENDED, title="Changed")
    with transaction.atomic():
        assert access.ticket_lock(stale) is stale
    assert stale.situation == Situation.SUSPENDED
    assert stale.title == "Changed"


def test_a_locked_ticket_is_the_whole_row(user, ticket, django_assert_num_queries):
    # every field read later is already there: no deferred field costs a hidden query
    with transaction.atomic():
        with django_assert_num_queries(1):
            locked = access.ticket_lock(ticket.pk)
        assert locked.get_deferred_fields() == set()
        locked = access.ticket_get_for_requester(user, ticket.pk, for_update=True)
        assert locked.get_deferred_fields() == set()


def test_the_requester_lock_reads_only_their_ticket(user, other_user, ticket):
    with transaction.atomic():
        locked = access.ticket_get_for_requester(user, ticket.pk, for_update=True)
        assert locked.pk == ticket.pk
        assert locked.requester == user
        with pytest.raises(Http404):
            access.ticket_get_for_requester(other_user, ticket.pk, for_update=True)
