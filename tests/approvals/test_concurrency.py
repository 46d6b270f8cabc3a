"""Two approvers deciding the same ticket at the same time (PostgreSQL, real row locks): exactly one
decision takes effect, the other is refused and changes nothing."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from approvals.models import Decision, Justification
from approvals.services import ApprovalRefused, approval_decide
from tests import factories
from tickets.models import Situation, Ticket


@pytest.fixture
def race(transactional_db, require_postgres):
    approvers = factories.GroupFactory(name="Approvers")
    desk = factories.GroupFactory(name="Service desk")
    first = factories.UserFactory(username="joao", groups=[approvers])
    second = factories.UserFactory(username="lia", groups=[approvers])
    requester = factories.UserFactory(username="maria")
    activity = factories.ActivityFactory(executor_group=desk, approver_group=approvers)
    ticket = factories.open_ticket(
        requester=requester, activity=activity, contract=factories.ContractFactory()
    )
    reason = Justification.objects.create(name="No budget")
    return ticket, first, second, reason


def _run(target, results, key):
    def runner():
        try:
            results[key] = target()
        except ApprovalRefused as exc:
            results[key] = exc
        finally:
            connection.close()

    return threading.Thread(target=runner)


def test_two_approvers_at_once_exactly_one_decision(race):
    ticket, first, second, reason = race
    first_locked, release = threading.Event(), threading.Event()
    results: dict = {}

    def approve_and_hold():
        with transaction.atomic():
            decision = approval_decide(ticket_id=ticket.pk, actor=first, approved=True)
            first_locked.set()  # the ticket's row is locked until this transaction commits
            release.wait(10)
        return decision

    def reject_meanwhile():
        first_locked.wait(10)
        return approval_decide(
            ticket_id=ticket.pk,
            actor=second,
            approved=False,
            justification=reason,
            justification_complement="No.",
        )

    a, b = _run(approve_and_hold, results, "a"), _run(reject_meanwhile, results, "b")
    a.start()
    b.start()
    first_locked.wait(10)
    b.join(1.0)
    assert b.is_alive(), "the second decision must wait for the first one's row lock"
    release.set()
    a.join(15)
    b.join(15)
    assert isinstance(results["a"], Decision)
    assert isinstance(results["b"], ApprovalRefused)
    assert "no longer awaiting approval" in results["b"].message
    assert Decision.objects.count() == 1
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.situation == Situation.IN_PROGRESS


def test_two_approvers_started_together(race):
    ticket, first, second, reason = race
    barrier = threading.Barrier(2)
    results: dict = {}

    def decide(actor, approved):
        def go():
            barrier.wait(10)
            return approval_decide(
                ticket_id=ticket.pk,
                actor=actor,
                approved=approved,
                justification=None if approved else reason,
                justification_complement="" if approved else "No.",
            )

        return go

    threads = [_run(decide(first, True), results, "a"), _run(decide(second, False), results, "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    outcomes = sorted(type(v).__name__ for v in results.values())
    assert outcomes == ["ApprovalRefused", "Decision"]
    assert Decision.objects.count() == 1
