"""Segregation of duties: a requester does not decide their own request (issue 20 §4).

One rule (``tickets.policies.own_request_barred``, parameter 372) on every path: the Approvals list
and pages, the decision POST and service, the e-mailed link (parameter 370), the substitute, the
approval e-mails and the ticket's admin page. The request still waits for another approver, who
decides it; parameter 372 = Y allows the requester on every path.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Absence, Approval, ApprovalToken, Decision
from approvals.selectors import approver_state
from approvals.services import (
    ApprovalRefused,
    OwnRequestRefused,
    absence_declare,
    approval_decide,
    approval_token_create,
)
from core.exceptions import ApplicationError
from outbox.models import OutboundEmail
from parameters import registry as r
from tests import factories
from tickets.models import Situation, Task
from tickets.policies import may_approve, own_request_barred

NOTE = "Your own request: another approver decides."
REFUSAL = "is your own request: another approver decides it."


@pytest.fixture
def maria_approver(user, approvers):
    """maria (``user``), the requester of ``own``, is a member of the approver group too."""
    user.groups.add(approvers)
    return user


@pytest.fixture
def own(maria_approver, approval_activity, contract, joao):
    """maria's request, awaiting her own group (joao is the other member)."""
    return factories.open_ticket(
        requester=maria_approver, activity=approval_activity, contract=contract, title="My own laptop"
    )


def _pending(ticket):
    """The request still waits: Registered / Approval, one pending approval, no decision."""
    ticket.refresh_from_db()
    assert (ticket.situation, ticket.current_task) == (Situation.REGISTERED, Task.APPROVAL)
    assert Approval.objects.get(ticket=ticket).status == Approval.Status.PENDING
    assert not Decision.objects.filter(ticket=ticket).exists()


def _row(html: str, pk: int) -> str:
    match = re.search(rf'<tr id="ticket-{pk}".*?</tr>', html, re.S)
    assert match, f"ticket {pk} is not listed"
    return match.group(0)


def _request_recipients(ticket) -> set[str]:
    approval = Approval.objects.get(ticket=ticket)
    return set(
        OutboundEmail.objects.filter(
            idempotency_key__startswith=f"approval:{approval.pk}:request:"
        ).values_list("recipient", flat=True)
    )


# --- the rule and its parameter ---------------------------------------------------------------------


def test_parameter_372_is_declared_off_by_default():
    p = r.get(372)
    assert p is r.APPROVAL_BY_REQUESTER
    assert (p.kind, p.default, p.group) == (r.Kind.FLAG, False, r.Group.TICKET)
    assert str(p.name) == "Allow a requester to approve their own request"


def test_the_rule(own, maria_approver, joao, set_param):
    assert own_request_barred(maria_approver, own)
    assert not own_request_barred(joao, own)
    assert not may_approve(maria_approver, own)  # the ticket's admin page asks this
    assert may_approve(joao, own)
    set_param(372, True)
    assert not own_request_barred(maria_approver, own)
    assert may_approve(maria_approver, own)


def test_the_refusal_is_an_application_error():
    assert issubclass(OwnRequestRefused, ApprovalRefused)
    assert issubclass(OwnRequestRefused, ApplicationError)


# --- the pages --------------------------------------------------------------------------------------


def test_the_list_shows_ones_own_request_without_approve_and_says_why(client_as, own, maria_approver):
    html = client_as(maria_approver).get(reverse("approvals:list")).content.decode()
    row = _row(html, own.pk)
    decide = reverse("approvals:decide", args=[own.pk])
    assert 'data-action="approve"' not in row
    assert not re.search(rf'href="{decide}[?"]', row)
    assert NOTE in row
    assert 'data-action="description"' in row  # it can still be read
    # The menu count includes it, as the list does (it waits for another approver).
    assert re.search(r'id="approvals-count">1<', html)
    assert approver_state(maria_approver).menu.count == 1


def test_another_approver_sees_approve(client_as, own, joao):
    row = _row(client_as(joao).get(reverse("approvals:list")).content.decode(), own.pk)
    assert 'data-action="approve"' in row
    assert NOTE not in row


def test_the_detail_pages_show_why_and_no_approve(client_as, own, maria_approver):
    client = client_as(maria_approver)
    for name in ("description", "attachments", "history"):
        response = client.get(reverse(f"approvals:{name}", args=[own.pk]))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'data-action="approve"' not in html, name
        if name != "history":
            assert 'id="own-request"' in html, name
            assert NOTE in html, name


def test_the_decision_page_shows_the_refusal_without_the_form(client_as, own, maria_approver):
    response = client_as(maria_approver).get(reverse("approvals:decide", args=[own.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="approval-form"' not in html
    assert 'id="own-request"' in html
    assert NOTE in html
    _pending(own)


@pytest.mark.parametrize("decision", ["approved", "not_approved"])
def test_the_decision_post_is_refused_and_changes_nothing(
    client_as, own, maria_approver, justification, decision
):
    client = client_as(maria_approver)
    data = {
        "decision": decision,
        "observations": "mine",
        "justification": justification.pk,
        "justification_complement": "no",
    }
    response = client.post(reverse("approvals:decide", args=[own.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("approvals:list")
    assert f"Ticket {own.number} {REFUSAL}" in response.content.decode()
    _pending(own)
    assert not OutboundEmail.objects.filter(idempotency_key__contains=":decision").exists()


def test_the_service_refuses_it(own, maria_approver, justification):
    with pytest.raises(OwnRequestRefused) as refused:
        approval_decide(ticket_id=own.pk, actor=maria_approver, approved=True)
    assert REFUSAL in refused.value.message
    with pytest.raises(OwnRequestRefused):
        approval_decide(
            ticket_id=own.pk,
            actor=maria_approver,
            approved=False,
            justification=justification,
            justification_complement="no",
        )
    _pending(own)


def test_another_approver_still_decides(client_as, own, joao):
    response = client_as(joao).post(reverse("approvals:decide", args=[own.pk]), {"decision": "approved"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.situation == Situation.IN_PROGRESS
    assert Decision.objects.get(ticket=own).decided_by == joao


def test_the_ticket_admin_offers_no_decision_to_the_requester(client_as, own, maria_approver, set_param):
    """The admin's "Approve or not approve (portal)" link (tickets/admin.py, may_approve)."""
    maria_approver.is_staff = True
    maria_approver.save(update_fields=["is_staff"])
    change = reverse("admin:tickets_ticket_change", args=[own.pk])
    response = client_as(maria_approver).get(change)
    assert response.status_code == 200
    assert response.context["approval_url"] == ""
    assert 'id="approval-decide"' not in response.content.decode()
    set_param(372, True)
    response = client_as(maria_approver).get(change)
    assert response.context["approval_url"] == reverse("approvals:decide", args=[own.pk])


# --- the e-mails and the link (parameter 370) -------------------------------------------------------


def test_the_requester_is_not_sent_the_approval_request(
    set_param, maria_approver, approval_activity, contract, joao
):
    set_param(370, True)
    ticket = factories.open_ticket(requester=maria_approver, activity=approval_activity, contract=contract)
    assert _request_recipients(ticket) == {joao.email}
    assert set(ApprovalToken.objects.values_list("approver_id", flat=True)) == {joao.pk}


def test_with_372_the_requester_is_sent_it(set_param, maria_approver, approval_activity, contract, joao):
    set_param(370, True)
    set_param(372, True)
    ticket = factories.open_ticket(requester=maria_approver, activity=approval_activity, contract=contract)
    assert _request_recipients(ticket) == {joao.email, maria_approver.email}


@pytest.fixture
def own_link(set_param, own, maria_approver):
    """A personal link of maria's for her own request (made while 372 was Y, or by hand): its path."""
    set_param(370, True)
    _token, raw = approval_token_create(approval=Approval.objects.get(ticket=own), approver=maria_approver)
    return urlparse(reverse("approvals:link", kwargs={"token": raw})).path


def test_the_email_link_refuses_it(client, own, own_link):
    for response in (client.get(own_link), client.post(own_link, {"decision": "approved"})):
        assert response.status_code == 403
        html = response.content.decode()
        assert f"Ticket {own.number} {REFUSAL}" in html
        assert 'id="link-approve"' not in html
    _pending(own)
    assert ApprovalToken.objects.get(approver__username="maria").used_at is None


def test_with_372_the_email_link_decides(client, own, own_link, maria_approver, set_param):
    set_param(372, True)
    assert 'id="link-approve"' in client.get(own_link).content.decode()
    assert client.post(own_link, {"decision": "approved"}).status_code == 200
    own.refresh_from_db()
    assert own.situation == Situation.IN_PROGRESS
    decision = Decision.objects.get(ticket=own)
    assert (decision.decided_by, decision.via) == (maria_approver, Decision.Via.EMAIL)


# --- the substitute -------------------------------------------------------------------------------


@pytest.fixture
def carla_substitutes_joao(joao, substitute):
    now = timezone.now()
    Absence.objects.create(
        user=joao, substitute=substitute, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    return substitute


@pytest.fixture
def carlas(carla_substitutes_joao, approval_activity, contract):
    """A request of carla, who is not in the approver group but substitutes joao, who is away."""
    return factories.open_ticket(
        requester=carla_substitutes_joao, activity=approval_activity, contract=contract, title="Carla's phone"
    )


def test_a_substitute_who_is_the_requester_is_refused(client_as, carlas, carla_substitutes_joao):
    carla = carla_substitutes_joao
    client = client_as(carla)
    row = _row(client.get(reverse("approvals:list")).content.decode(), carlas.pk)
    assert 'data-action="approve"' not in row
    assert NOTE in row
    decide = reverse("approvals:decide", args=[carlas.pk])
    assert client.get(decide).status_code == 403
    response = client.post(decide, {"decision": "approved"}, follow=True)
    assert REFUSAL in response.content.decode()
    with pytest.raises(OwnRequestRefused):
        approval_decide(ticket_id=carlas.pk, actor=carla, approved=True)
    _pending(carlas)


def test_a_substitute_who_is_the_requester_gets_no_copy(
    set_param, carla_substitutes_joao, approval_activity, contract, joao
):
    set_param(370, True)
    ticket = factories.open_ticket(
        requester=carla_substitutes_joao, activity=approval_activity, contract=contract
    )
    assert _request_recipients(ticket) == {joao.email}


def test_copies_at_the_start_of_an_absence_skip_the_substitutes_own_request(
    user, approval_activity, contract, joao, substitute, awaiting
):
    mine = factories.open_ticket(
        requester=substitute, activity=approval_activity, contract=contract, title="Mine"
    )
    now = timezone.now()
    absence_declare(
        user=joao,
        substitute=substitute,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
    )
    copied = set(
        OutboundEmail.objects.filter(
            idempotency_key__startswith="approval:", recipient=substitute.email
        ).values_list("context__TITLE", flat=True)
    )
    assert copied == {awaiting.title}
    assert mine.title not in copied


def test_with_372_the_substitute_decides_their_own_request(
    client_as, carlas, carla_substitutes_joao, joao, set_param
):
    set_param(372, True)
    client = client_as(carla_substitutes_joao)
    row = _row(client.get(reverse("approvals:list")).content.decode(), carlas.pk)
    assert 'data-action="approve"' in row
    assert NOTE not in row
    assert (
        client.post(reverse("approvals:decide", args=[carlas.pk]), {"decision": "approved"}).status_code
        == 302
    )
    decision = Decision.objects.get(ticket=carlas)
    assert (decision.decided_by, decision.on_behalf_of) == (carla_substitutes_joao, joao)


# --- parameter 372 = Y on the pages -----------------------------------------------------------------


def test_with_372_the_requester_decides_in_the_portal(client_as, own, maria_approver, set_param):
    set_param(372, True)
    client = client_as(maria_approver)
    row = _row(client.get(reverse("approvals:list")).content.decode(), own.pk)
    assert 'data-action="approve"' in row
    assert NOTE not in row
    decide = reverse("approvals:decide", args=[own.pk])
    page = client.get(decide)
    assert page.status_code == 200
    assert 'id="approval-form"' in page.content.decode()
    assert 'id="own-request"' not in page.content.decode()
    assert client.post(decide, {"decision": "approved"}).status_code == 302
    own.refresh_from_db()
    assert own.situation == Situation.IN_PROGRESS
    assert Decision.objects.get(ticket=own).decided_by == maria_approver
