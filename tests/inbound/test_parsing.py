"""The pure parts of receiving e-mail: the signed reply address, the clean text and the automatic
message detection (no server, no database)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from inbound.parsing import automatic_reason, clean_text, html_to_text, parse
from outbox.replies import reply_address, reply_marker, reply_token, reply_token_check


@pytest.fixture(autouse=True)
def _inbound(settings):
    settings.INBOUND_ADDRESS = "Support <Support@Example.org>"


def test_a_reply_token_is_valid_only_for_the_address_it_was_signed_for():
    token = reply_token(42, "Maria@Example.com")
    assert reply_token_check(token, "maria@example.com") == 42
    assert reply_token_check(token.upper(), "maria@example.com") == 42  # servers may fold the case
    assert reply_token_check(token, "joao@example.com") is None
    assert reply_token_check(token.replace("t42", "t43"), "maria@example.com") is None
    assert reply_token_check("t42-" + "0" * 20, "maria@example.com") is None
    assert reply_token_check("nonsense", "maria@example.com") is None
    assert reply_address(42, "maria@example.com") == f"support+{token}@example.org"
    assert len(f"support+{token}") <= 64  # a local part's limit (RFC 5321)


def test_without_an_inbound_address_there_is_no_reply_address(settings):
    settings.INBOUND_ADDRESS = ""
    assert reply_address(42, "maria@example.com") == ""


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", "On Mon, Dec 7, 2026 at 10:00 AM Smart Portal <no-reply@example.org> wrote:"),
        ("pt-br", "Em seg., 7 de dez. de 2026 às 10:00, Smart Portal <no-reply@example.org> escreveu:"),
        ("es", "El lun, 7 dic 2026 a las 10:00, Smart Portal (<no-reply@example.org>) escribió:"),
    ],
)
def test_the_text_is_cut_at_the_marker_and_its_quote_header(language, header):
    text = f"New line one\nline two\n\n{header}\n\n> {reply_marker(language)}\n> old\n"
    assert clean_text(text) == "New line one\nline two"


def test_the_marker_is_translated_and_found_in_every_language():
    markers = {reply_marker(code) for code in ("en", "pt-br", "es")}
    assert len(markers) == 3
    for marker in markers:
        assert clean_text(f"Answer\n{marker}\nold") == "Answer"


@pytest.mark.parametrize(
    "quote",
    [
        "-----Original Message-----\nFrom: x",
        "-----Mensagem original-----\nDe: x",
        "________________________________\nFrom: Smart Portal\nSent: Monday",
        "De: Smart Portal <no-reply@example.org>\nEnviado: lunes",
        "On Monday, Smart Portal wrote:\n> quoted",
        "-- \nMaria Silva\nSales",
    ],
)
def test_without_the_marker_common_quote_headers_and_signatures_are_cut(quote):
    assert clean_text(f"Thanks!\n\n{quote}\n") == "Thanks!"


def test_trailing_quoted_lines_are_dropped():
    assert clean_text("Yes.\n\n> Do you agree?\n> ok\n") == "Yes."


def test_html_becomes_text():
    html = "<style>p{}</style><div>Hello&nbsp;<b>there</b></div><p>Line<br>two</p><script>x()</script>"
    assert html_to_text(html) == "Hello there\n\nLine\ntwo"


@pytest.mark.parametrize(
    ("headers", "automatic"),
    [
        ({}, False),
        ({"Auto-Submitted": "no"}, False),
        ({"Auto-Submitted": "auto-replied"}, True),
        ({"Precedence": "list"}, True),
        ({"Precedence": "junk"}, True),
        ({"X-Autoreply": "yes"}, True),
        ({"List-Id": "<news.example.org>"}, True),
        ({"X-Auto-Response-Suppress": "All"}, True),
    ],
)
def test_automatic_messages(headers, automatic):
    msg = EmailMessage()
    msg["From"] = "maria@example.com"
    for k, v in headers.items():
        msg[k] = v
    msg.set_content("x")
    assert bool(automatic_reason(msg)) is automatic


def test_a_message_without_message_id_gets_a_stable_key_from_its_bytes():
    raw = b"From: maria@example.com\r\nSubject: hi\r\n\r\nbody\r\n"
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id != parse(raw + b"more").message_id
    assert parse(raw).sender == "maria@example.com"


def test_a_huge_subject_is_shortened():
    raw = b"From: maria@example.com\r\nSubject: " + b"a" * 3000 + b"\r\n\r\nbody\r\n"
    assert len(parse(raw).subject) == 255


def test_the_demo_data_lets_every_demo_user_open_a_request_by_email(db, settings):
    from django.core.management import call_command

    from accounts.models import User
    from catalog.selectors import activity_list_visible
    from parameters import registry as r
    from parameters.accessors import param

    settings.DEBUG = True
    call_command("seed_demo")
    activity_id = param(r.EMAIL_ACTIVITY)
    assert activity_id is not None
    assert param(r.INBOUND_READING) is False
    for user in User.objects.filter(is_active=True):
        assert activity_list_visible(user=user).filter(pk=activity_id).exists(), user.username


def test_a_message_the_code_cannot_handle_is_rejected_with_the_reason_not_retried(db, monkeypatch):
    from inbound import services
    from inbound.models import InboundEmail

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "_act", broken)
    row, created = services.inbound_process(raw=b"From: maria@example.com\r\n\r\nhi\r\n")
    assert created
    assert (row.outcome, row.reason) == ("rejected", "The message could not be processed (RuntimeError).")
    monkeypatch.undo()
    monkeypatch.setattr(services, "parse", broken)
    row, created = services.inbound_process(raw=b"other bytes")
    assert created
    assert "could not be read (RuntimeError: a bug)" in row.reason
    assert InboundEmail.objects.count() == 2
