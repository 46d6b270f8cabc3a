"""Who gets what on every ticket URL of the portal, generated from the URLconfs.

Each pattern of ``tickets.urls`` and ``occurrences.urls`` must have a row in EXPECTED, so a new URL
without a decision here fails ``test_every_url_has_a_row``. Each row names the ticket it is tried on
(one where the action is allowed to the owner) and the status each role gets on GET.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import occurrences.urls
import tickets.urls
from tickets.attachments import attachment_add

ROLES = ("anonymous", "owner", "other_user", "group_attendant", "far_attendant", "admin")


def _row(ticket, owner=200, attendant=404, admin=404, other=404):
    return {
        "ticket": ticket,
        "anonymous": 302,
        "owner": owner,
        "other_user": other,
        "group_attendant": attendant,
        "far_attendant": 404,
        "admin": admin,
    }


# url name -> the ticket it is tried on ("open": captured In Progress; "closed": closed today) and codes.
EXPECTED = {
    "tickets:my-requests": {
        **_row(None),
        "other_user": 200,
        "group_attendant": 200,
        "far_attendant": 200,
        "admin": 200,
    },
    "tickets:description": _row("open"),
    "tickets:occurrences": _row("open"),
    "occurrences:register": _row("open"),
    "tickets:attachments": _row("open"),
    "tickets:attachment-download": _row("open", attendant=200, admin=200),
    "tickets:attachment-remove": _row("open"),
    "tickets:cancel": _row("open"),
    "tickets:reopen": _row("closed"),
    "tickets:register-opinion": _row("closed"),
    "tickets:survey": _row("closed"),
    "tickets:message": _row("open"),
    "tickets:message-poll": _row("open"),
    # An unknown token: the same "no longer valid" page (410) for everyone logged in.
    "tickets:survey-link": {
        **_row(None),
        "owner": 410,
        "other_user": 410,
        "group_attendant": 410,
        "far_attendant": 410,
        "admin": 410,
    },
}


def _patterns():
    for module in (tickets.urls, occurrences.urls):
        for p in module.urlpatterns:
            yield f"{module.app_name}:{p.name}", p


PATTERNS = dict(_patterns())


def test_every_url_has_a_row():
    assert set(PATTERNS) == set(EXPECTED), "add a row to EXPECTED for each new ticket URL"


@pytest.fixture
def world(user, other_user, attendant, admin_user, captured, closed_copy, far_attendant, set_param):
    for number in (298, 252, 302, 299):
        set_param(number, True)
    attachment = attachment_add(ticket=captured, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), actor=user)
    return {
        "users": {
            "owner": user,
            "other_user": other_user,
            "group_attendant": attendant,
            "far_attendant": far_attendant,
            "admin": admin_user,
        },
        "tickets": {"open": captured, "closed": closed_copy},
        "attachment": attachment,
    }


@pytest.fixture
def closed_copy(user, activity, contract, attendant):
    from tests import factories
    from tickets.services import ticket_capture, ticket_close, ticket_resolve

    t = factories.open_ticket(requester=user, activity=activity, contract=contract, title="Closed one")
    ticket_capture(ticket=t, actor=attendant)
    ticket_resolve(ticket=t, actor=attendant, solution="Done")
    return ticket_close(ticket=t, actor=attendant)


def _url(name, world, row):
    pattern = PATTERNS[name]
    kwargs = {}
    converters = pattern.pattern.converters
    if "pk" in converters:
        kwargs["pk"] = world["tickets"][row["ticket"]].pk
    if "attachment_pk" in converters:
        kwargs["attachment_pk"] = world["attachment"].pk
    if "token" in converters:
        kwargs["token"] = "no-such-token"
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_matrix(world, name, role):
    row = EXPECTED[name]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(_url(name, world, row))
    assert response.status_code == row[role], f"{name} as {role}"
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
