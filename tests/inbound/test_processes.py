"""Exactly once across processes: ``manage.py mail_read`` run as real processes on the test database
(PostgreSQL) against a real dovecot: two readers at once, and a reader killed (SIGKILL) between its
commit and the move to Processed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inbound.models import InboundEmail
from outbox.models import OutboundEmail
from outbox.replies import reply_address
from tests.integration.conftest import _test_database_url
from tickets.models import Message, Occurrence

from .conftest import ADDRESS, build_email

pytestmark = pytest.mark.integration

BASE_DIR = Path(__file__).resolve().parents[2]

# A reader that dies like a worker killed by the OOM killer or a deploy: right after the commit of
# the first message, before moving it.
KILLED_AFTER_COMMIT = """
import os, signal, django
django.setup()
from inbound import reader
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
reader._move = die
from django.core.management import call_command
call_command("mail_read")
"""


def _env(settings, dovecot) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartportal.settings.test",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
        "DATABASE_URL": _test_database_url(settings),
        "INBOUND_IMAP_URL": dovecot.url,
        "INBOUND_ADDRESS": ADDRESS,
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "SECRET_KEY": settings.SECRET_KEY,
    }


def _reader(settings, dovecot, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=_env(settings, dovecot),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def committed_messaging(transactional_db, require_postgres, inbound_on, messaging):
    return messaging


def test_two_readers_at_once_write_each_reply_once(
    settings, inbound_on, committed_messaging, user, attendant
):
    ticket = committed_messaging
    for n in range(6):
        inbound_on.append(
            build_email(sender=user.email, to=reply_address(ticket.pk, user.email), text=f"Reply {n}")
        )
    readers = [_reader(settings, inbound_on, "manage.py", "mail_read") for _ in range(2)]
    outputs = [r.communicate(timeout=120)[0].decode() for r in readers]
    assert [r.returncode for r in readers] == [0, 0], outputs
    assert sorted(Message.objects.filter(ticket=ticket).values_list("text", flat=True)) == [
        f"Reply {n}" for n in range(6)
    ]
    assert Occurrence.objects.filter(ticket=ticket, is_system=False).count() == 6
    assert InboundEmail.objects.filter(outcome="processed").count() == 6
    # The responsible is e-mailed once per reply (parameter 300).
    assert OutboundEmail.objects.filter(recipient=attendant.email).count() == 6
    assert inbound_on.count("INBOX") == 0
    # Two sessions moving the same message at the same instant may leave a second copy in
    # Processed (maildir's move is a link then an expunge): harmless, the database has it once.
    assert inbound_on.count("Processed") >= 6


def test_a_reader_killed_between_commit_and_move_writes_nothing_twice(
    settings, inbound_on, committed_messaging, user
):
    ticket = committed_messaging
    inbound_on.append(build_email(sender=user.email, to=reply_address(ticket.pk, user.email), text="Once"))
    killed = _reader(settings, inbound_on, "-c", KILLED_AFTER_COMMIT)
    output = killed.communicate(timeout=120)[0].decode()
    assert killed.returncode == -9, output
    # Committed, not moved.
    assert Message.objects.filter(ticket=ticket).count() == 1
    row = InboundEmail.objects.get()
    assert row.moved_at is None
    assert inbound_on.count("INBOX") == 1

    again = _reader(settings, inbound_on, "manage.py", "mail_read")
    output = again.communicate(timeout=120)[0].decode()
    assert again.returncode == 0, output
    assert "1 already done" in output
    assert Message.objects.filter(ticket=ticket).count() == 1
    assert Occurrence.objects.filter(ticket=ticket, is_system=False).count() == 1
    assert OutboundEmail.objects.filter(idempotency_key__startswith="message:").count() == 1
    assert (inbound_on.count("INBOX"), inbound_on.count("Processed")) == (0, 1)
    row.refresh_from_db()
    assert row.moved_at is not None


def test_two_readers_at_once_auto_reply_once_to_an_unknown_sender(
    settings, transactional_db, require_postgres, inbound_on
):
    from parameters.services import parameter_set

    parameter_set(p=205, value=True)
    for n in range(6):
        inbound_on.append(build_email(sender="stranger@elsewhere.example", subject=f"Hello {n}"))
    readers = [_reader(settings, inbound_on, "manage.py", "mail_read") for _ in range(2)]
    outputs = [r.communicate(timeout=120)[0].decode() for r in readers]
    assert [r.returncode for r in readers] == [0, 0], outputs
    assert InboundEmail.objects.filter(outcome="rejected").count() == 6
    assert OutboundEmail.objects.filter(recipient="stranger@elsewhere.example").count() == 1
    assert InboundEmail.objects.filter(auto_reply__isnull=False).count() == 1
