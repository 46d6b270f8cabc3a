"""Who gets what on every ticket URL of the portal and of the back office, generated from the
URLconfs.

Each pattern of ``tickets.urls`` and ``occurrences.urls`` must have a row in EXPECTED, and each URL
of the ticket admin a row in BACK_OFFICE, so a new URL without a decision here fails
``test_every_url_has_a_row``. Each row names the ticket it is tried on (one where the action is
allowed to the owner) and the status each role gets on GET. The back office's writes (transition
buttons, occurrence register, messages) are also tried by POST. Roles besides the owner: another
user, a staff attendant of the ticket's group, a staff attendant of another group, a member of the
ticket's group who is not staff (never an attendant: tickets.access), a superuser.

These rows are the tickets' part of the URL-wide matrix (tests/security/test_url_matrix.py), which
imports them and requests them as the roles this module does not have (approver, substitute, staff).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import occurrences.urls
import tickets.urls
from tests import factories
from tickets.admin import TicketAdmin
from tickets.models import Message, Occurrence, Situation, Ticket
from tickets.services.attachments import attachment_add

ROLES = (
    "anonymous",
    "owner",
    "other_user",
    "group_attendant",
    "far_attendant",
    "group_member",
    "admin",
    # issue 27, with request sharing COLLEAGUES (tests/factories.py sharing_roles)
    "colleague",  # a member of the owner's unit
    "unit_manager",  # the manager of the unit above the owner's
    "person_in_copy",  # in copy of the owner's tickets
)
SHARING_ROLES = ("colleague", "unit_manager", "person_in_copy")
REFUSED = "refused"  # 302 back with the reason (the action's policy refuses a reader), not to the login


def _row(ticket, owner=200, attendant=404, admin=404, other=404, shared=404, copy=None):
    """``shared``: the code of the colleague and of the unit manager; ``copy``: of the person in copy
    (as ``shared`` unless given)."""
    return {
        "ticket": ticket,
        "anonymous": 302,
        "owner": owner,
        "other_user": other,
        "group_attendant": attendant,
        "far_attendant": 404,
        "group_member": 404,
        "admin": admin,
        "colleague": shared,
        "unit_manager": shared,
        "person_in_copy": shared if copy is None else copy,
    }


def _post_only(ticket):
    """A POST-only URL (405 on GET for whoever is logged in): its writes are tried below."""
    return {**dict.fromkeys(ROLES, 405), "ticket": ticket, "anonymous": 302}


# url name -> the ticket it is tried on ("open": captured In Progress; "closed": closed today) and codes.
EXPECTED = {
    "tickets:my-requests": {
        **_row(None, shared=200),
        "other_user": 200,
        "group_attendant": 200,
        "far_attendant": 200,
        "group_member": 200,
        "admin": 200,
    },
    # Readers (the requester, a sharer, a person in copy) see the ticket; its actions stay the
    # requester's (tickets/access.py, tickets/policies.py).
    "tickets:description": _row("open", shared=200),
    "tickets:occurrences": _row("open", shared=200),
    "occurrences:register": _row("open"),
    "tickets:attachments": _row("open", shared=200),
    "tickets:attachment-download": _row("open", attendant=200, admin=200, shared=200),
    "tickets:attachment-remove": _row("open", shared=REFUSED),  # the owner's file
    "tickets:attachment-paste": _post_only("open"),  # its writes: tests/tickets/test_paste.py
    "tickets:copy-add": _post_only("open"),
    "tickets:copy-remove": _post_only("open"),
    "tickets:cancel": _row("open", shared=REFUSED),
    "tickets:reopen": _row("closed", shared=REFUSED),
    "tickets:register-opinion": _row("closed", shared=REFUSED),
    "tickets:survey": _row("closed", shared=REFUSED),
    "tickets:message": _row("open", shared=200, copy=REFUSED),
    "tickets:message-poll": _row("open", shared=200, copy=404),
    # An unknown token: the same "no longer valid" page (410) for everyone logged in.
    "tickets:survey-link": {
        **_row(None),
        "owner": 410,
        "other_user": 410,
        "group_attendant": 410,
        "far_attendant": 410,
        "group_member": 410,
        "admin": 410,
        **dict.fromkeys(SHARING_ROLES, 410),
    },
}


def _office(ticket, attendant=200, far=404, admin=200):
    """A back-office URL: the admin sends whoever is not staff to its login page (302)."""
    return {
        "ticket": ticket,
        "anonymous": 302,
        "owner": 302,
        "other_user": 302,
        "group_attendant": attendant,
        "far_attendant": far,
        "group_member": 302,
        "admin": admin,
        **dict.fromkeys(SHARING_ROLES, 302),
    }


# admin url name (without "admin:tickets_ticket_") -> the ticket it is tried on and the codes on GET.
BACK_OFFICE = {
    "changelist": _office(None, far=200),
    # Adding and deleting need the model permissions, which attendants do not have.
    "add": _office(None, attendant=403, far=403),
    "change": _office("open"),
    "history": _office("open"),
    "delete": _office("open", attendant=403, far=403),
    "transition": _office("open"),
    "occurrence": _office("open"),
    "messages": _office("open"),
    "messages_poll": _office("open"),
}


def _patterns():
    for module in (tickets.urls, occurrences.urls):
        for p in module.urlpatterns:
            yield f"{module.app_name}:{p.name}", p


PATTERNS = dict(_patterns())
ADMIN_PREFIX = "tickets_ticket_"


def _admin_patterns():
    from django.contrib import admin

    for p in TicketAdmin(Ticket, admin.site).get_urls():
        if p.name:
            yield p.name.removeprefix(ADMIN_PREFIX), p


ADMIN_PATTERNS = dict(_admin_patterns())


def test_every_url_has_a_row():
    assert set(PATTERNS) == set(EXPECTED), "add a row to EXPECTED for each new ticket URL"
    assert set(ADMIN_PATTERNS) == set(BACK_OFFICE), "add a row to BACK_OFFICE for each new admin URL"


@pytest.fixture
def group_member(db, service_desk):
    """In the ticket's group but not staff: neither the admin nor the services let them work it."""
    return factories.UserFactory(username="member", groups=[service_desk])


@pytest.fixture
def world(
    user, other_user, attendant, admin_user, captured, closed_copy, far_attendant, group_member, set_param
):
    for number in (298, 252, 302, 299):
        set_param(number, True)
    set_param(2701, "COLLEAGUES")
    attachment = attachment_add(ticket=captured, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), actor=user)
    return {
        "users": {
            "owner": user,
            "other_user": other_user,
            "group_attendant": attendant,
            "far_attendant": far_attendant,
            "group_member": group_member,
            "admin": admin_user,
            **factories.sharing_roles(user, [captured, closed_copy]),
        },
        "tickets": {"open": captured, "closed": closed_copy},
        "attachment": attachment,
    }


@pytest.fixture
def closed_copy(user, activity, contract, attendant):
    from tickets.services.transitions import ticket_capture, ticket_close, ticket_resolve

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
    if "user_pk" in converters:
        kwargs["user_pk"] = world["users"]["person_in_copy"].pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_matrix(world, name, role):
    row = EXPECTED[name]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(_url(name, world, row))
    if row[role] == REFUSED:
        assert response.status_code == 302, f"{name} as {role}"
        assert not response.url.startswith(reverse("login")), f"{name} as {role}"
        return
    assert response.status_code == row[role], f"{name} as {role}"
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


def _admin_url(name, world, row):
    pattern = ADMIN_PATTERNS[name]
    kwargs = {}
    converters = pattern.pattern.converters
    if "object_id" in converters:
        kwargs["object_id"] = world["tickets"][row["ticket"]].pk
    if "action" in converters:
        kwargs["action"] = "suspend"
    return reverse(f"admin:{ADMIN_PREFIX}{name}", kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(BACK_OFFICE))
def test_back_office_matrix(world, name, role):
    row = BACK_OFFICE[name]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(_admin_url(name, world, row))
    assert response.status_code == row[role], f"admin {name} as {role}"
    if response.status_code == 302:
        # The portal's login for anonymous users (LoginRequiredMiddleware), the admin's for others.
        assert response.url.startswith(reverse("login" if role == "anonymous" else "admin:login"))


# What each back-office write is given, and how to tell that it took effect.
def _suspended(ticket):
    return Ticket.objects.get(pk=ticket.pk).situation == Situation.SUSPENDED


def _occurrence_added(ticket):
    return Occurrence.objects.filter(ticket=ticket, text="From the back office").exists()


def _message_added(ticket):
    return Message.objects.filter(ticket=ticket, text="Hello from the desk").exists()


BACK_OFFICE_WRITES = {
    "transition": ({"text": "Waiting for the supplier"}, _suspended),
    "occurrence": (None, _occurrence_added),
    "messages": ({"text": "Hello from the desk"}, _message_added),
}
# The status of each role's POST: a done write redirects (302) back to the ticket; others never write.
WRITE_CODES = {
    **dict.fromkeys(SHARING_ROLES, 302),  # not staff: the admin's login
    "anonymous": 302,
    "owner": 302,
    "other_user": 302,
    "group_attendant": 302,
    "far_attendant": 404,
    "group_member": 302,
    "admin": 302,
}
WRITERS = ("group_attendant", "admin")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(BACK_OFFICE_WRITES))
def test_back_office_writes(world, name, role):
    ticket = world["tickets"]["open"]
    data, took_effect = BACK_OFFICE_WRITES[name]
    if data is None:
        data = {"category": factories.CategoryFactory().pk, "text": "From the back office", "public": "on"}
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.post(_admin_url(name, world, BACK_OFFICE[name]), data)
    assert response.status_code == WRITE_CODES[role], f"admin {name} POST as {role}"
    assert took_effect(ticket) == (role in WRITERS), f"admin {name} POST as {role}"


# People in copy (issue 27): only the requester adds and removes them; a reader is refused, anybody
# else finds no ticket.
COPY_WRITE_CODES = {
    "anonymous": 302,
    "owner": 302,
    "other_user": 404,
    "group_attendant": 404,
    "far_attendant": 404,
    "group_member": 404,
    "admin": 404,
    "colleague": 302,
    "unit_manager": 302,
    "person_in_copy": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_copy_writes(world, role):
    from tickets.models import TicketCopy

    ticket = world["tickets"]["open"]
    copied = world["users"]["person_in_copy"]
    colleague = world["users"]["colleague"]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    add = client.post(reverse("tickets:copy-add", args=[ticket.pk]), {"user": colleague.pk})
    remove = client.post(reverse("tickets:copy-remove", args=[ticket.pk, copied.pk]))
    assert (add.status_code, remove.status_code) == (COPY_WRITE_CODES[role],) * 2, role
    copies = set(TicketCopy.objects.filter(ticket=ticket).values_list("user_id", flat=True))
    assert copies == ({colleague.pk} if role == "owner" else {copied.pk}), role
