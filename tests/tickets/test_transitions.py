"""Situation transitions (tickets/services/transitions.py): each allowed move changes the ticket and writes
its audit occurrence (system category, author) in one transaction; each refused move raises
TransitionError and changes nothing."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from tests import factories
from tickets import policies
from tickets.models import Occurrence, Situation, SystemCategory, Task, Ticket
from tickets.services import transitions as ts
from tickets.services.transitions import TransitionError


@pytest.fixture
def approvers(db):
    return factories.GroupFactory(name="Approvers")


@pytest.fixture
def approver(approvers):
    return factories.UserFactory(username="approver", groups=[approvers])


@pytest.fixture
def approval_activity(service_desk, approvers):
    return factories.ActivityFactory(executor_group=service_desk, approver_group=approvers)


@pytest.fixture
def awaiting_approval(user, approval_activity, contract):
    return factories.open_ticket(requester=user, activity=approval_activity, contract=contract)


@pytest.fixture
def other_attendant(db):
    """Staff, but not in the ticket's group."""
    return factories.UserFactory(
        username="other-attendant", is_staff=True, groups=[factories.GroupFactory(name="Field support")]
    )


@pytest.fixture
def captured(ticket, attendant):
    return ts.ticket_capture(ticket=ticket, actor=attendant)


@pytest.fixture
def suspended(captured, attendant):
    return ts.ticket_suspend(ticket=captured, actor=attendant, justification="Waiting for a part.")


@pytest.fixture
def resolved(captured, attendant):
    return ts.ticket_resolve(ticket=captured, actor=attendant, solution="Replaced the fuser.")


@pytest.fixture
def closed(resolved, user):
    return ts.ticket_close(ticket=resolved, actor=user)


@pytest.fixture
def canceled(ticket, user):
    return ts.ticket_cancel(ticket=ticket, actor=user, reason="Not needed.")


def last_audit(ticket) -> Occurrence:
    return ticket.occurrences.filter(is_system=True).select_related("category").order_by("-id").first()


def assert_audit(ticket, code: SystemCategory, author, *texts: str) -> None:
    occ = last_audit(ticket)
    assert occ.category.code == code
    assert occ.author == author
    assert occ.is_system
    assert occ.origin is None
    for text in texts:
        assert text in occ.text


def snapshot(ticket) -> tuple:
    fresh = Ticket.objects.get(pk=ticket.pk)
    return model_to_dict(fresh), fresh.updated_at, Occurrence.objects.filter(ticket=ticket).count()


def assert_refused(ticket, transition, match: str | None = None, **kwargs) -> None:
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match=match):
        transition(ticket=ticket, **kwargs)
    assert snapshot(ticket) == before


# --- allowed ------------------------------------------------------------------------------


def test_open_without_approval_goes_to_the_executor_groups_queue(ticket, user, service_desk):
    assert (ticket.situation, ticket.current_task, ticket.current_group) == (
        Situation.IN_PROGRESS,
        Task.CAPTURE,
        service_desk,
    )
    assert ticket.responsible is None
    assert ticket.occurrences.count() == 1
    assert_audit(ticket, SystemCategory.REQUEST_REGISTRATION, user, user.display_name)


def test_open_with_approval_waits_for_the_approver_group(awaiting_approval, user, approvers):
    t = awaiting_approval
    assert (t.situation, t.current_task, t.current_group) == (Situation.REGISTERED, Task.APPROVAL, approvers)
    assert_audit(t, SystemCategory.REQUEST_REGISTRATION, user)


def test_open_back_dated_dates_the_ticket_and_its_audit(user, activity, contract):
    past = timezone.now() - timedelta(days=20)
    t = factories.open_ticket(requester=user, activity=activity, contract=contract, now=past)
    assert t.created_at == past
    assert last_audit(t).created_at == past


def test_approve(awaiting_approval, approver, service_desk):
    t = ts.ticket_approve(ticket=awaiting_approval, actor=approver, observations="Budget ok.")
    t.refresh_from_db()
    assert (t.situation, t.current_task, t.current_group) == (
        Situation.IN_PROGRESS,
        Task.CAPTURE,
        service_desk,
    )
    assert_audit(t, SystemCategory.APPROVAL, approver, "Budget ok.")


def test_not_approved_closes_with_the_justification(awaiting_approval, approver):
    t = ts.ticket_reject(ticket=awaiting_approval, actor=approver, justification="No budget this year.")
    t.refresh_from_db()
    assert (t.situation, t.current_task) == (Situation.CLOSED, Task.NONE)
    assert t.closed_at is not None
    assert_audit(t, SystemCategory.APPROVAL, approver, "No budget this year.")


def test_capture(ticket, attendant):
    t = ts.ticket_capture(ticket=ticket, actor=attendant)
    t.refresh_from_db()
    assert (t.situation, t.current_task, t.responsible) == (Situation.IN_PROGRESS, Task.EXECUTION, attendant)
    assert t.captured_at is not None
    assert_audit(t, SystemCategory.CAPTURE, attendant, attendant.display_name)


def test_suspend_and_reactivate(captured, attendant):
    t = ts.ticket_suspend(ticket=captured, actor=attendant, justification="Waiting for the supplier.")
    t.refresh_from_db()
    assert t.situation == Situation.SUSPENDED
    assert t.suspended_at is not None
    assert t.sla_remaining_minutes is not None
    assert_audit(t, SystemCategory.SUSPENSION, attendant, "Waiting for the supplier.")
    t = ts.ticket_reactivate(ticket=t, actor=attendant)
    t.refresh_from_db()
    assert t.situation == Situation.IN_PROGRESS
    assert t.suspended_at is None
    assert_audit(t, SystemCategory.REACTIVATION, attendant)


def test_resolve(captured, attendant):
    t = ts.ticket_resolve(ticket=captured, actor=attendant, solution="Replaced the fuser.")
    t.refresh_from_db()
    assert (t.situation, t.current_task, t.solution) == (
        Situation.RESOLVED,
        Task.VALIDATION,
        "Replaced the fuser.",
    )
    assert t.resolved_at is not None
    assert_audit(t, SystemCategory.RESOLUTION, attendant)


@pytest.mark.parametrize("who", ["user", "attendant"])
def test_close_by_the_requester_or_the_service_desk(resolved, who, request):
    actor = request.getfixturevalue(who)
    t = ts.ticket_close(ticket=resolved, actor=actor)
    t.refresh_from_db()
    assert (t.situation, t.current_task) == (Situation.CLOSED, Task.NONE)
    assert t.closed_at is not None
    assert_audit(t, SystemCategory.CLOSING, actor)


@pytest.mark.parametrize("who", ["user", "attendant"])
def test_reopen_within_the_window(closed, who, request, attendant):
    actor = request.getfixturevalue(who)
    t = ts.ticket_reopen(ticket=closed, actor=actor, reason="It broke again.")
    t.refresh_from_db()
    assert t.situation == Situation.REOPENED
    assert t.current_task == Task.EXECUTION  # the responsible keeps it
    assert t.responsible == attendant
    assert t.closed_at is None and t.resolved_at is None  # noqa: PT018
    assert t.reopened_at is not None
    assert t.time_limit > t.reopened_at
    assert_audit(t, SystemCategory.REOPENING, actor, "It broke again.")


def test_reopened_ticket_can_be_resolved_again(closed, user, attendant):
    ts.ticket_reopen(ticket=closed, actor=user)
    t = ts.ticket_resolve(ticket=closed, actor=attendant, solution="Fixed for good.")
    assert t.situation == Situation.RESOLVED


def test_reopen_on_the_last_day_of_the_window(closed, user, set_param):
    set_param(171, 3)
    t = ts.ticket_reopen(ticket=closed, actor=user, now=closed.closed_at + timedelta(days=3))
    assert t.situation == Situation.REOPENED


@pytest.mark.parametrize("state", ["ticket", "captured", "suspended", "awaiting_approval"])
def test_requester_cancels_any_open_ticket(state, request, user):
    t = request.getfixturevalue(state)
    t = ts.ticket_cancel(ticket=t, actor=user, reason="Not needed anymore.")
    t.refresh_from_db()
    assert (t.situation, t.current_task) == (Situation.CANCELED, Task.NONE)
    assert t.canceled_at is not None
    assert_audit(t, SystemCategory.CANCELLATION, user, "Not needed anymore.")


def test_service_desk_cancels(captured, attendant):
    t = ts.ticket_cancel(ticket=captured, actor=attendant, reason="Duplicate.")
    assert t.situation == Situation.CANCELED
    assert_audit(t, SystemCategory.CANCELLATION, attendant, "Duplicate.")


def test_superuser_may_act_for_any_group(ticket, admin_user):
    t = ts.ticket_capture(ticket=ticket, actor=admin_user)
    assert t.responsible == admin_user


def test_back_dated_transitions_date_their_audit(user, activity, contract, attendant):
    t0 = timezone.now() - timedelta(days=10)
    t = factories.open_ticket(requester=user, activity=activity, contract=contract, now=t0)
    steps = [
        (ts.ticket_capture, {"actor": attendant}),
        (ts.ticket_suspend, {"actor": attendant, "justification": "Wait."}),
        (ts.ticket_reactivate, {"actor": attendant}),
        (ts.ticket_resolve, {"actor": attendant, "solution": "Done."}),
        (ts.ticket_close, {"actor": user}),
        (ts.ticket_reopen, {"actor": user}),
    ]
    for i, (transition, kwargs) in enumerate(steps, start=1):
        when = t0 + timedelta(hours=i)
        transition(ticket=t, now=when, **kwargs)
        assert last_audit(t).created_at == when
    t.refresh_from_db()
    assert t.captured_at == t0 + timedelta(hours=1)
    assert t.reopened_at == t0 + timedelta(hours=6)


# --- refused: wrong situation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "transition", "kwargs"),
    [
        ("ticket", ts.ticket_approve, {"actor": "approver"}),
        ("ticket", ts.ticket_reject, {"actor": "approver", "justification": "No."}),
        ("awaiting_approval", ts.ticket_capture, {"actor": "attendant"}),
        ("captured", ts.ticket_capture, {"actor": "attendant"}),  # already captured
        ("suspended", ts.ticket_capture, {"actor": "attendant"}),
        ("awaiting_approval", ts.ticket_suspend, {"actor": "admin_user", "justification": "x"}),
        ("suspended", ts.ticket_suspend, {"actor": "attendant", "justification": "x"}),
        ("resolved", ts.ticket_suspend, {"actor": "attendant", "justification": "x"}),
        ("captured", ts.ticket_reactivate, {"actor": "attendant"}),
        ("ticket", ts.ticket_resolve, {"actor": "attendant", "solution": "x"}),  # not captured
        ("suspended", ts.ticket_resolve, {"actor": "attendant", "solution": "x"}),
        ("resolved", ts.ticket_resolve, {"actor": "attendant", "solution": "x"}),
        ("captured", ts.ticket_close, {"actor": "attendant"}),
        ("closed", ts.ticket_close, {"actor": "attendant"}),
        ("resolved", ts.ticket_reopen, {"actor": "user"}),
        ("canceled", ts.ticket_reopen, {"actor": "user"}),
        ("resolved", ts.ticket_cancel, {"actor": "user"}),
        ("closed", ts.ticket_cancel, {"actor": "user"}),
        ("canceled", ts.ticket_cancel, {"actor": "user"}),
    ],
)
def test_refused_in_the_wrong_situation(state, transition, kwargs, request):
    t = request.getfixturevalue(state)
    kwargs = {**kwargs, "actor": request.getfixturevalue(kwargs["actor"])}
    assert_refused(t, transition, **kwargs)


def test_ticket_closed_as_not_approved_cannot_be_captured(awaiting_approval, approver, attendant):
    ts.ticket_reject(ticket=awaiting_approval, actor=approver, justification="No.")
    assert_refused(awaiting_approval, ts.ticket_capture, actor=attendant)


# --- refused: wrong actor ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "transition", "kwargs", "actors"),
    [
        ("awaiting_approval", ts.ticket_approve, {}, ["user", "attendant", "other_user"]),
        ("awaiting_approval", ts.ticket_reject, {"justification": "No."}, ["user", "attendant"]),
        ("ticket", ts.ticket_capture, {}, ["user", "other_user", "other_attendant"]),
        ("captured", ts.ticket_suspend, {"justification": "x"}, ["user", "other_user", "other_attendant"]),
        ("suspended", ts.ticket_reactivate, {}, ["user", "other_user", "other_attendant"]),
        ("captured", ts.ticket_resolve, {"solution": "x"}, ["user", "other_user", "other_attendant"]),
        ("resolved", ts.ticket_close, {}, ["other_user", "other_attendant"]),
        ("closed", ts.ticket_reopen, {}, ["other_user", "other_attendant"]),
        ("captured", ts.ticket_cancel, {}, ["other_user", "other_attendant"]),
    ],
)
def test_refused_for_the_wrong_actor(state, transition, kwargs, actors, request):
    t = request.getfixturevalue(state)
    for name in actors:
        assert_refused(t, transition, actor=request.getfixturevalue(name), **kwargs)


def test_group_member_without_staff_flag_cannot_capture(ticket, service_desk):
    member = factories.UserFactory(username="not-staff", groups=[service_desk])
    assert_refused(ticket, ts.ticket_capture, match="capture", actor=member)


# --- refused: missing text -----------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_not_approved_needs_a_justification(awaiting_approval, approver, blank):
    assert_refused(
        awaiting_approval, ts.ticket_reject, match="justification", actor=approver, justification=blank
    )


@pytest.mark.parametrize("blank", ["", "   "])
def test_suspend_needs_a_justification(captured, attendant, blank):
    assert_refused(captured, ts.ticket_suspend, match="justification", actor=attendant, justification=blank)


@pytest.mark.parametrize("blank", ["", "   "])
def test_resolve_needs_a_solution(captured, attendant, blank):
    assert_refused(captured, ts.ticket_resolve, match="solution", actor=attendant, solution=blank)


# --- refused: reopen window (parameter 171) --------------------------------------------------


def test_reopen_refused_after_the_default_seven_days(closed, user):
    assert_refused(
        closed,
        ts.ticket_reopen,
        match="7 days",
        actor=user,
        now=closed.closed_at + timedelta(days=7, seconds=1),
    )


def test_reopen_window_follows_parameter_171(closed, user, set_param):
    set_param(171, 2)
    assert policies.reopen_deadline(closed) == closed.closed_at + timedelta(days=2)
    assert_refused(
        closed, ts.ticket_reopen, match="2 days", actor=user, now=closed.closed_at + timedelta(days=3)
    )
    set_param(171, 0)
    assert_refused(closed, ts.ticket_reopen, actor=user, now=closed.closed_at + timedelta(minutes=1))


def test_reopen_deadline_is_none_unless_closed(resolved):
    assert policies.reopen_deadline(resolved) is None


def test_refused_message_names_the_ticket_and_situation(resolved, user):
    with pytest.raises(TransitionError) as exc:
        ts.ticket_cancel(ticket=resolved, actor=user)
    assert str(resolved.pk) in str(exc.value.message)
    assert "Resolved" in str(exc.value.message)
