"""Shared readers in the ticket endpoints (issue 27's sharing, parameter 2701, and people in copy):
the access gate of the pages (tickets/access.py ``ticket_get_for_reader``, ``tickets_shared_with``)
and their policies; what only the requester may do is refused with the page's message."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import api_token_create
from tests import factories
from tests.tickets.helpers import move
from tickets.models import Message, Situation
from tickets.services.transitions import ticket_capture

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(user, other_user, activity, contract, attendant, set_param, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    set_param(2701, "COLLEAGUES")
    for number in (298, 299, 302):
        set_param(number, True)
    ticket = factories.open_ticket(requester=user, activity=activity, contract=contract, title="Payroll VPN")
    ticket_capture(ticket=ticket, actor=attendant)
    closed = factories.open_ticket(requester=user, activity=activity, contract=contract, title="Closed one")
    move(closed, situation=Situation.CLOSED, closed_at=timezone.now() + timedelta(seconds=1))
    factories.open_ticket(requester=other_user, activity=activity, contract=contract, title="Not shared")
    roles = factories.sharing_roles(user, tickets=[ticket, closed])
    return {"ticket": ticket, "closed": closed, **roles}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='s', days=1)[1]}")
    return client


ROLES = ("colleague", "unit_manager", "person_in_copy")


@pytest.mark.parametrize("role", ROLES)
def test_shared_with_me_lists_the_shared_tickets_with_their_requester(shared, role, user):
    r = client_for(shared[role]).get("/api/v1/tickets/?scope=shared&situation=all")
    assert r.status_code == 200, r.content
    rows = r.json()["results"]
    assert {row["number"] for row in rows} == {shared["ticket"].pk, shared["closed"].pk}
    assert {row["requester"] for row in rows} == {user.display_name}
    mine = client_for(shared[role]).get("/api/v1/tickets/?situation=all").json()["results"]
    assert mine == []


def test_my_own_list_names_me_as_requester(shared, user):
    rows = client_for(user).get("/api/v1/tickets/?situation=all").json()["results"]
    assert {row["requester"] for row in rows} == {user.display_name}


def test_an_invalid_scope_is_a_400(shared, user):
    r = client_for(user).get("/api/v1/tickets/?scope=everyone")
    assert r.status_code == 400
    assert "scope" in r.json()["fields"]


@pytest.mark.parametrize("role", ROLES)
def test_a_shared_reader_reads_detail_occurrences_and_attachments(shared, role):
    client, ticket = client_for(shared[role]), shared["ticket"]
    detail = client.get(f"/api/v1/tickets/{ticket.pk}/")
    assert detail.status_code == 200
    assert detail.json()["actions"]["cancel"] is False
    assert detail.json()["actions"]["reopen"] is False
    assert client.get(f"/api/v1/tickets/{ticket.pk}/occurrences/").status_code == 200
    assert client.get(f"/api/v1/tickets/{ticket.pk}/attachments/").status_code == 200


@pytest.mark.parametrize("role", ["colleague", "unit_manager"])
def test_a_sharer_sends_messages_and_attaches(shared, role):
    client, ticket = client_for(shared[role]), shared["ticket"]
    r = client.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"text": "Same problem here"}, format="json")
    assert r.status_code == 201, r.content
    assert Message.objects.filter(ticket=ticket, author=shared[role]).exists()
    assert client.get(f"/api/v1/tickets/{ticket.pk}/messages/").status_code == 200
    upload = SimpleUploadedFile("log.pdf", b"%PDF-1.4 log")
    r = client.post(f"/api/v1/tickets/{ticket.pk}/attachments/", {"file": upload}, format="multipart")
    assert r.status_code == 201, r.content


def test_a_person_in_copy_only_reads_the_messages_with_the_pages_refusal(shared):
    from tickets.policies import message_refusal

    client, ticket = client_for(shared["person_in_copy"]), shared["ticket"]
    r = client.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"text": "Hi"}, format="json")
    assert r.status_code == 409
    assert r.json()["detail"] == message_refusal(ticket)


@pytest.mark.parametrize("role", ROLES)
def test_cancel_reopen_opinion_and_survey_are_the_requesters_only(shared, role):
    from tickets.policies import not_available_refusal, requester_only_refusal

    client, ticket, closed = client_for(shared[role]), shared["ticket"], shared["closed"]
    for path, on in (("cancel/", ticket), ("reopen/", closed)):
        r = client.post(f"/api/v1/tickets/{on.pk}/{path}", {}, format="json")
        assert r.status_code == 409, (path, r.content)
        assert r.json()["detail"] == requester_only_refusal()
    r = client.post(
        f"/api/v1/tickets/{closed.pk}/opinion/", {"kind": "compliment", "text": "Great"}, format="json"
    )
    assert r.status_code == 409
    assert r.json()["detail"] == not_available_refusal(closed)
    r = client.post(f"/api/v1/tickets/{closed.pk}/survey/", {"evaluation": "good"}, format="json")
    assert r.status_code == 409
    assert r.json()["detail"] == not_available_refusal(closed)
    r = client.post(
        f"/api/v1/tickets/{ticket.pk}/occurrences/",
        {"category": 1, "origin": 1, "text": "x", "notify_responsible": False},
        format="json",
    )
    assert r.status_code in (400, 404)  # the Register is the requester's: 404 as on the page


def test_without_sharing_a_colleague_gets_404(shared, set_param):
    set_param(2701, "N")
    client = client_for(shared["colleague"])
    assert client.get(f"/api/v1/tickets/{shared['ticket'].pk}/").status_code == 404
    assert client.get("/api/v1/tickets/?scope=shared").json()["results"] == []
    # the person in copy still reads (copies do not depend on 2701)
    assert (
        client_for(shared["person_in_copy"]).get(f"/api/v1/tickets/{shared['ticket'].pk}/").status_code == 200
    )


def test_shared_endpoints_cost_the_same_at_two_sizes(shared, user, activity, contract):
    """Shared with me and a shared ticket's detail: as many queries with 2 or 25 more shared tickets."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, ticket = client_for(shared["colleague"]), shared["ticket"]
    client.get("/api/v1/me/")  # "last used" written

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/api/v1/tickets/?scope=shared&situation=all", f"/api/v1/tickets/{ticket.pk}/"]
    for _ in range(2):
        factories.open_ticket(requester=user, activity=activity, contract=contract)
    small = [count(u) for u in urls]
    for _ in range(25):
        factories.open_ticket(requester=user, activity=activity, contract=contract)
    assert [count(u) for u in urls] == small == [3, 3]
