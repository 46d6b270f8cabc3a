"""No id typed in a URL can make the portal answer 500 (issue 20 §2).

Every route of the project with a path parameter that carries a primary key (ours: ``<id:…>``,
core/converters.py; the admin's ``object_id``) is requested, as every role, with an id of 20 digits
(beyond a 64-bit integer: SQLite refused it with OverflowError), a negative one and ones written
with other scripts' digits, which ``int()`` accepts or refuses: the answer is 404 or 400, a
redirect to a login page, or what the admin answers for a missing object (403 without permission,
a redirect to its index); never 500. The same test runs on SQLite and on PostgreSQL (CI runs the
suite on both). The ids of query strings go through ``core.ids.parse_id``; their readers are tried
with the same values.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from core.converters import IdConverter
from core.ids import MAX_ID

from .urlconf import ADMIN_ID_PARAMS, NOT_IDS, ROLES, all_routes

BAD_IDS = (
    "9" * 20,  # does not fit a 64-bit integer
    str(MAX_ID + 1),  # 19 digits, one more than the largest id
    "-1",
    "\uff11\uff12",  # FULLWIDTH DIGITS ONE, TWO: int() reads 12
    "\u0663",  # ARABIC-INDIC DIGIT THREE: int() reads 3
    "²",  # SUPERSCRIPT TWO: str.isdigit() says yes, int() refuses
)
# Django's admin reads its ``object_id`` with the field's to_python (int()), so the fullwidth and
# the Arabic-Indic ids name objects 12 and 3 there, for whoever may see them anyway: an alias, not
# a 500 nor a way around a permission. The portal's own URLs answer 404 (``<id:…>``).
INT_READS = {"\uff11\uff12", "\u0663"}
# The admin reads an object only for staff (AdminSite.admin_view sends everyone else to its login
# first), and a ModelAdmin reads it before it checks permissions: every admin URL is tried as a
# superuser (who reaches every view's code); the ticket admin, which attendants reach through
# tickets.access, as every role.
ADMIN_EVERY_ROLE = "/admin/tickets/ticket/"


def _id_routes():
    return [route for route in all_routes() if route.id_params()]


def _allowed(response, route, bad: str) -> bool:
    if response.status_code in (400, 404):
        return True
    if not route.is_admin:
        return response.status_code == 302 and response.url.startswith(reverse("login"))
    if response.status_code == 403:  # staff without the model's permission
        return True
    if response.status_code == 200:
        return bad in INT_READS
    # the logins, the admin's index (a missing object), the change page (the unnamed redirect)
    return response.status_code == 302 and response.url.startswith(
        (reverse("login"), reverse("admin:login"), reverse("admin:index"))
    )


def _tried(route, role: str) -> bool:
    return (
        not route.is_admin
        or role == "superuser"
        or route.path(**dict.fromkeys(route.param_names, "1")).startswith(ADMIN_EVERY_ROLE)
    )


def test_no_url_uses_the_int_converter():
    """``<int:…>`` takes any number of digits: every id of the project is ``<id:…>`` (so nobody can
    forget it). Every level of the resolver is looked at, the includes' prefixes and the admin too."""

    def converters(patterns, prefix=""):
        for p in patterns:
            here = prefix + str(p.pattern)
            yield from ((here, c) for c in p.pattern.converters.values())
            if isinstance(p, URLResolver):
                yield from converters(p.url_patterns, here)

    found = [route for route, c in converters(get_resolver().url_patterns) if isinstance(c, IntConverter)]
    assert not found, f"use <id:…> for a primary key, not <int:…>: {found}"


def test_every_id_parameter_uses_the_id_converter():
    """A parameter named like an id (``pk``, ``…_pk``, ``…_id``) is ``<id:…>``, but for the admin's
    own (``ADMIN_ID_PARAMS``: Django's views, tried by ``test_bad_ids_in_every_route``)."""
    loose = [
        (route.name, name)
        for route in all_routes()
        for name, converter in route.pattern.pattern.converters.items()
        if (name == "pk" or name.endswith(("_pk", "_id")))
        and not isinstance(converter, IdConverter)
        and not (route.is_admin and name in ADMIN_ID_PARAMS)
    ]
    assert not loose, loose


def test_the_converter():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    for bad in ("0", str(MAX_ID + 1), "9" * 19, "-1", "\uff11\uff12", "²", ""):
        with pytest.raises(ValueError, match="not an id"):
            converter.to_python(bad)
    assert converter.to_url(7) == "7"
    for bad in (0, -1, MAX_ID + 1, None, True, "x"):
        with pytest.raises(ValueError, match="not an id"):
            converter.to_url(bad)


@pytest.mark.parametrize("role", ROLES)
def test_bad_ids_in_every_route(url_world, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(url_world["users"][role])
    routes = _id_routes()
    assert len(routes) > 50
    failures = []
    for route in routes:
        if not _tried(route, role):
            continue
        ids = route.id_params()
        for bad in BAD_IDS:
            values = {p: (bad if p in ids else NOT_IDS[p]) for p in route.param_names}
            path = route.path(**values)
            response = client.get(path)
            if not _allowed(response, route, bad):
                where = response.get("Location", "")
                failures.append(f"{path} as {role}: {response.status_code} {where}")
    assert not failures, "\n".join(failures)


# Query strings that carry an id, on pages the role may open (the ids in the path are real).
QUERY_IDS = {
    "requester": [
        ("tickets:message-poll", {"pk": "open"}, "after"),
        ("chat:poll", {"pk": "chat"}, "after"),
        ("knowledge:suggest", {}, "service"),
        ("catalog:submitted", {}, "t"),
    ],
    "group_attendant": [
        ("chat:poll", {"pk": "chat"}, "after"),
        ("chat:console", {}, "q"),
        ("chat:console-lists", {}, "current"),
        ("chat:console-lists", {}, "q"),
        ("admin:tickets_ticket_messages_poll", {"object_id": "open"}, "after"),
    ],
}


@pytest.mark.parametrize("role", sorted(QUERY_IDS))
def test_bad_ids_in_query_strings(url_world, role):
    client = Client(raise_request_exception=False)
    client.force_login(url_world["users"][role])
    failures = []
    for name, kwargs, param in QUERY_IDS[role]:
        path = reverse(name, kwargs={k: url_world["tickets"][v].pk for k, v in kwargs.items()})
        for bad in BAD_IDS:
            response = client.get(path, {param: bad})
            if response.status_code >= 500 or response.status_code not in (200, 400, 404):
                failures.append(f"{path}?{param}={bad} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_bad_ids_in_the_chat_events_process(settings):
    """The events process (chat/stream.py) reads the chat's id from the path itself, as ``<id:pk>``."""
    import asyncio

    from chat.stream import application

    settings.CHAT_EVENTS_URL = "http://127.0.0.1:8001"
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # not reached: the path is refused first

    async def get(path: str) -> int:
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.disconnect"}

        scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}
        await application(scope, receive, send)
        return sent[0]["status"]

    for bad in (*BAD_IDS, "0"):
        assert asyncio.run(get(f"/chat/{bad}/events/")) == 404, bad
