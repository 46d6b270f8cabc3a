"""Secrets are never stored in clear where they can be searched or listed (issue 20, §3).

The history of a secret parameter (``Param.is_secret``: the VoIP user and password) records who
changed it, how and when, never a value, whichever way it was changed (admin, service, command);
the admin's history search and field lookups answer a right prefix and a wrong one alike; the
``parameter`` command prints it masked; a data migration blanks the rows written before; and the
code that needs the secret still reads it."""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from parameters.accessors import param
from parameters.models import ParameterChange
from parameters.registry import REGISTRY, SECRET_MASK, VOIP_EXTENSION, VOIP_PASSWORD, Param
from parameters.services import parameter_set

pytestmark = pytest.mark.django_db

SECRETS = [p for p in REGISTRY.values() if p.is_secret]
HISTORY_URL = reverse("admin:parameters_parameterchange_changelist")
LIST_URL = reverse("admin:parameters_parametervalue_changelist")
VALUE = "Zq7-voip-pass"


def edit_url(p: Param) -> str:
    return reverse("admin:parameters_parametervalue_change", args=[p.number])


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def via_admin(p: Param, value: str, client) -> None:
    assert client.post(edit_url(p), {"value": value}).status_code == 302


def via_service(p: Param, value: str, client) -> None:
    parameter_set(p=p, value=value, actor=None, via=ParameterChange.Via.SYSTEM)


def via_command(p: Param, value: str, client) -> None:
    """A secret's value on standard input ("-"), as a script gives it; never on the command line."""
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(value + "\n")):
        call_command("parameter", "set", str(p.number), "-", stdout=out)
    assert value not in out.getvalue()


WAYS = {"admin": via_admin, "service": via_service, "command": via_command}


def history_text() -> str:
    """Every column of every history row, as one text."""
    return "\n".join(repr(row) for row in ParameterChange.objects.values())


def test_parameters_are_declared_secret_in_the_registry():
    assert {p.number for p in SECRETS} >= {327, 328}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("p", SECRETS, ids=lambda p: str(p.number))
def test_every_way_of_changing_a_secret_leaves_its_history_without_value(admin, admin_user, p, way):
    WAYS[way](p, "first-" + VALUE, admin)
    WAYS[way](p, VALUE, admin)
    changes = list(ParameterChange.objects.filter(number=p.number))
    assert len(changes) == 2  # that it changed, twice
    assert all(c.old_value == "" and c.new_value == "" for c in changes)
    assert all(c.changed_at is not None for c in changes)
    if way == "admin":
        assert all(c.changed_by == admin_user and c.via == ParameterChange.Via.ADMIN for c in changes)
    assert VALUE not in history_text()
    assert param(p) == VALUE  # the code that needs the secret still reads it


@pytest.mark.parametrize("way", WAYS)
def test_the_running_services_read_the_new_secret(admin, way):
    WAYS[way](VOIP_PASSWORD, VALUE, admin)
    assert param(VOIP_PASSWORD) == VALUE
    assert param(328) == VALUE
    WAYS[way](VOIP_PASSWORD, "next-" + VALUE, admin)
    assert param(VOIP_PASSWORD) == "next-" + VALUE


def _history_rows(client, query: dict) -> list[int]:
    response = client.get(HISTORY_URL, query)
    assert response.status_code == 200
    if VALUE not in query.values():  # the search box echoes what was searched
        assert VALUE.encode() not in response.content
    return sorted(c.pk for c in response.context["cl"].result_list)


@pytest.mark.parametrize(
    "lookup", ["q", "new_value__startswith", "old_value__startswith", "new_value__contains"]
)
def test_a_right_prefix_and_a_wrong_one_answer_the_same(admin, lookup):
    via_admin(VOIP_PASSWORD, "old-" + VALUE, admin)
    via_admin(VOIP_PASSWORD, VALUE, admin)
    right = [VALUE[:1], VALUE[:3], VALUE, "old-"]
    wrong = ["X", "Zq8", "nothing-like-it"]
    answers = {prefix: _history_rows(admin, {lookup: prefix}) for prefix in right + wrong}
    assert len(set(map(tuple, answers.values()))) == 1, answers
    assert answers[VALUE] == []  # no row matches by value


def test_the_history_search_still_finds_values_of_parameters_that_are_not_secret(admin):
    """The control: the search does read stored values, so the test above would see an oracle."""
    via_admin(VOIP_EXTENSION, "4455", admin)
    assert len(_history_rows(admin, {"q": "445"})) == 1
    assert _history_rows(admin, {"q": "446"}) == []


def test_the_parameter_list_search_does_not_match_a_secret_value(admin):
    via_admin(VOIP_PASSWORD, VALUE, admin)
    pages = [admin.get(LIST_URL, {"q": q}).content for q in (VALUE[:3], "Xq7")]
    assert pages[0].count(b'id="param-') == pages[1].count(b'id="param-') == 0
    assert all(VALUE.encode() not in page for page in pages)


def test_the_history_shows_who_changed_a_secret_and_when_never_the_value(admin, admin_user):
    via_admin(VOIP_PASSWORD, VALUE, admin)
    for url in (HISTORY_URL, edit_url(VOIP_PASSWORD)):
        html = admin.get(url).content.decode()
        assert VALUE not in html
        assert "328 — VoIP: password" in html or "VoIP: password" in html
        assert admin_user.username in html
        assert "not recorded (write-only)" in html
    row = ParameterChange.objects.get(number=328)
    change = admin.get(reverse("admin:parameters_parameterchange_change", args=[row.pk])).content.decode()
    assert VALUE not in change
    assert "not recorded (write-only)" in change


def test_the_command_prints_a_secret_masked():
    parameter_set(p=VOIP_PASSWORD, value=VALUE)
    get = io.StringIO()
    call_command("parameter", "get", "328", stdout=get)
    assert get.getvalue().strip() == SECRET_MASK
    listed = io.StringIO()
    call_command("parameter", "list", stdout=listed)
    line = next(x for x in listed.getvalue().splitlines() if x.startswith("328\t"))
    assert line.split("\t")[1] == SECRET_MASK
    assert VALUE not in listed.getvalue()
    same = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(VALUE + "\n")):
        call_command("parameter", "set", "328", "-", stdout=same)
    assert same.getvalue().strip() == f"328 unchanged: {SECRET_MASK}"


def test_the_command_refuses_a_secret_on_the_command_line_and_prompts_for_it():
    """The shell's history and the process list keep a command line: a secret comes from standard
    input or a prompt without echo (parameters/management/commands/parameter.py)."""
    with pytest.raises(CommandError, match="standard input"):
        call_command("parameter", "set", "328", VALUE)
    assert param(VOIP_PASSWORD) != VALUE
    tty = mock.Mock(isatty=lambda: True)
    with mock.patch("sys.stdin", tty), mock.patch("getpass.getpass", return_value=VALUE) as prompt:
        call_command("parameter", "set", "328", stdout=io.StringIO())
    assert prompt.called
    assert param(VOIP_PASSWORD) == VALUE


def test_an_empty_secret_prints_empty_not_masked():
    out = io.StringIO()
    call_command("parameter", "get", "328", stdout=out)
    assert out.getvalue().strip() == ""


def test_the_migration_blanks_the_values_kept_of_secrets_and_only_those():
    migration = importlib.import_module("parameters.migrations.0002_blank_secret_history")
    for p in SECRETS:
        ParameterChange.objects.create(number=p.number, old_value="old-" + VALUE, new_value=VALUE)
    kept = ParameterChange.objects.create(number=VOIP_EXTENSION.number, old_value="", new_value="4455")
    migration.blank_secret_history(django_apps, SimpleNamespace(connection=connection))
    assert VALUE not in history_text()
    for p in SECRETS:
        row = ParameterChange.objects.get(number=p.number)
        assert (row.old_value, row.new_value) == ("", "")
        assert row.changed_at is not None  # the row (who, when) is kept
    kept.refresh_from_db()
    assert kept.new_value == "4455"
