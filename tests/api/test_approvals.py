"""Approvals through the API: the list of the approver's groups and the one decision
(approvals/services.py ``approval_decide``), with the Approve form's rules and messages."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from approvals.email_templates import email_templates_ensure
from approvals.models import Justification
from tests import factories
from tickets.models import Situation, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _templates(db):
    email_templates_ensure()


@pytest.fixture
def approver_api(joao):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=joao, name='t', days=1)[1]}")
    return client


@pytest.fixture
def awaiting(user, approval_activity, contract, joao):
    return factories.open_ticket(requester=user, activity=approval_activity, contract=contract, title="VPN")


def decide(client, ticket, **data):
    return client.post(f"/api/v1/approvals/{ticket.pk}/decide/", data, format="json")


def test_list_and_approve(approver_api, bearer, awaiting):
    rows = approver_api.get("/api/v1/approvals/").json()["results"]
    assert [(r["number"], r["may_decide"], r["requester"]) for r in rows] == [
        (awaiting.pk, True, "Maria Silva")
    ]
    assert bearer.get("/api/v1/approvals/").json()["results"] == []  # maria approves nothing
    assert decide(bearer, awaiting, decision="approved").status_code == 404  # not hers to decide
    r = decide(approver_api, awaiting, decision="approved", observations="OK")
    assert r.status_code == 200, r.content
    assert r.json() == {"ticket": awaiting.pk, "result": "approved"}
    assert Ticket.objects.get(pk=awaiting.pk).situation == Situation.IN_PROGRESS
    assert decide(approver_api, awaiting, decision="approved").status_code == 404  # no longer awaiting


def test_not_approved_needs_justification_and_complement(approver_api, awaiting):
    r = decide(approver_api, awaiting, decision="maybe")
    assert r.status_code == 400
    assert "decision" in r.json()["fields"]
    r = decide(approver_api, awaiting, decision="not_approved")
    assert r.status_code == 400
    assert set(r.json()["fields"]) == {"justification", "justification_complement"}
    assert r.json()["fields"]["justification_complement"] == ["Write the justification complement."]
    j = Justification.objects.create(name="No budget")
    r = decide(
        approver_api, awaiting, decision="not_approved", justification=j.pk, justification_complement="No"
    )
    assert r.status_code == 200
    assert r.json()["result"] == "not_approved"


def test_own_request_is_refused_with_the_pages_message(user, approvers, approval_activity, contract, joao):
    user.groups.add(approvers)
    own = factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t', days=1)[1]}")
    rows = client.get("/api/v1/approvals/").json()["results"]
    assert [(r["number"], r["may_decide"]) for r in rows] == [(own.pk, False)]
    r = decide(client, own, decision="approved")
    assert r.status_code == 403
    assert r.json()["detail"] == f"Ticket {own.pk} is your own request: another approver decides it."


def test_list_costs_the_same_at_two_sizes(approver_api, user, approval_activity, contract):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert approver_api.get("/api/v1/approvals/").status_code == 200
        return len(ctx.captured_queries)

    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    approver_api.get("/api/v1/me/")
    small = count()
    for _ in range(25):
        factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    assert (
        count() == small == 4
    )  # fixed whatever the length: the token, the scope (groups, absences), the page
