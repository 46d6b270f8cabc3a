"""End to end: occurrences saved by the "web side" (this process), e-mails sent by a real Celery
worker over Redis to a real SMTP server on loopback. Nothing lost, nothing twice."""

import time

import pytest
from django.db import transaction

from outbox.models import OutboundEmail
from outbox.tasks import email_dispatch_pending_task
from tests import factories
from tickets.emails import email_queue_for_occurrence
from tickets.models import Occurrence

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(150)]

N = 50
Status = OutboundEmail.Status


@pytest.fixture
def captured_ticket(ticket, attendant, set_param):
    """A ticket with a responsible and template 253 set: one e-mail per occurrence."""
    template = factories.EmailTemplateFactory(
        subject="Ticket ${IDSERVICEREQUEST}: new occurrence",
        body="Hello ${REQUESTRESPONSIBLENAME}: ${OCCURRENCE}\n${LINKSOLICITACAOSERVICO}",
    )
    set_param(253, template.pk)
    ticket.responsible = attendant
    ticket.save(update_fields=["responsible"])
    return ticket


def register_many(ticket, author, n=N, per=1) -> list[int]:
    """n occurrences with Notify Responsible, each in its own transaction (one request each)."""
    category = factories.CategoryFactory(name="Customer follow-up")
    for i in range(n):
        with transaction.atomic():
            occ = Occurrence.objects.create(
                ticket=ticket, category=category, text=f"Occurrence {i}", author=author, notify=True
            )
            email_queue_for_occurrence(occurrence=occ, notify_responsible=True)
    ids = list(OutboundEmail.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == n * per
    return ids


def all_sent() -> bool:
    return not OutboundEmail.objects.exclude(status=Status.SENT).exists()


def assert_delivered_exactly_once(sink, worker, n=N):
    wait_for(
        lambda: sink.count() >= n and all_sent(),
        timeout=60,
        what=lambda: (
            f"{n} e-mails delivered (got {sink.count()}, statuses "
            f"{sorted(OutboundEmail.objects.values_list('status', flat=True))}); "
            f"worker log:\n{worker.log_text()[-3000:]}"
        ),
    )
    time.sleep(2)  # any duplicate would arrive now
    ids = sink.message_ids()
    assert len(ids) == n, f"{len(ids)} messages for {n} e-mails"
    assert len(set(ids)) == n, "an e-mail was delivered twice"
    assert set(ids) == set(OutboundEmail.objects.values_list("message_id", flat=True))


def test_fifty_occurrences_fifty_emails(captured_ticket, user, attendant, celery_worker, smtp_sink):
    smtp_sink.start()
    t0 = time.monotonic()
    register_many(captured_ticket, user)
    assert_delivered_exactly_once(smtp_sink, celery_worker)
    assert all(m["To"] == attendant.email for m in smtp_sink.messages)
    assert all(m.is_multipart() for m in smtp_sink.messages)
    print(f"50 e-mails delivered in {time.monotonic() - t0:.1f} s")


def test_smtp_down_then_up_delivers_each_once(captured_ticket, user, celery_worker, smtp_sink):
    register_many(captured_ticket, user)
    # The server is down: the worker's attempts fail and the rows wait, PENDING, for their retry.
    wait_for(
        lambda: not OutboundEmail.objects.filter(attempts=0).exists(),
        timeout=30,
        what=lambda: f"a first attempt on every e-mail; worker log:\n{celery_worker.log_text()[-3000:]}",
    )
    assert not OutboundEmail.objects.filter(status=Status.SENT).exists()
    assert OutboundEmail.objects.exclude(last_error="").exists()
    assert smtp_sink.count() == 0

    smtp_sink.start()
    t0 = time.monotonic()
    assert_delivered_exactly_once(smtp_sink, celery_worker)
    assert OutboundEmail.objects.filter(attempts__gt=1).exists()
    print(f"50 e-mails delivered {time.monotonic() - t0:.1f} s after the SMTP server came up")


def test_broker_down_at_save_then_beat_delivers_each_once(
    captured_ticket, user, celery_web, celery_worker, smtp_sink, settings
):
    smtp_sink.start()
    celery_web.point_at("redis://127.0.0.1:1/0")  # nothing listens there
    t0 = time.monotonic()
    register_many(captured_ticket, user)
    elapsed = time.monotonic() - t0
    # Saving did not hang on the dead broker, and every row waits PENDING.
    assert elapsed < 20, f"saving 50 occurrences with the broker down took {elapsed:.1f} s"
    assert OutboundEmail.objects.filter(status=Status.PENDING, attempts=0).count() == N
    time.sleep(1)
    assert smtp_sink.count() == 0

    # The broker is back; the beat task re-enqueues the stale rows. Running it again while the
    # worker sends (duplicate messages) still delivers each e-mail once.
    celery_web.point_at(celery_web.broker_url)
    settings.OUTBOX_STALE_AFTER_SECONDS = 0
    assert email_dispatch_pending_task() == N
    email_dispatch_pending_task()
    assert_delivered_exactly_once(smtp_sink, celery_worker)
    assert email_dispatch_pending_task() == 0
    print(f"saving with the broker down: {elapsed:.2f} s for 50 occurrences")


def test_unresponsive_broker_costs_a_request_one_timeout_at_most(
    transactional_db, captured_ticket, user, service_desk, celery_web, caplog
):
    """A broker that accepts connections and never answers: the commit hooks give up after the
    socket timeout once, then skip publishing; the rows wait PENDING."""
    import socket

    for i in range(3):
        factories.UserFactory(username=f"colleague{i}", is_staff=True, groups=[service_desk])
    captured_ticket.responsible = None
    captured_ticket.save(update_fields=["responsible"])
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        celery_web.point_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        t0 = time.monotonic()
        register_many(captured_ticket, user, n=1, per=4)
        elapsed = time.monotonic() - t0
    assert OutboundEmail.objects.filter(status=Status.PENDING).count() == 4
    assert elapsed < 8, f"one occurrence with 4 recipients took {elapsed:.1f} s"
    assert "could not enqueue" in caplog.text
    assert "broker recently unreachable" in caplog.text
    print(f"unresponsive broker: one occurrence, 4 recipients saved in {elapsed:.2f} s")
