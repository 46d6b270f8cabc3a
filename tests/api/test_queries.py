"""Every endpoint's query count, pinned at two data sizes (docs/architecture.md, "Tests and checks"):
a request with a token costs the token with its user (one query) and the parameter snapshot, then
the endpoint's own reads, whatever the number of tickets, occurrences, messages or files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tickets.models import Message
from tickets.services.attachments import attachment_add
from tickets.services.transitions import ticket_capture

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user, activity, contract, attendant, set_param, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for number in (298, 252, 299, 302):
        set_param(number, True)
    ticket = factories.open_ticket(requester=user, activity=activity, contract=contract)
    ticket_capture(ticket=ticket, actor=attendant)
    category = factories.CategoryFactory(name="Follow-up")
    origin = factories.OriginFactory(name="Portal")

    def grow(n):
        """``n`` more of everything: tickets, their occurrences, messages and files."""
        for i in range(n):
            t = factories.open_ticket(requester=user, activity=activity, contract=contract, title=f"T{i}")
            Message.objects.create(ticket=ticket, author=attendant, text=f"m{i}")
            attachment_add(ticket=ticket, file=SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4"), actor=user)
            ticket_capture(ticket=t, actor=attendant)  # an occurrence on t
        factories.open_ticket(requester=user, activity=activity, contract=contract)

    return {"ticket": ticket, "grow": grow, "category": category, "origin": origin}


def _count(client, method, path, data=None, **kw):
    with CaptureQueriesContext(connection) as ctx:
        r = getattr(client, method)(path, data, **kw)
    assert r.status_code < 400, (path, r.status_code, getattr(r, "content", b"")[:300])
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


# (method, path with {t} for the ticket's number, body) -> queries
ENDPOINTS = [
    ("get", "/api/v1/me/", None, 2),  # token + user, groups (no parameter read)
    ("get", "/api/v1/tickets/", None, 3),
    ("get", "/api/v1/tickets/?per_page=10", None, 3),
    ("get", "/api/v1/tickets/?search=T1", None, 4),
    ("get", "/api/v1/tickets/{t}/", None, 3),
    ("get", "/api/v1/tickets/{t}/occurrences/", None, 4),
    # ticket, parameters, the read receipts' UPDATE in its transaction (a savepoint pair here), messages
    ("get", "/api/v1/tickets/{t}/messages/", None, 7),
    ("get", "/api/v1/tickets/{t}/attachments/", None, 3),
]


@pytest.mark.parametrize(("method", "path", "body", "expected"), ENDPOINTS)
def test_reads_cost_the_same_at_two_sizes(bearer, world, method, path, body, expected):
    path = path.format(t=world["ticket"].pk)
    bearer.get("/api/v1/me/")  # "last used" written
    world["grow"](2)
    small, _ = _count(bearer, method, path, body)
    world["grow"](25)
    large, sql = _count(bearer, method, path, body)
    assert small == large, sql
    assert large == expected, "\n".join(sql)


def test_next_page_costs_one_query_more(bearer, world):
    world["grow"](12)
    bearer.get("/api/v1/me/")
    first = bearer.get("/api/v1/tickets/?per_page=10").json()
    n, sql = _count(bearer, "get", first["next"])
    assert n == 4, sql


def test_occurrence_post_costs_a_fixed_number(bearer, world):
    t, data = world["ticket"], {"category": world["category"].pk, "origin": world["origin"].pk, "text": "x"}
    bearer.get("/api/v1/me/")
    path = f"/api/v1/tickets/{t.pk}/occurrences/"
    world["grow"](2)
    small, _ = _count(bearer, "post", path, data, format="json")
    world["grow"](20)
    large, sql = _count(bearer, "post", path, data, format="json")
    assert small == large
    # token, parameters, category, origin, then the service's transaction (a savepoint pair here):
    # the ticket read and locked at once, the occurrence
    assert large == 8, "\n".join(sql)
