"""The approvals in the demo data (``manage.py seed_demo``)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from approvals.models import Approval, Decision, Justification
from approvals.selectors import approval_list_for_user, approver_scope
from catalog.selectors import activity_list_visible
from tickets.models import Situation, Task
from tickets.services.opening import request_open


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_two_of_marias_tickets_await_joaos_group(seeded):
    joao = User.objects.get(username="joao")
    pending = list(approval_list_for_user(joao, approver_scope(joao)))
    assert len(pending) >= 2
    assert {t.requester.username for t in pending} == {"maria"}
    assert Approval.objects.filter(ticket__in=pending, status=Approval.Status.PENDING).count() == len(pending)


def test_a_new_request_of_maria_in_that_activity_awaits_joaos_approval(seeded):
    maria, joao = User.objects.get(username="maria"), User.objects.get(username="joao")
    awaiting = approval_list_for_user(joao, approver_scope(joao)).first()
    activity = activity_list_visible(user=maria).get(pk=awaiting.activity_id)  # in maria's catalog
    ticket = request_open(user=maria, activity=activity, title="Another folder", description="Please.")
    assert (ticket.situation, ticket.current_task) == (Situation.REGISTERED, Task.APPROVAL)
    assert ticket in approval_list_for_user(joao, approver_scope(joao))


def test_justifications_emails_and_past_decisions(seeded):
    assert Justification.objects.filter(active=True).count() >= 3
    assert not User.objects.filter(email="").exists()
    results = set(Decision.objects.filter(decided_by__username="joao").values_list("result", flat=True))
    assert results == {Decision.Result.APPROVED, Decision.Result.NOT_APPROVED}
