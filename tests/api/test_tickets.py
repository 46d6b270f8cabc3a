"""My tickets through the API: the rules of My Requests and of the row actions (tickets/policies.py,
occurrences/services.py), the same refusal messages, keyset pages, and fixed query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from tests.tickets.helpers import move
from tickets.models import Message, Occurrence, Situation, Ticket
from tickets.services.transitions import ticket_capture

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tickets/"


def url(ticket, tail=""):
    return f"/api/v1/tickets/{ticket.pk}/{tail}"


@pytest.fixture
def category(db):
    return factories.CategoryFactory(name="Customer follow-up")


@pytest.fixture
def origin(db):
    return factories.OriginFactory(name="Portal")


def make(user, activity, contract, n, **kw):
    return [
        factories.open_ticket(requester=user, activity=activity, contract=contract, **kw) for _ in range(n)
    ]


def numbers(response):
    return [t["number"] for t in response.json()["results"]]


def test_list_is_mine_only_with_filters_and_search(bearer, user, other_user, activity, contract):
    mine = make(user, activity, contract, 3)
    make(other_user, activity, contract, 2)
    move(mine[0], situation=Situation.CANCELED)
    factories.open_ticket(requester=user, activity=activity, contract=contract, title="Broken keyboard")
    r = bearer.get(LIST, {"situation": "all"})
    assert r.status_code == 200
    assert len(r.json()["results"]) == 4
    assert r.json()["next"] is None
    assert numbers(bearer.get(LIST, {"situation": "canceled"})) == [mine[0].pk]
    assert len(numbers(bearer.get(LIST, {"search": "keyboard"}))) == 1
    assert numbers(bearer.get(LIST, {"search": f"#{mine[1].pk}"})) == [mine[1].pk]
    asc = numbers(bearer.get(LIST, {"sort": "ticket", "order": "asc"}))
    assert asc == sorted(asc)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("created", "desc"),
        ("ticket", "asc"),
        ("time_limit", "asc"),
        ("group", "desc"),
        ("sla_status", "asc"),
        ("priority", "desc"),
    ],
)
def test_keyset_pages_cover_the_list_once_and_are_stable_under_inserts(
    bearer, user, activity, contract, sort, order
):
    tickets = make(user, activity, contract, 25)
    now = timezone.now()
    for i, t in enumerate(tickets):  # ties and NULLs on the sort keys
        move(
            t,
            created_at=now - timedelta(minutes=i // 3),
            time_limit=None if i % 4 == 0 else t.time_limit,
            current_group=None if i % 5 == 0 else t.current_group,
            priority=1 + i % 3,
        )
    seen = []
    r = bearer.get(LIST, {"sort": sort, "order": order, "per_page": 10})
    seen += numbers(r)
    make(user, activity, contract, 3)  # inserted between pages: never repeats or hides a row
    while r.json()["next"]:
        r = bearer.get(r.json()["next"])
        assert r.status_code == 200
        seen += numbers(r)
    assert len(seen) == len(set(seen))
    assert {t.pk for t in tickets} <= set(seen)


def test_bad_cursor_is_400_in_the_error_shape(bearer, user, other_user, activity, contract):
    theirs = make(other_user, activity, contract, 1)[0]
    from api.pagination import cursor_encode

    for cursor in ("!!", "abc", cursor_encode(theirs.pk)):
        r = bearer.get(LIST, {"cursor": cursor})
        assert r.status_code == 400
        assert r.json()["code"] == "invalid"
        assert "cursor" in r.json()["fields"]


def test_detail_and_another_users_ticket_is_404(bearer, user, other_user, ticket, activity, contract):
    r = bearer.get(url(ticket))
    assert r.status_code == 200
    body = r.json()
    assert body["number"] == ticket.pk
    assert body["description"] == ticket.description
    assert body["actions"]["cancel"] is False  # parameter 302 off
    theirs = make(other_user, activity, contract, 1)[0]
    for tail in ("", "occurrences/", "messages/", "attachments/", "cancel/", "reopen/"):
        r = (
            bearer.get(url(theirs, tail))
            if not tail.endswith(("cancel/", "reopen/"))
            else bearer.post(url(theirs, tail), {}, format="json")
        )
        assert r.status_code == 404, tail
        assert r.json()["code"] == "not_found"


def test_occurrences_list_and_register(bearer, user, ticket, set_param, category, origin):
    set_param(298, True)
    data = {"category": category.pk, "origin": origin.pk, "text": "Hi"}
    r = bearer.post(url(ticket, "occurrences/"), data, format="json")
    assert r.status_code == 409
    assert r.json() == {
        "detail": "Registering occurrences through the portal is not enabled.",
        "code": "refused",
        "fields": {},
    }
    set_param(252, True)
    r = bearer.post(url(ticket, "occurrences/"), {"text": ""}, format="json")
    assert r.status_code == 400
    assert set(r.json()["fields"]) == {"category", "origin", "text"}
    assert bearer.post(url(ticket, "occurrences/"), data).status_code == 415  # JSON bodies
    r = bearer.post(url(ticket, "occurrences/"), {**data, "text": ["x"]}, format="json")
    assert r.json()["fields"] == {"text": ["Not a valid string."]}
    data = {"category": category.pk, "origin": origin.pk, "text": "Any news?", "notify_responsible": True}
    r = bearer.post(url(ticket, "occurrences/"), data, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["text"] == "Any news?"
    assert r.json()["notify_responsible"] is True
    occ = Occurrence.objects.get(ticket=ticket, is_system=False)
    assert occ.author == user
    listed = bearer.get(url(ticket, "occurrences/")).json()
    assert listed[0]["id"] == occ.pk
    move(ticket, situation=Situation.SUSPENDED)
    r = bearer.post(url(ticket, "occurrences/"), data, format="json")
    assert r.status_code == 409
    assert "can only be registered on tickets In Progress" in r.json()["detail"]


def test_occurrence_category_and_origin_locked_by_262_263(bearer, ticket, set_param, category, origin):
    set_param(252, True)
    other = factories.CategoryFactory(name="Other")
    set_param(262, category.pk)
    set_param(263, origin.pk)
    r = bearer.post(url(ticket, "occurrences/"), {"category": other.pk, "text": "x"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["category"]["id"] == category.pk
    assert r.json()["origin"]["id"] == origin.pk


def test_occurrences_list_needs_298(bearer, ticket):
    r = bearer.get(url(ticket, "occurrences/"))
    assert r.status_code == 409
    assert r.json()["code"] == "refused"


def test_messages(bearer, user, ticket, attendant, set_param):
    r = bearer.get(url(ticket, "messages/"))
    assert r.json()["detail"] == "Messages are not enabled."
    set_param(299, True)
    assert bearer.get(url(ticket, "messages/")).json()["detail"] == (
        "Messages are possible once an attendant has captured the ticket."
    )
    ticket_capture(ticket=ticket, actor=attendant)
    Message.objects.create(ticket=ticket, author=attendant, text="Hello")
    r = bearer.get(url(ticket, "messages/"))
    assert r.status_code == 200
    assert r.json()[0]["from_requester"] is False
    assert Message.objects.get().read_at is not None  # read, as on the page
    r = bearer.post(url(ticket, "messages/"), {"text": "Thanks"}, format="json")
    assert r.status_code == 201
    assert r.json()["from_requester"] is True
    assert bearer.post(url(ticket, "messages/"), {"text": ""}, format="json").json()["fields"] == {
        "text": ["This field is required."]
    }


def test_attachments_upload_and_download(bearer, api, user, ticket, settings, tmp_path, other_user):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    r = bearer.post(url(ticket, "attachments/"), {"file": upload}, format="multipart")
    assert r.status_code == 201, r.content
    download = r.json()["download"]
    assert r.json()["name"] == "report.pdf"
    got = bearer.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == b"%PDF-1.4 hello"
    assert got["Content-Disposition"].startswith("attachment")
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    r = bearer.post(url(ticket, "attachments/"), {"file": bad}, format="multipart")
    assert r.status_code == 400
    assert "file" in r.json()["fields"]
    listed = bearer.get(url(ticket, "attachments/")).json()
    assert [a["name"] for a in listed] == ["report.pdf"]
    move(ticket, situation=Situation.CANCELED)
    r = bearer.post(url(ticket, "attachments/"), {"file": upload}, format="multipart")
    assert r.status_code == 409
    assert "can no longer be changed" in r.json()["detail"]
    api.force_authenticate(other_user)
    assert api.get(download).status_code == 404


def test_cancel_302_and_reopen_171(bearer, user, ticket, set_param):
    r = bearer.post(url(ticket, "cancel/"), {}, format="json")
    assert r.status_code == 409
    assert r.json()["detail"] == "Canceling requests through the portal is not enabled."
    set_param(302, True)
    r = bearer.post(url(ticket, "cancel/"), {"reason": "Not needed"}, format="json")
    assert r.status_code == 200
    assert r.json()["situation"] == "canceled"
    assert Ticket.objects.get().situation == Situation.CANCELED
    r = bearer.post(url(ticket, "reopen/"), {}, format="json")
    assert r.status_code == 409
    assert "Only a Closed ticket can be reopened" in r.json()["detail"]
    move(ticket, created_at=timezone.now() - timedelta(days=500))
    move(ticket, situation=Situation.CLOSED, closed_at=timezone.now() - timedelta(days=1))
    r = bearer.post(url(ticket, "reopen/"), {}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["situation"] == "reopened"
    move(ticket, situation=Situation.CLOSED, closed_at=timezone.now() - timedelta(days=400))
    r = bearer.post(url(ticket, "reopen/"), {}, format="json")
    assert r.status_code == 409
    assert "can no longer be reopened" in r.json()["detail"]


def test_opinion_and_survey_on_a_closed_ticket(bearer, user, ticket, set_param):
    r = bearer.post(url(ticket, "opinion/"), {"kind": "compliment", "text": "Great"}, format="json")
    assert r.status_code == 409
    assert r.json()["detail"].startswith("This action is not available for ticket")
    move(ticket, created_at=timezone.now() - timedelta(days=3))
    move(ticket, situation=Situation.CLOSED, closed_at=timezone.now() - timedelta(days=1))
    r = bearer.post(url(ticket, "opinion/"), {"kind": "nice", "text": "x"}, format="json")
    assert set(r.json()["fields"]) == {"kind"}
    r = bearer.post(url(ticket, "opinion/"), {"kind": "compliment", "text": ""}, format="json")
    assert r.json()["fields"] == {"text": ["This field is required."]}
    r = bearer.post(url(ticket, "opinion/"), {"kind": "compliment", "text": "Great"}, format="json")
    assert r.status_code == 201
    r = bearer.post(url(ticket, "opinion/"), {"kind": "complaint", "text": "Slow"}, format="json")
    assert r.status_code == 200
    assert r.json()["kind"] == "complaint"
    r = bearer.post(url(ticket, "survey/"), {"evaluation": "not_attended"}, format="json")
    assert r.status_code == 400  # parameter 295 off: not offered
    r = bearer.post(url(ticket, "survey/"), {"evaluation": "good", "comment": "Fine"}, format="json")
    assert r.status_code == 201
    r = bearer.post(url(ticket, "survey/"), {"evaluation": "good"}, format="json")
    assert r.status_code == 409
    assert r.json()["detail"] == f"The satisfaction survey of ticket {ticket.pk} was already answered."


def test_survey_not_attended_reopens_with_295(bearer, user, ticket, set_param):
    set_param(295, True)
    move(ticket, created_at=timezone.now() - timedelta(days=3))
    move(ticket, situation=Situation.CLOSED, closed_at=timezone.now() - timedelta(days=1))
    r = bearer.post(url(ticket, "survey/"), {"evaluation": "not_attended", "reopen": True}, format="json")
    assert r.status_code == 201, r.content
    assert Ticket.objects.get(pk=ticket.pk).situation == Situation.REOPENED
