"""The personal link of the approval e-mail (parameter 370 = Y)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalToken, Decision
from outbox.models import OutboundEmail
from tests import factories
from tickets.models import Situation


@pytest.fixture
def linked(set_param, user, approval_activity, contract, joao):
    """A ticket awaiting joao's approval, opened with parameter 370 = Y: (ticket, joao's link path)."""
    set_param(370, True)
    ticket = factories.open_ticket(
        requester=user, activity=approval_activity, contract=contract, title="Laptop"
    )
    mail = OutboundEmail.objects.get(idempotency_key__startswith="approval:", recipient=joao.email)
    link = mail.context["APPROVALLINK"]
    return ticket, urlparse(link).path


def test_the_link_opens_the_confirmation_page_without_login_and_the_get_changes_nothing(client, linked):
    ticket, path = linked
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Laptop" in html
        assert 'id="link-approve"' in html
        assert 'id="link-reject"' in html
    ticket.refresh_from_db()
    assert ticket.situation == Situation.REGISTERED
    assert ApprovalToken.objects.get().used_at is None


def test_approve_works_once(client, linked, joao):
    ticket, path = linked
    response = client.post(path, {"decision": "approved"})
    assert response.status_code == 200
    assert 'id="approval-link-done"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS
    decision = Decision.objects.get()
    assert (decision.decided_by, decision.via) == (joao, Decision.Via.EMAIL)
    again = client.post(path, {"decision": "approved"})
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert Decision.objects.count() == 1


def test_reject_asks_for_the_justification(client, linked, justification):
    ticket, path = linked
    response = client.post(path, {"decision": "not_approved"})
    assert response.status_code == 200
    assert 'id="id_justification-errors"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.situation == Situation.REGISTERED
    client.post(
        path,
        {"decision": "not_approved", "justification": justification.pk, "justification_complement": "No."},
    )
    ticket.refresh_from_db()
    assert ticket.situation == Situation.CLOSED


def test_an_expired_link_explains_itself(client, linked):
    ticket, path = linked
    ApprovalToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    for method in (client.get, client.post):
        response = method(path, {"decision": "approved"} if method == client.post else None)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.situation == Situation.REGISTERED


def test_a_link_used_by_another_account_explains_itself(client_as, linked, user):
    ticket, path = linked
    client = client_as(user)
    for response in (client.get(path), client.post(path, {"decision": "approved"})):
        assert response.status_code == 403
        assert "another person" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.situation == Situation.REGISTERED


def test_the_approver_logged_in_may_use_it(client_as, linked, joao):
    _ticket, path = linked
    assert client_as(joao).get(path).status_code == 200


def test_a_link_to_a_ticket_decided_meanwhile_explains_itself(client, client_as, linked, joao):
    ticket, path = linked
    client_as(joao).post(reverse("approvals:decide", args=[ticket.pk]), {"decision": "approved"})
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "already decided" in response.content.decode()


def test_an_unknown_link_and_370_off(client, linked, set_param):
    _ticket, path = linked
    assert client.get(reverse("approvals:link", kwargs={"token": "x" * 43})).status_code == 404
    set_param(370, False)
    assert client.get(path).status_code == 410


def test_the_substitutes_copy_decides_on_behalf(
    client, set_param, user, approval_activity, contract, joao, substitute
):
    from approvals.models import Absence

    now = timezone.now()
    Absence.objects.create(
        user=joao, substitute=substitute, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    set_param(370, True)
    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    mail = OutboundEmail.objects.get(idempotency_key__startswith="approval:", recipient=substitute.email)
    path = urlparse(mail.context["APPROVALLINK"]).path
    assert "on behalf of" in client.get(path).content.decode()
    client.post(path, {"decision": "approved"})
    decision = Decision.objects.get()
    assert (decision.decided_by, decision.on_behalf_of) == (substitute, joao)
