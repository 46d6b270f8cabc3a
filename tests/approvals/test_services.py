"""The decision service, entering approval, e-mails, tokens and substitutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Absence, Approval, ApprovalToken, Decision
from approvals.selectors import approver_scope
from approvals.services import (
    ApprovalRefused,
    absence_copies_due,
    absence_copy_emails_queue,
    absence_declare,
    absence_end,
    approval_decide,
    decider_for,
)
from outbox.models import OutboundEmail
from tests import factories
from tickets.models import Occurrence, Situation, SystemCategory, Task
from tickets.services.transitions import ticket_cancel


def _snapshot(ticket):
    ticket.refresh_from_db()
    return (ticket.situation, ticket.current_task, ticket.current_group_id, ticket.closed_at)


def _absence(user, substitute, *, start_days=-1, end_days=1):
    now = timezone.now()
    return Absence.objects.create(
        user=user,
        substitute=substitute,
        starts_at=now + timedelta(days=start_days),
        ends_at=now + timedelta(days=end_days),
    )


# --- entering approval ------------------------------------------------------------------------------


def test_a_ticket_entering_approval_records_a_pending_approval(awaiting, approvers):
    approval = Approval.objects.get(ticket=awaiting)
    assert (approval.status, approval.group) == (Approval.Status.PENDING, approvers)


def test_each_member_of_the_approver_group_is_emailed(user, approval_activity, contract, joao, approvers):
    second = factories.UserFactory(username="lia", groups=[approvers])
    factories.UserFactory(username="gone", groups=[approvers], is_active=False)
    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    rows = OutboundEmail.objects.filter(idempotency_key__startswith="approval:")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted([joao.email, second.email])
    row = rows.get(recipient=joao.email)
    assert row.template.name == "Approval request"
    # parameter 370 = N: the link is the Approvals page, no token
    assert row.context["APPROVALLINK"].endswith("/approvals/")
    assert not ApprovalToken.objects.exists()


def test_with_parameter_370_each_approver_gets_a_personal_link(
    set_param, user, approval_activity, contract, joao
):
    set_param(370, True)
    ticket = factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    token = ApprovalToken.objects.get(approval__ticket=ticket, approver=joao)
    row = OutboundEmail.objects.get(idempotency_key__startswith="approval:", recipient=joao.email)
    link = row.context["APPROVALLINK"]
    assert "/approvals/link/" in link
    raw = link.rstrip("/").rsplit("/", 1)[-1]
    assert raw not in token.token_hash  # only the hash is stored
    assert token.expires_at - token.created_at == timedelta(minutes=50)


def test_the_substitute_of_an_absent_member_gets_a_copy(user, approval_activity, contract, joao, substitute):
    _absence(joao, substitute)
    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    recipients = set(
        OutboundEmail.objects.filter(idempotency_key__startswith="approval:").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {joao.email, substitute.email}
    copy = OutboundEmail.objects.get(recipient=substitute.email)
    assert "João Souza" in copy.context["ONBEHALFOF"]


def _copies(substitute):
    return list(
        OutboundEmail.objects.filter(idempotency_key__startswith="approval:", recipient=substitute.email)
        .order_by("pk")
        .values_list("context__TITLE", flat=True)
    )


def test_an_absence_declared_under_way_copies_the_requests_already_pending(
    user, approval_activity, contract, joao, substitute, awaiting
):
    """The requests sent before the absence reach the substitute as it begins, once."""
    decided = factories.open_ticket(
        requester=user, activity=approval_activity, contract=contract, title="Old"
    )
    approval_decide(ticket_id=decided.pk, actor=joao, approved=True)
    assert _copies(substitute) == []
    now = timezone.now()
    absence = absence_declare(
        user=joao,
        substitute=substitute,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
    )
    assert _copies(substitute) == [awaiting.title]  # the decided one is not copied
    copy = OutboundEmail.objects.get(recipient=substitute.email)
    assert "João Souza" in copy.context["ONBEHALFOF"]
    absence.refresh_from_db()
    assert absence.copies_sent_at is not None
    assert absence_copies_due() == 0  # once
    assert absence_copy_emails_queue(absence_id=absence.pk) == 0
    assert _copies(substitute) == [awaiting.title]


def test_an_absence_that_begins_later_copies_them_when_it_begins(joao, substitute, awaiting, set_param):
    set_param(370, True)
    now = timezone.now()
    absence = absence_declare(
        user=joao, substitute=substitute, starts_at=now + timedelta(hours=2), ends_at=now + timedelta(days=1)
    )
    assert absence_copies_due(now=now) == 0  # not begun: nothing yet
    assert _copies(substitute) == []
    assert absence_copies_due(now=now + timedelta(hours=3)) == 1  # the beat task, once it has begun
    assert absence_copies_due(now=now + timedelta(hours=3, minutes=1)) == 0
    assert _copies(substitute) == [awaiting.title]
    token = ApprovalToken.objects.get(approver=substitute)  # parameter 370: a personal link of their own
    assert token.on_behalf_of == joao
    absence.refresh_from_db()
    assert absence.copies_sent_at is not None


def test_no_copies_after_the_absence_or_through_a_substitute_of_the_substitute(
    user, joao, substitute, awaiting
):
    now = timezone.now()
    over = _absence(joao, substitute, start_days=-3, end_days=-1)
    assert absence_copies_due(now=now) == 0
    assert absence_copy_emails_queue(absence_id=over.pk, now=now) == 0
    # carla substitutes joao, and ana substitutes carla: ana gets nothing (no cascade)
    ana = factories.UserFactory(username="ana")
    _absence(substitute, ana)
    _absence(joao, substitute)
    absence_copies_due(now=now)
    assert _copies(substitute) == [awaiting.title]
    assert _copies(ana) == []


def test_a_ticket_that_entered_approval_in_bulk_is_copied_too(joao, substitute, awaiting):
    """A ticket awaiting approval without its Approval row (rows written in bulk) still reaches the
    substitute; the row is created as the decision would create it."""
    Approval.objects.filter(ticket=awaiting).delete()
    _absence(joao, substitute)
    assert absence_copies_due() == 1
    assert _copies(substitute) == [awaiting.title]
    assert Approval.objects.get(ticket=awaiting).status == Approval.Status.PENDING


def test_the_beat_schedule_runs_the_copies():
    from django.conf import settings

    from approvals.tasks import absence_copies_due as absence_copies_due_task

    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert absence_copies_due_task.name == "approvals.tasks.absence_copies_due"
    assert absence_copies_due_task.name in tasks


# --- the decision -------------------------------------------------------------------------------------


def test_approved_goes_on_to_execution(awaiting, joao, service_desk):
    decision = approval_decide(ticket_id=awaiting.pk, actor=joao, approved=True, observations="Budget ok.")
    awaiting.refresh_from_db()
    assert (awaiting.situation, awaiting.current_task, awaiting.current_group) == (
        Situation.IN_PROGRESS,
        Task.CAPTURE,
        service_desk,
    )
    assert (decision.result, decision.decided_by, decision.on_behalf_of) == (
        Decision.Result.APPROVED,
        joao,
        None,
    )
    assert Approval.objects.get(ticket=awaiting).status == Approval.Status.APPROVED
    occ = Occurrence.objects.filter(ticket=awaiting, category__code=SystemCategory.APPROVAL).get()
    assert occ.public
    assert occ.text == "Approved by João Souza. Budget ok."
    mail = OutboundEmail.objects.get(idempotency_key=f"approval:{decision.approval_id}:decision")
    assert mail.recipient == awaiting.requester.email
    assert mail.context["RESULT"] == "Approved"


def test_not_approved_closes_the_ticket_with_the_justification(awaiting, joao, justification):
    approval_decide(
        ticket_id=awaiting.pk,
        actor=joao,
        approved=False,
        justification=justification,
        justification_complement="Ask again in January.",
    )
    awaiting.refresh_from_db()
    assert (awaiting.situation, awaiting.current_task) == (Situation.CLOSED, Task.NONE)
    assert awaiting.closed_at is not None
    occ = Occurrence.objects.get(ticket=awaiting, category__code=SystemCategory.APPROVAL)
    assert occ.text == "Not approved by João Souza: No budget this year — Ask again in January."
    assert Approval.objects.get(ticket=awaiting).status == Approval.Status.NOT_APPROVED


@pytest.mark.parametrize(
    ("justified", "complement", "match"),
    [(False, "Because.", "justification"), (True, "  ", "complement")],
)
def test_not_approved_needs_a_justification_and_its_complement(
    awaiting, joao, justification, justified, complement, match
):
    before = _snapshot(awaiting)
    with pytest.raises(ApprovalRefused, match=match):
        approval_decide(
            ticket_id=awaiting.pk,
            actor=joao,
            approved=False,
            justification=justification if justified else None,
            justification_complement=complement,
        )
    assert _snapshot(awaiting) == before
    assert not Decision.objects.exists()


def test_an_inactive_justification_is_refused(awaiting, joao, justification):
    justification.active = False
    justification.save()
    with pytest.raises(ApprovalRefused):
        approval_decide(
            ticket_id=awaiting.pk,
            actor=joao,
            approved=False,
            justification=justification,
            justification_complement="x",
        )


def test_a_second_decision_is_refused_and_changes_nothing(awaiting, joao, approvers, justification):
    colleague = factories.UserFactory(username="lia", groups=[approvers])
    approval_decide(ticket_id=awaiting.pk, actor=joao, approved=True)
    before = _snapshot(awaiting)
    with pytest.raises(ApprovalRefused, match="no longer awaiting approval"):
        approval_decide(
            ticket_id=awaiting.pk,
            actor=colleague,
            approved=False,
            justification=justification,
            justification_complement="Too late.",
        )
    assert _snapshot(awaiting) == before
    assert Decision.objects.count() == 1


def test_a_non_member_cannot_decide(awaiting, user, attendant):
    before = _snapshot(awaiting)
    for outsider in (user, attendant):
        with pytest.raises(ApprovalRefused, match="not an approver"):
            approval_decide(ticket_id=awaiting.pk, actor=outsider, approved=True)
    assert _snapshot(awaiting) == before
    assert not Decision.objects.exists()


def test_a_ticket_that_left_approval_cannot_be_decided(awaiting, joao, user):
    ticket_cancel(ticket=awaiting, actor=user)
    with pytest.raises(ApprovalRefused, match="no longer awaiting approval"):
        approval_decide(ticket_id=awaiting.pk, actor=joao, approved=True)
    assert not Decision.objects.exists()


def test_a_ticket_loaded_without_its_approval_row_is_decided_all_the_same(awaiting, joao):
    Approval.objects.all().delete()
    decision = approval_decide(ticket_id=awaiting.pk, actor=joao, approved=True)
    assert decision.approval.ticket_id == awaiting.pk


# --- substitutes ------------------------------------------------------------------------------------


def test_during_the_absence_the_substitute_decides_on_behalf(awaiting, joao, substitute):
    _absence(joao, substitute)
    assert decider_for(substitute, group_id=awaiting.current_group_id).on_behalf_of == joao
    decision = approval_decide(ticket_id=awaiting.pk, actor=substitute, approved=True)
    assert (decision.decided_by, decision.on_behalf_of) == (substitute, joao)
    occ = Occurrence.objects.get(ticket=awaiting, category__code=SystemCategory.APPROVAL)
    assert occ.text == "Approved by Carla Costa on behalf of João Souza."


@pytest.mark.parametrize(("start", "end"), [(1, 2), (-3, -1)], ids=["before", "after"])
def test_before_and_after_the_absence_the_substitute_cannot(awaiting, joao, substitute, start, end):
    _absence(joao, substitute, start_days=start, end_days=end)
    assert approver_scope(substitute).group_ids == []
    with pytest.raises(ApprovalRefused):
        approval_decide(ticket_id=awaiting.pk, actor=substitute, approved=True)


def test_an_absence_ended_early_stops_the_substitution(awaiting, joao, substitute):
    absence = _absence(joao, substitute)
    absence_end(absence=absence, actor=joao)
    with pytest.raises(ApprovalRefused):
        approval_decide(ticket_id=awaiting.pk, actor=substitute, approved=True)


def test_substitution_does_not_cascade(awaiting, joao, substitute):
    third = factories.UserFactory(username="davi")
    _absence(joao, substitute)
    _absence(substitute, third)
    assert approver_scope(third).group_ids == []
    with pytest.raises(ApprovalRefused):
        approval_decide(ticket_id=awaiting.pk, actor=third, approved=True)


def test_absence_declare_validates(joao, substitute):
    now = timezone.now()
    with pytest.raises(ApprovalRefused):
        absence_declare(user=joao, substitute=joao, starts_at=now, ends_at=now + timedelta(days=1))
    with pytest.raises(ApprovalRefused):
        absence_declare(user=joao, substitute=substitute, starts_at=now, ends_at=now - timedelta(days=1))
    absence_declare(user=joao, substitute=substitute, starts_at=now, ends_at=now + timedelta(days=1))
    with pytest.raises(ApprovalRefused, match="already"):
        absence_declare(
            user=joao,
            substitute=substitute,
            starts_at=now + timedelta(hours=1),
            ends_at=now + timedelta(days=2),
        )


def test_only_the_absent_user_or_an_administrator_ends_an_absence(joao, substitute, admin_user):
    absence = _absence(joao, substitute)
    with pytest.raises(ApprovalRefused):
        absence_end(absence=absence, actor=substitute)
    absence_end(absence=absence, actor=admin_user)
    absence.refresh_from_db()
    assert absence.ended_at is not None
    assert not absence.is_active()
