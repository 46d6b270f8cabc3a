"""The whole loop with the production processes' pieces: a real Celery worker (tests/integration)
sends the attendant's message to the requester over SMTP with her signed reply address; she
answers from her "mail client" (the reply quotes the e-mail, marker included) into dovecot; the
beat task, published to the broker while parameter 200 is Y, has the worker read it: one message on
the ticket, one e-mail to the responsible."""

from __future__ import annotations

import time
from email.utils import parseaddr

import pytest

from inbound.models import InboundEmail
from outbox.models import OutboundEmail
from tests.integration.conftest import (  # noqa: F401  fixtures used by name
    celery_web,
    celery_worker,
    integration_broker_url,
    smtp_sink,
    wait_for,
)
from tickets.models import Message
from tickets.services.messages import message_send

from .conftest import ADDRESS, build_email

pytestmark = pytest.mark.integration


@pytest.fixture
def inbound_worker(request, monkeypatch, settings, inbound_on):
    """The worker started with inbound configured (its environment is read when it starts)."""
    monkeypatch.setenv("INBOUND_IMAP_URL", inbound_on.url)
    monkeypatch.setenv("INBOUND_ADDRESS", ADDRESS)
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL)
    monkeypatch.setenv("SECRET_KEY", settings.SECRET_KEY)
    return request.getfixturevalue("celery_worker"), request.getfixturevalue("smtp_sink")


def test_a_reply_from_the_mail_client_reaches_the_ticket_once(
    transactional_db,
    require_postgres,
    inbound_on,
    messaging,
    user,
    attendant,
    inbound_worker,
    set_param,
):
    worker, sink = inbound_worker
    sink.start()
    message_send(ticket=messaging, author=attendant, text="Please restart the printer.")
    sent = sink.wait_for(lambda m: m["To"] == user.email, timeout=60)
    assert sent is not None, worker.log_text()[-3000:]
    reply_to = parseaddr(sent["Reply-To"])[1]
    assert reply_to.startswith("support+t")
    original = sent.get_body(preferencelist=("plain",)) if hasattr(sent, "get_body") else None
    quoted_text = (original or sent.get_payload(0)).get_payload(decode=True).decode()
    quoted = "\n".join(f"> {line}" for line in quoted_text.splitlines())
    inbound_on.append(
        build_email(
            sender=user.email,
            to=reply_to,
            subject=f"Re: {sent['Subject']}",
            text=f"Done, it prints again.\n\nOn Monday, Smart Portal wrote:\n{quoted}\n",
            headers={"In-Reply-To": sent["Message-ID"], "References": sent["References"]},
        )
    )
    set_param(200, True)
    from inbound.tasks import mail_read_task

    mail_read_task.delay()
    wait_for(
        lambda: Message.objects.filter(ticket=messaging, author=user).exists(),
        timeout=60,
        what=lambda: f"the reply on the ticket; worker log:\n{worker.log_text()[-3000:]}",
    )
    assert Message.objects.get(ticket=messaging, author=user).text == "Done, it prints again."
    sink.wait_for(lambda m: m["To"] == attendant.email, timeout=60)
    mail_read_task.delay()  # read again: nothing more
    time.sleep(3)
    assert Message.objects.filter(ticket=messaging, author=user).count() == 1
    assert [m["To"] for m in sink.messages].count(attendant.email) == 1
    assert InboundEmail.objects.get().outcome == "processed"
    assert OutboundEmail.objects.filter(recipient=attendant.email).count() == 1
    assert inbound_on.count("INBOX") == 0
