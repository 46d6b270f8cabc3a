"""Reading a real mailbox (dovecot on loopback, tests/inbound/conftest.py) in the test process:
replies, new requests, refusals, and what lands in which folder."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from inbound.models import InboundEmail
from inbound.reader import READ_ERRORS, mail_read
from outbox.replies import reply_address
from tickets.models import Attachment, Message, Occurrence, Situation, Ticket

from .conftest import ADDRESS, build_email

pytestmark = pytest.mark.integration


def _reply(ticket, user, text="Still broken, see the log.", **kwargs) -> bytes:
    return build_email(
        sender=f"{user.display_name} <{user.email}>",
        to=reply_address(ticket.pk, user.email),
        subject=f"Re: Request {ticket.pk}",
        text=text,
        **kwargs,
    )


def test_a_reply_becomes_one_message_and_occurrence_and_mails_the_responsible_once(
    inbound_on, messaging, user, attendant
):
    ticket = messaging
    inbound_on.append(_reply(ticket, user))
    mail.outbox.clear()

    summary = mail_read()
    assert (summary.read, summary.processed) == (1, 1)
    assert list(Message.objects.filter(ticket=ticket).values_list("author", "text")) == [
        (user.pk, "Still broken, see the log.")
    ]
    assert Occurrence.objects.filter(ticket=ticket, author=user, is_system=False).count() == 1
    row = InboundEmail.objects.get()
    assert (row.outcome, row.action, row.ticket, row.user) == ("processed", "reply", ticket, user)
    assert row.moved_at is not None
    assert (inbound_on.count("INBOX"), inbound_on.count("Processed")) == (0, 1)

    assert mail_read().read == 0  # read again: nothing left, nothing more
    assert Message.objects.filter(ticket=ticket).count() == 1
    from outbox.models import OutboundEmail

    assert OutboundEmail.objects.filter(recipient=attendant.email).count() == 1


def test_the_same_message_delivered_twice_creates_nothing_more_and_is_moved_to_processed(
    inbound_on, messaging, user
):
    raw = _reply(messaging, user, message_id="<twice@client.example>")
    inbound_on.append(raw)
    mail_read()
    inbound_on.append(raw)  # delivered again (or left in INBOX by a reader killed before the move)
    summary = mail_read()
    assert (summary.read, summary.already_done, summary.processed) == (1, 1, 0)
    assert Message.objects.filter(ticket=messaging).count() == 1
    assert InboundEmail.objects.count() == 1
    assert (inbound_on.count("INBOX"), inbound_on.count("Processed")) == (0, 2)


def test_a_forged_sender_never_writes_into_the_ticket(inbound_on, messaging, user, other_user):
    # other_user forges maria's reply address (or got her e-mail forwarded) with their own From...
    forged = build_email(sender=other_user.email, to=reply_address(messaging.pk, user.email), text="Close it")
    # ...or writes maria's From with a reply address signed for somebody else.
    spoofed = build_email(
        sender=user.email, to=reply_address(messaging.pk, other_user.email), text="Cancel everything"
    )
    guessed = build_email(sender=user.email, to=f"support+t{messaging.pk}-0123456789abcdef0123@example.org")
    for raw in (forged, spoofed, guessed):
        inbound_on.append(raw)
    summary = mail_read()
    assert (summary.read, summary.rejected) == (3, 3)
    assert not Message.objects.filter(ticket=messaging).exists()
    assert not Occurrence.objects.filter(ticket=messaging, is_system=False).exists()
    assert Ticket.objects.count() == 1
    assert set(InboundEmail.objects.values_list("outcome", flat=True)) == {"rejected"}
    assert all("not issued to the sender" in r for r in InboundEmail.objects.values_list("reason", flat=True))
    assert (inbound_on.count("INBOX"), inbound_on.count("Rejected")) == (0, 3)


def test_a_subject_naming_a_request_opens_a_new_one_and_unknown_senders_create_nothing(
    inbound_on, messaging, user, activity, set_param
):
    from tests.factories import OriginFactory

    email_origin = OriginFactory(name="E-mail")
    set_param(201, activity.pk)
    set_param(204, email_origin.pk)
    inbound_on.append(
        build_email(sender=user.email, subject=f"Request {messaging.pk}", text="My mouse is dead too.")
    )
    inbound_on.append(build_email(sender="stranger@elsewhere.example", subject="Buy now"))
    summary = mail_read()
    assert (summary.processed, summary.rejected) == (1, 1)
    assert not Message.objects.filter(ticket=messaging).exists()
    new = Ticket.objects.exclude(pk=messaging.pk).get()
    assert (new.requester, new.title, new.description, new.origin) == (
        user,
        f"Request {messaging.pk}",
        "My mouse is dead too.",
        email_origin,
    )
    stranger = InboundEmail.objects.get(sender="stranger@elsewhere.example")
    assert stranger.outcome == "rejected"
    assert "not an active user" in stranger.reason


def test_without_the_activity_parameter_a_new_email_opens_nothing(inbound_on, user, portal_ready):
    inbound_on.append(build_email(sender=user.email, subject="Help"))
    assert mail_read().rejected == 1
    assert not Ticket.objects.exists()
    assert "parameter 201" in InboundEmail.objects.get().reason


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", "On Mon, 7 Dec 2026 at 10:00, Smart Portal <no-reply@example.org> wrote:"),
        ("pt-br", "Em seg., 7 de dez. de 2026 às 10:00, Smart Portal <no-reply@example.org> escreveu:"),
        ("es", "El lun, 7 dic 2026 a las 10:00, Smart Portal <no-reply@example.org> escribió:"),
    ],
)
def test_the_quoted_history_is_cut_at_the_marker_in_three_languages(
    inbound_on, messaging, user, language, header
):
    from outbox.replies import reply_marker

    quoted = f"> {reply_marker(language)}\n>\n> Request {messaging.pk}: new message\n> Old text"
    inbound_on.append(_reply(messaging, user, text=f"Thanks, it works now.\n\n{header}\n{quoted}\n"))
    mail_read()
    assert Message.objects.get(ticket=messaging).text == "Thanks, it works now."


def test_an_html_only_reply_is_stored_as_text(inbound_on, messaging, user):
    html = (
        "<html><body><p>It <b>works</b> &amp; thanks</p><script>alert(1)</script><p>Maria</p></body></html>"
    )
    inbound_on.append(_reply(messaging, user, text=None, html=html))
    mail_read()
    assert Message.objects.get(ticket=messaging).text == "It works & thanks\n\nMaria"


def test_a_forbidden_attachment_is_refused_and_noted_the_rest_is_kept(inbound_on, messaging, user):
    attachments = [
        ("log.txt", b"line 1\nline 2\n", "text/plain"),
        ("setup.exe", b"MZ\x90\x00binary", "application/octet-stream"),
        ("photo.txt", b"MZ pretending to be text", "text/plain"),  # content sniffing
    ]
    inbound_on.append(_reply(messaging, user, text="Logs attached.", attachments=attachments))
    mail_read()
    assert list(Attachment.objects.filter(ticket=messaging).values_list("original_name", flat=True)) == [
        "log.txt"
    ]
    text = Message.objects.get(ticket=messaging).text
    assert text.startswith("Logs attached.")
    assert "setup.exe" in text
    assert "photo.txt" in text


def test_a_large_attachment_over_parameter_278_is_refused(inbound_on, messaging, user, set_param):
    set_param(278, 1024 * 1024)
    big = b"x" * (10 * 1024 * 1024)
    inbound_on.append(_reply(messaging, user, text="Big file", attachments=[("big.txt", big, "text/plain")]))
    assert mail_read().processed == 1
    assert not Attachment.objects.exists()
    assert "big.txt" in Message.objects.get(ticket=messaging).text


def test_malformed_mime_8bit_headers_and_a_huge_subject_do_not_crash(inbound_on, messaging, user):
    malformed = (
        b"From: "
        + user.email.encode()
        + b"\r\nTo: "
        + reply_address(messaging.pk, user.email).encode()
        + b"\r\nSubject: Caf\xe9 \xff\xfe "
        + b"x" * 5000
        + b"\r\nMessage-ID: <broken@client.example>\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n'
        b"--never-closed\r\nContent-Type: text/plain; charset=unknown-8bit\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64\xe9\r\n"
    )
    no_headers = b"just some bytes without headers\r\n"
    inbound_on.append(malformed)
    inbound_on.append(no_headers)
    summary = mail_read()
    assert summary.read == 2
    assert InboundEmail.objects.count() == 2
    assert inbound_on.count("INBOX") == 0
    row = InboundEmail.objects.get(message_id="<broken@client.example>")
    assert len(row.subject) <= 255
    assert InboundEmail.objects.exclude(pk=row.pk).get().outcome == "rejected"


def test_raw_8bit_utf8_headers_are_read(inbound_on, messaging, user):
    """A client that writes UTF-8 straight into the headers (SMTPUTF8, no RFC 2047 encoding)."""
    raw = (
        "From: María Souza <" + user.email + ">\r\nTo: " + reply_address(messaging.pk, user.email) + "\r\n"
        "Subject: Re: impressora não imprime — ação urgente\r\nMessage-ID: <utf8@client.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nAinda não funciona, está pior.\r\n"
    ).encode()
    inbound_on.append(raw)
    assert mail_read().processed == 1
    row = InboundEmail.objects.get()
    assert (row.sender, row.subject, row.action) == (
        user.email,
        "Re: impressora não imprime — ação urgente",
        "reply",
    )
    assert Message.objects.get(ticket=messaging).text == "Ainda não funciona, está pior."


def test_a_huge_subject_opens_a_request_with_a_shortened_title(
    inbound_on, user, activity, set_param, portal_ready
):
    set_param(201, activity.pk)
    inbound_on.append(build_email(sender=user.email, subject="Printer " * 2000, text="It is broken."))
    assert mail_read().processed == 1
    ticket = Ticket.objects.get()
    assert len(ticket.title) <= 200
    assert ticket.title.startswith("Printer Printer")
    assert len(InboundEmail.objects.get().subject) <= 255


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_auto_replies_and_bounces_are_ignored(inbound_on, messaging, user, headers):
    inbound_on.append(_reply(messaging, user, text="I am out of office", headers=headers))
    assert mail_read().rejected == 1
    assert not Message.objects.exists()
    assert "Automatic message" in InboundEmail.objects.get().reason


def test_bounces_are_ignored(inbound_on, messaging, user):
    dsn = (
        b"From: Mail Delivery System <MAILER-DAEMON@example.org>\r\nTo: "
        + ADDRESS.encode()
        + b"\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn@example.org>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b1\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        b"--b1\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; x@y\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n\r\n--b1--\r\n"
    )
    inbound_on.append(dsn)
    inbound_on.append(build_email(sender="postmaster@example.org", subject="Undelivered Mail"))
    assert mail_read().rejected == 2
    assert all("delivery status" in r for r in InboundEmail.objects.values_list("reason", flat=True))
    assert not Ticket.objects.exclude(pk=messaging.pk).exists()


def test_our_own_email_coming_back_is_ignored(inbound_on, messaging, user, set_param, activity):
    from outbox.models import OutboundEmail
    from tests.factories import EmailTemplateFactory

    set_param(201, activity.pk)
    ours = OutboundEmail.objects.create(
        idempotency_key="k", recipient=ADDRESS, template=EmailTemplateFactory(), context={}
    )
    assert ours.message_id.endswith("@example.org>")
    inbound_on.append(build_email(sender=user.email, message_id=ours.message_id))  # our Message-ID
    inbound_on.append(build_email(sender=user.email, headers={"X-Smart-Portal-Outbox": "7"}))
    inbound_on.append(build_email(sender=ADDRESS, subject="Loop"))
    # A colleague's client on the same domain: not one of ours, it opens a request.
    inbound_on.append(build_email(sender=user.email, message_id="<abc@example.org>", subject="Mine"))
    summary = mail_read()
    assert (summary.rejected, summary.processed) == (3, 1)
    assert Ticket.objects.exclude(pk=messaging.pk).get().title == "Mine"
    assert InboundEmail.objects.filter(reason__contains="came back").count() == 3


def test_a_sender_over_the_throttle_is_refused(inbound_on, messaging, user, settings):
    settings.INBOUND_THROTTLE_PER_MINUTE = 2
    for n in range(3):
        inbound_on.append(_reply(messaging, user, text=f"Message {n}"))
    summary = mail_read()
    assert (summary.processed, summary.rejected) == (2, 1)
    assert "throttled" in InboundEmail.objects.get(outcome="rejected").reason


def test_a_reply_to_a_closed_ticket_reopens_it_within_parameter_171(inbound_on, messaging, user, attendant):
    from tickets.services.transitions import ticket_close, ticket_resolve

    ticket_resolve(ticket=messaging, actor=attendant, solution="Restarted")
    ticket_close(ticket=messaging, actor=attendant)
    inbound_on.append(_reply(messaging, user, text="It broke again."))
    mail_read()
    messaging.refresh_from_db()
    assert messaging.situation == Situation.REOPENED
    assert Message.objects.get(ticket=messaging).text == "It broke again."
    assert InboundEmail.objects.get().action == "reopened"


def test_after_the_reopen_window_a_reply_opens_a_new_request_referencing_the_old_one(
    inbound_on, messaging, user, attendant, activity, set_param
):
    from tickets.services.transitions import ticket_close, ticket_resolve

    set_param(201, activity.pk)
    set_param(171, 0)  # no reopening at all: the window is over as soon as it is closed
    ticket_resolve(ticket=messaging, actor=attendant, solution="Restarted")
    ticket_close(ticket=messaging, actor=attendant)
    inbound_on.append(_reply(messaging, user, text="It broke again."))
    mail_read()
    messaging.refresh_from_db()
    assert messaging.situation == Situation.CLOSED
    new = Ticket.objects.exclude(pk=messaging.pk).get()
    assert f"request {messaging.number}" in new.description
    assert "It broke again." in new.description
    assert InboundEmail.objects.get().action == "follow_up"


def test_a_reply_before_capture_is_an_occurrence_that_notifies_the_group(inbound_on, user, ticket, attendant):
    from parameters.services import parameter_set
    from tests.factories import EmailTemplateFactory

    parameter_set(p=253, value=EmailTemplateFactory().pk)
    inbound_on.append(_reply(ticket, user, text="Any news?"))
    mail_read()
    assert not Message.objects.exists()
    occurrence = Occurrence.objects.get(ticket=ticket, is_system=False)
    assert "Any news?" in occurrence.text
    from outbox.models import OutboundEmail

    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [attendant.email]


def test_the_imap_server_stopped_and_restarted_loses_nothing(inbound_on, messaging, user):
    inbound_on.append(_reply(messaging, user, text="Before the outage"))
    inbound_on.stop()
    with pytest.raises(READ_ERRORS):
        mail_read()
    with pytest.raises(CommandError, match="nothing was lost"):
        call_command("mail_read")
    from inbound.tasks import mail_read_task
    from parameters.services import parameter_set

    parameter_set(p=200, value=True)
    assert mail_read_task() == 0  # logged, not raised: the next beat run retries
    inbound_on.start()
    assert mail_read_task() == 1
    assert Message.objects.get(ticket=messaging).text == "Before the outage"


def test_the_beat_task_reads_only_while_parameter_200_is_y(inbound_on, messaging, user, set_param):
    from inbound.tasks import mail_read_task

    inbound_on.append(_reply(messaging, user))
    assert mail_read_task() == 0
    assert inbound_on.count("INBOX") == 1
    set_param(200, True)
    assert mail_read_task() == 1
    set_param(200, False)
    inbound_on.append(_reply(messaging, user, text="again"))
    assert mail_read_task() == 0


def test_the_command_reads_one_pass(inbound_on, messaging, user, capsys):
    inbound_on.append(_reply(messaging, user))
    call_command("mail_read")
    assert "1 read: 1 processed" in capsys.readouterr().out
