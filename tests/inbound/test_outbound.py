"""What the outbox sends carries what the inbound side needs: the recipient's signed reply address,
the ticket's thread (In-Reply-To, References) and the "Reply above this line" marker."""

from __future__ import annotations

import pytest

from outbox.models import OutboundEmail
from outbox.rendering import render_email
from outbox.replies import reply_marker, reply_token_check, thread_id
from tests import factories


@pytest.fixture
def ticket_email(db):
    template = factories.EmailTemplateFactory()
    return OutboundEmail.objects.create(
        idempotency_key="k",
        recipient="maria@example.com",
        language="pt-br",
        template=template,
        context={"IDSERVICEREQUEST": "42", "LINKSOLICITACAOSERVICO": "http://x/42"},
    )


def test_a_ticket_email_carries_the_signed_reply_address_thread_and_marker(settings, ticket_email):
    settings.INBOUND_ADDRESS = "support@example.org"
    message = render_email(ticket_email)
    (reply_to,) = message.reply_to
    local, _at, domain = reply_to.partition("@")
    assert domain == "example.org"
    assert local.startswith("support+")
    assert reply_token_check(local.removeprefix("support+"), "maria@example.com") == 42
    assert reply_token_check(local.removeprefix("support+"), "joao@example.com") is None
    assert message.extra_headers["In-Reply-To"] == thread_id(42) == message.extra_headers["References"]
    assert message.body.startswith(reply_marker("pt-br"))
    html = message.alternatives[0][0]
    assert reply_marker("pt-br") in html


def test_a_notification_email_has_the_marker_but_no_reply_address(settings, ticket_email):
    settings.INBOUND_ADDRESS = "support@example.org"
    ticket_email.context = {"LINK": "http://x/"}
    message = render_email(ticket_email)
    assert message.reply_to == []
    assert "In-Reply-To" not in message.extra_headers


def test_with_inbound_off_nothing_changes(settings, ticket_email):
    settings.INBOUND_ADDRESS = ""
    message = render_email(ticket_email)
    assert message.reply_to == []
    assert "In-Reply-To" not in message.extra_headers
    assert not message.body.startswith(reply_marker("pt-br"))


def test_the_command_says_inbound_is_off_without_configuration(settings, db):
    from django.core.management import CommandError, call_command

    settings.INBOUND_IMAP_URL = ""
    with pytest.raises(CommandError, match="off"):
        call_command("mail_read")
