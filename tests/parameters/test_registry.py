"""The numbered-parameter registry (parameters/): declarations, typed values, validation, history,
cache invalidation, the ``parameter`` command and the one-query-per-request budget."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parameters import accessors
from parameters import registry as r
from parameters.accessors import param, param_object
from parameters.middleware import ParameterSnapshotMiddleware
from parameters.models import ParameterChange, ParameterValue
from parameters.registry import REGISTRY, Kind
from parameters.services import parameter_set
from tests import factories

F, ID, N, TX = Kind.FLAG, Kind.ID, Kind.NUMBER, Kind.TEXT
# docs/domain.md, "Parameters": number -> (kind, default, target model of an id)
DOMAIN_TABLE = {
    22: (N, 1, None),
    46: (F, True, None),
    62: (ID, None, "catalog.Service"),
    78: (N, 30, None),
    65: (ID, None, "tickets.Origin"),
    118: (ID, None, "catalog.Contract"),
    171: (N, 7, None),
    245: (F, False, None),
    246: (F, False, None),
    247: (F, True, None),
    251: (ID, None, "outbox.EmailTemplate"),
    252: (F, False, None),
    253: (ID, None, "outbox.EmailTemplate"),
    262: (ID, None, "tickets.Category"),
    263: (ID, None, "tickets.Origin"),
    264: (F, False, None),
    278: (N, 5 * 1024 * 1024, None),
    292: (F, False, None),
    293: (F, False, None),
    295: (F, False, None),
    298: (F, False, None),
    299: (F, False, None),
    300: (F, False, None),
    301: (F, False, None),
    302: (F, False, None),
    315: (ID, None, "tickets.Origin"),
    316: (F, False, None),
    317: (ID, None, "catalog.Activity"),
    318: (TX, ..., None),
    323: (F, False, None),
    324: (TX, ..., None),
    325: (TX, ..., None),
    326: (N, ..., None),
    327: (TX, ..., None),
    328: (TX, ..., None),
    329: (TX, ..., None),
    330: (F, ..., None),
    358: (F, True, None),
    359: (N, 90, None),
    370: (F, False, None),
    371: (F, False, None),
    372: (F, False, None),
    417: (ID, None, "outbox.EmailTemplate"),
    2702: (F, False, None),
}
VOIP = range(323, 331)


# --- declarations ------------------------------------------------------------------------


def test_every_parameter_of_the_domain_table_is_declared():
    assert set(DOMAIN_TABLE) <= set(REGISTRY)


@pytest.mark.parametrize(("number", "spec"), DOMAIN_TABLE.items(), ids=[str(n) for n in DOMAIN_TABLE])
def test_declared_with_its_number_type_and_default(number, spec):
    kind, default, target = spec
    p = REGISTRY[number]
    assert p.number == number
    assert p.kind is kind
    if default is not ...:
        assert p.default == default
    assert p.target == target
    if target:
        assert p.target_model() is not None
    assert str(p.name)
    assert p.group in r.GROUP_LABELS
    assert r.get(p.key) is p
    assert r.get(number) is p
    assert r.get(str(number)) is p


def test_groups_follow_the_domain():
    assert {REGISTRY[n].group for n in VOIP} == {r.Group.VOIP}
    assert {REGISTRY[n].group for n in (315, 316, 317)} == {r.Group.CHAT}
    assert REGISTRY[252].group == r.Group.PORTAL


def test_keys_are_unique_slugs():
    keys = [p.key for p in REGISTRY.values()]
    assert len(keys) == len(set(keys))
    assert all(k.replace("_", "").isalnum() and k == k.lower() for k in keys)


def test_declaring_a_duplicate_or_an_untargeted_id_fails():
    with pytest.raises(r.ImproperlyDeclared):
        r.define(number=252, key="another_key", name="x", group=r.Group.PORTAL, kind=F)
    with pytest.raises(r.ImproperlyDeclared):
        r.define(number=99_001, key="smartbox", name="x", group=r.Group.PORTAL, kind=F)
    with pytest.raises(r.ImproperlyDeclared):
        r.define(number=99_002, key="no_target", name="x", group=r.Group.PORTAL, kind=ID)
    assert 99_001 not in REGISTRY and 99_002 not in REGISTRY  # noqa: PT018


# --- typed parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "raw", "expected"),
    [
        (252, "Y", True),
        (252, "N", False),
        (252, " y ", True),
        (252, "S", True),
        (252, "", False),
        (252, None, False),
        (46, None, True),
        (171, "12", 12),
        (171, "", 7),
        (171, "abc", 7),
        (171, None, 7),
        (253, "", None),
        (253, "5", 5),
        (253, None, None),
        (253, "x", None),
        (318, " exe,bat ", "exe,bat"),
        (324, "sip.example.com", "sip.example.com"),
    ],
)
def test_parse_stored_text(number, raw, expected):
    assert REGISTRY[number].parse(raw) == expected


@pytest.mark.parametrize(
    ("number", "value", "raw"),
    [
        (252, True, "Y"),
        (252, False, "N"),
        (171, 3, "3"),
        (253, None, ""),
        (253, 8, "8"),
        (318, "exe", "exe"),
    ],
)
def test_to_raw_and_display(number, value, raw):
    p = REGISTRY[number]
    assert p.to_raw(value) == raw
    assert p.display(value) == raw
    assert p.parse(p.to_raw(value)) == value


# --- validation of administrators' input ----------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("Y", True), ("n", False), (" y ", True)])
def test_clean_flag(raw, expected):
    assert REGISTRY[252].clean(raw) is expected


@pytest.mark.parametrize("raw", ["", "yes", "1", "X"])
def test_clean_flag_refuses_anything_but_y_or_n(raw):
    with pytest.raises(ValidationError) as exc:
        REGISTRY[252].clean(raw)
    assert exc.value.code == "flag"


def test_clean_number():
    p = REGISTRY[171]
    assert p.clean("15") == 15
    assert p.clean("") == 7
    for bad in ("-1", "1.5", "ten"):
        with pytest.raises(ValidationError) as exc:
            p.clean(bad)
        assert exc.value.code == "number"


def test_clean_id_must_exist_for_the_right_model(db):
    template = factories.EmailTemplateFactory()
    origin = factories.OriginFactory()
    p = REGISTRY[253]  # an e-mail template id
    assert p.clean(str(template.pk)) == template.pk
    assert p.clean("") is None
    with pytest.raises(ValidationError) as exc:
        p.clean("abc")
    assert exc.value.code == "id"
    missing = max(template.pk, origin.pk) + 1
    with pytest.raises(ValidationError) as exc:
        p.clean(str(missing))
    assert exc.value.code == "id_missing"
    # An origin's id is valid for parameter 65 (origin), not for 253 (template) when no template has it.
    assert REGISTRY[65].clean(str(origin.pk)) == origin.pk
    origin_only = factories.OriginFactory(name="Only an origin")
    if not template.__class__.objects.filter(pk=origin_only.pk).exists():
        with pytest.raises(ValidationError):
            p.clean(str(origin_only.pk))


def test_clean_text_is_kept():
    assert REGISTRY[318].clean(" exe,bat ") == "exe,bat"


# --- reading and writing --------------------------------------------------------------------


def test_unset_parameter_reads_its_default(db):
    assert param(r.REGISTER_OCCURRENCE_PER_PORTAL) is False
    assert param(r.REOPEN_DAYS) == 7
    assert param(r.PORTAL_AS_HOME) is True
    assert param(r.OCCURRENCE_EMAIL_TEMPLATE) is None
    assert param(252) is False


def test_parameter_set_writes_history_who_old_new_via(admin_user):
    change = parameter_set(p=r.SMARTBOX, value=True, actor=admin_user)
    assert (change.number, change.old_value, change.new_value) == (292, "N", "Y")
    assert change.changed_by == admin_user
    assert change.via == ParameterChange.Via.ADMIN
    assert change.changed_at is not None
    row = ParameterValue.objects.get(number=292)
    assert (row.value, row.updated_by) == ("Y", admin_user)

    second = parameter_set(p=292, value=False, actor=None, via=ParameterChange.Via.SYSTEM)
    assert (second.old_value, second.new_value, second.via) == ("Y", "N", ParameterChange.Via.SYSTEM)
    assert ParameterChange.objects.filter(number=292).count() == 2


def test_setting_the_same_value_writes_no_history(admin_user):
    parameter_set(p=r.REOPEN_DAYS, value=10, actor=admin_user)
    assert parameter_set(p=r.REOPEN_DAYS, value=10, actor=admin_user) is None
    assert ParameterChange.objects.count() == 1


def test_typed_set_accepts_text_and_instances(db):
    parameter_set(p=252, value="Y")
    assert param(252) is True
    parameter_set(p=252, value="N")  # not a truthy string
    assert param(252) is False
    template = factories.EmailTemplateFactory()
    parameter_set(p=253, value=template)
    assert param(253) == template.pk
    assert param_object(253) == template
    with pytest.raises(ValidationError):
        parameter_set(p=252, value="maybe")


def test_raw_set_validates(db):
    with pytest.raises(ValidationError):
        parameter_set(p=253, value="999999", raw=True)
    with pytest.raises(ValidationError):
        parameter_set(p=171, value="-3", raw=True)
    assert not ParameterValue.objects.exists()
    assert not ParameterChange.objects.exists()


def test_param_object_is_none_when_empty_or_dangling(db):
    assert param_object(253) is None
    template = factories.EmailTemplateFactory()
    parameter_set(p=253, value=template.pk)
    assert param_object(253) == template
    template.delete()
    assert param_object(253) is None


def test_outside_a_request_every_read_sees_the_table_as_it_is(db, django_assert_num_queries):
    """A command or a shell keeps no value: even a raw update that sends no signal is read next."""
    with django_assert_num_queries(1):
        assert param(252) is False
    ParameterValue.objects.create(number=171, value="9")
    assert param(171) == 9
    ParameterValue.objects.filter(number=171).update(value="11")  # no signal, no service
    assert param(171) == 11
    with connection.cursor() as cursor:
        cursor.execute("UPDATE parameters_parametervalue SET value = '13' WHERE number = 171")
    assert param(171) == 13
    parameter_set(p=171, value=12)
    assert param(171) == 12


def test_a_scope_reads_once_and_the_next_scope_reads_again(db, django_assert_num_queries):
    with accessors.snapshot_scope():
        with django_assert_num_queries(1):
            assert param(171) == 7
            assert param(252) is False
        ParameterValue.objects.bulk_create([ParameterValue(number=171, value="9")])  # no signal
        with accessors.snapshot_scope():  # nested (an in-process task): the same snapshot
            assert param(171) == 7
    with accessors.snapshot_scope(), django_assert_num_queries(1):
        assert param(171) == 9


def test_a_change_in_the_scope_is_read_back_at_once(db):
    with accessors.snapshot_scope():
        assert param(301) is False
        parameter_set(p=301, value=True)
        assert param(301) is True
        row = ParameterValue.objects.get(number=301)  # an admin-style save and delete (signals)
        row.value = "N"
        row.save()
        assert param(301) is False
        row.delete()
        assert param(301) is False


def test_no_cache_is_involved(db):
    """The shared cache may be down, flushed or absent: the values come from the table."""
    cache.set("anything", 1)
    parameter_set(p=264, value=True)
    cache.clear()
    assert param(264) is True
    assert cache.get("anything") is None


def test_each_celery_task_is_a_scope(db, django_assert_num_queries):
    """A task reads the parameters once, and the next task reads them again (parameters.task_scope)."""
    from celery import shared_task

    seen = []

    @shared_task(name="tests.parameters.read_twice")
    def read_twice():
        seen.append((param(171), param(252)))

    with django_assert_num_queries(1):
        read_twice.apply()
    ParameterValue.objects.create(number=171, value="3")
    read_twice.apply()
    assert seen == [(7, False), (3, False)]
    assert accessors._in_scope.get() is False


# --- the ``parameter`` command -------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("parameter", *args, stdout=out)
    return out.getvalue().strip()


def test_command_get(db):
    assert run("get", "252") == "N"
    assert run("get", "171") == "7"
    assert run("get", "253") == ""


def test_command_set_writes_history_attributed_to_the_command(db):
    assert "252" in run("set", "252", "Y")
    assert param(252) is True
    assert run("get", "252") == "Y"
    change = ParameterChange.objects.get()
    assert (change.number, change.old_value, change.new_value) == (252, "N", "Y")
    assert change.via == ParameterChange.Via.COMMAND
    assert change.changed_by is None
    assert "unchanged" in run("set", "252", "Y")
    assert ParameterChange.objects.count() == 1


def test_command_set_empty_clears_an_id(db):
    template = factories.EmailTemplateFactory()
    run("set", "253", str(template.pk))
    assert param(253) == template.pk
    run("set", "253")
    assert param(253) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "252", "maybe"), "Y or N"),
        (("set", "171", "-1"), "whole number"),
        (("set", "253", "999999"), "999999"),
        (("get", "99999"), "Unknown parameter"),
        (("set", "99999", "Y"), "Unknown parameter"),
    ],
)
def test_command_validation_errors_are_command_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ParameterChange.objects.exists()


def test_command_list_shows_every_parameter(db):
    parameter_set(p=292, value=True)
    lines = run("list").splitlines()
    assert len(lines) == len(REGISTRY)
    assert any(line.startswith("292\tY\t") for line in lines)


# --- one query per request ----------------------------------------------------------------


def test_reading_every_parameter_in_a_request_costs_at_most_one_query(db, rf):
    factories.EmailTemplateFactory()
    parameter_set(p=252, value=True)

    def view(request):
        for _ in range(2):
            for p in REGISTRY.values():
                param(p)
        return None

    with CaptureQueriesContext(connection) as ctx:
        ParameterSnapshotMiddleware(view)(rf.get("/"))
    assert len(ctx.captured_queries) == 1
    assert accessors._snapshot.get() is None  # the snapshot does not outlive the request
    with CaptureQueriesContext(connection) as ctx:
        ParameterSnapshotMiddleware(lambda request: None)(rf.get("/"))
    assert len(ctx.captured_queries) == 0  # a request that reads no parameter costs nothing


def _parameter_queries(ctx) -> int:
    return sum("parameters_parametervalue" in q["sql"] for q in ctx.captured_queries)


def test_every_page_reads_the_parameters_with_one_query_and_sees_a_change_at_once(
    client_as, user, django_assert_max_num_queries
):
    parameter_set(p=292, value=True)
    client = client_as(user)
    # The shell's own queries (session, user, catalog...) may grow; the parameters' share may not.
    for _ in range(2):
        with django_assert_max_num_queries(12) as ctx:
            assert client.get(reverse("portal:home")).status_code == 200
        assert _parameter_queries(ctx) == 1
    ParameterValue.objects.filter(number=301).delete()
    ParameterValue.objects.update_or_create(number=264, defaults={"value": "Y"})
    with django_assert_max_num_queries(12) as ctx:
        assert client.get(reverse("portal:home")).status_code == 200
    assert _parameter_queries(ctx) == 1
