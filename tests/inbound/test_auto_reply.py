"""The single auto-reply to unknown senders (parameter 205, inbound/autoreply.py), end to end: the
message is appended to a real dovecot (tests/inbound/conftest.py), read by the reader, the reply
queued in the outbox and sent by its real send path (locmem backend), then fed back to the mailbox."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.utils import timezone

from inbound.autoreply import AUTO_REPLY_TEMPLATE_NAME, guess_language, never_answer_reason
from inbound.models import InboundEmail
from inbound.parsing import parse
from inbound.reader import mail_read
from inbound.services import inbound_process
from outbox.models import EmailTemplate, OutboundEmail
from outbox.replies import reply_marker
from outbox.services import email_send

from .conftest import ADDRESS, build_email

pytestmark = pytest.mark.integration

STRANGER = "stranger@elsewhere.example"


@pytest.fixture
def auto_reply_on(inbound_on, set_param, settings):
    settings.SITE_URL = "https://portal.example.org"
    set_param(205, True)
    mail.outbox.clear()
    return inbound_on


def _send_all() -> list:
    for pk in OutboundEmail.objects.filter(status="pending").values_list("pk", flat=True):
        email_send(email_id=pk)
    return mail.outbox


def test_an_unknown_sender_gets_one_auto_reply_pointing_to_the_portal(auto_reply_on):
    auto_reply_on.append(
        build_email(
            sender=f"Stranger <{STRANGER}>", subject="My printer", message_id="<q1@elsewhere.example>"
        )
    )
    assert mail_read().rejected == 1
    row = InboundEmail.objects.get()
    assert row.auto_reply is not None
    assert "not an active user" in row.reason
    assert "automatic reply pointing to the portal was sent" in row.reason
    assert auto_reply_on.count("Rejected") == 1

    (sent,) = _send_all()
    assert sent.to == [STRANGER]
    assert sent.subject == "Automatic reply: My printer"
    assert "https://portal.example.org/" in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.extra_headers["In-Reply-To"] == "<q1@elsewhere.example>"
    assert "List-Unsubscribe" not in sent.extra_headers
    assert reply_marker("en") not in sent.body  # nothing invites an answer
    assert sent.alternatives[0][0].count("https://portal.example.org/") >= 1


def test_at_most_one_auto_reply_per_sender_and_period(auto_reply_on, settings):
    for n in range(3):
        auto_reply_on.append(build_email(sender=STRANGER, subject=f"Again {n}"))
    auto_reply_on.append(build_email(sender="other@elsewhere.example", subject="Hi"))
    assert mail_read().rejected == 4
    assert OutboundEmail.objects.filter(recipient=STRANGER).count() == 1
    assert OutboundEmail.objects.filter(recipient="other@elsewhere.example").count() == 1
    assert InboundEmail.objects.filter(sender=STRANGER, auto_reply__isnull=False).count() == 1
    assert (
        InboundEmail.objects.filter(sender=STRANGER, reason__contains="had one within 24 hours").count() == 2
    )

    # After the period, one more.
    later = timezone.now() + timedelta(hours=settings.INBOUND_AUTO_REPLY_HOURS, minutes=1)
    row, _created = inbound_process(raw=build_email(sender=STRANGER, subject="Next day"), now=later)
    assert row.auto_reply is not None
    assert OutboundEmail.objects.filter(recipient=STRANGER).count() == 2


@pytest.mark.parametrize(
    ("sender", "headers", "raw_extra"),
    [
        (STRANGER, {"Auto-Submitted": "auto-replied"}, b""),
        (STRANGER, {"Precedence": "bulk"}, b""),
        (STRANGER, {"Precedence": "junk"}, b""),
        (STRANGER, {"Precedence": "list"}, b""),
        (STRANGER, {"X-Autoreply": "yes"}, b""),  # out of office
        (STRANGER, {"X-Auto-Response-Suppress": "OOF"}, b""),
        (STRANGER, {"List-Id": "<team.lists.example>"}, b""),
        (STRANGER, {"Return-Path": "<>"}, b""),  # null sender
        ("no-reply@shop.example", {}, b""),
        ("noreply@shop.example", {}, b""),
        ("do-not-reply@shop.example", {}, b""),
        ("MAILER-DAEMON@mx.example", {}, b""),
        ("bounces+123@lists.example", {}, b""),
        (STRANGER, {"X-Smart-Portal-Outbox": "9"}, b""),  # one of ours came back
    ],
)
def test_never_to_an_automatic_message(auto_reply_on, sender, headers, raw_extra):
    auto_reply_on.append(build_email(sender=sender, subject="Auto", headers=headers))
    assert mail_read().rejected == 1
    assert not OutboundEmail.objects.exists()
    assert InboundEmail.objects.get().auto_reply is None


def test_never_to_a_delivery_status_notification(auto_reply_on):
    dsn = (
        b"From: Mail Delivery System <MAILER-DAEMON@elsewhere.example>\r\nTo: "
        + ADDRESS.encode()
        + b"\r\nSubject: Undelivered\r\nMessage-ID: <dsn2@elsewhere.example>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b1\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--b1--\r\n"
    )
    auto_reply_on.append(dsn)
    mail_read()
    assert not OutboundEmail.objects.exists()


def test_the_auto_reply_coming_back_is_not_answered_again(auto_reply_on):
    """A loop: the unknown sender's server bounces or forwards our auto-reply back to the mailbox."""
    auto_reply_on.append(build_email(sender=STRANGER, subject="Hello"))
    mail_read()
    (sent,) = _send_all()
    raw = sent.message().as_bytes()
    looped = message_from_bytes(raw)
    del looped["From"]
    looped["From"] = STRANGER  # as if the stranger's server sent it back from their address
    auto_reply_on.append(looped.as_bytes())
    assert mail_read().rejected == 1
    assert OutboundEmail.objects.count() == 1
    back = InboundEmail.objects.latest("id")
    assert back.auto_reply is None


def test_no_auto_reply_while_parameter_205_is_n(db, inbound_on):
    inbound_on.append(build_email(sender=STRANGER, subject="Hello"))
    mail_read()
    assert not OutboundEmail.objects.exists()
    assert InboundEmail.objects.get().reason.endswith("nothing was created.")


def test_a_known_user_or_a_forged_reply_gets_no_auto_reply(auto_reply_on, messaging, user, other_user):
    from outbox.replies import reply_address

    auto_reply_on.append(build_email(sender=other_user.email, to=reply_address(messaging.pk, user.email)))
    mail_read()
    assert not OutboundEmail.objects.filter(recipient=other_user.email).exists()


@pytest.mark.parametrize(
    ("subject", "text", "headers", "language", "expected_subject"),
    [
        (
            "Impressora",
            "Olá, a minha impressora não está funcionando. Obrigado",
            {},
            "pt-br",
            "Resposta automática",
        ),
        (
            "Impresora",
            "Hola, mi impresora no funciona, necesito ayuda. Gracias",
            {},
            "es",
            "Respuesta automática",
        ),
        ("Printer", "Hello, my printer is broken and I need help. Thanks", {}, "en", "Automatic reply"),
        ("?", "12345", {"Content-Language": "es-AR"}, "es", "Respuesta automática"),
        ("?", "12345", {}, "en", "Automatic reply"),  # the portal's default
    ],
)
def test_the_auto_reply_is_in_the_language_of_the_message(
    auto_reply_on, subject, text, headers, language, expected_subject
):
    auto_reply_on.append(build_email(sender=STRANGER, subject=subject, text=text, headers=headers))
    mail_read()
    assert OutboundEmail.objects.get().language == language
    (sent,) = _send_all()
    assert sent.subject.startswith(expected_subject)


def test_the_portals_default_language_is_the_fallback(settings):
    settings.LANGUAGE_CODE = "pt-br"
    parsed = parse(build_email(sender=STRANGER, subject="x", text="1 2 3"))
    assert guess_language(parsed) == "pt-br"


def test_why_a_message_is_never_answered():
    assert never_answer_reason(parse(build_email(sender=STRANGER))) == ""
    assert never_answer_reason(parse(build_email(sender="noreply@x.example"))) == "an address nobody reads"
    assert "Auto-Submitted" in never_answer_reason(
        parse(build_email(sender=STRANGER, headers={"Auto-Submitted": "auto-generated"}))
    )


def test_the_template_comes_back_if_it_was_deleted(auto_reply_on):
    EmailTemplate.objects.filter(name=AUTO_REPLY_TEMPLATE_NAME).delete()
    auto_reply_on.append(build_email(sender=STRANGER, subject="Hello"))
    mail_read()
    template = OutboundEmail.objects.get().template
    assert template.name == AUTO_REPLY_TEMPLATE_NAME
    assert template.texts_for("es")[0].startswith("Respuesta automática")
