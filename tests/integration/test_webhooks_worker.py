"""End to end: 200 ticket events (occurrences registered through the service, each in its own
transaction) delivered by a real Celery worker over Redis to a receiver on loopback that is down
while they are queued and comes back: every event arrives exactly once, every signature verifies."""

import json
import time

import pytest
from django.db import transaction

from occurrences.services import occurrence_register
from tests import factories
from tests.smtp import free_port
from tests.webhook_receiver import WebhookReceiver
from tickets.services.transitions import ticket_capture
from webhooks import services
from webhooks.models import Delivery, Event, Subscription
from webhooks.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, verify

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

N = 200


@pytest.fixture
def hook_receiver():
    r = WebhookReceiver(free_port())  # not started: the receiver is down
    yield r
    r.stop()


@pytest.fixture
def worker_env():
    """Loopback and plain HTTP for the receiver, short backoff (0.5 s doubling up to 2 s)."""
    return {
        "WEBHOOKS_ALLOW_LOOPBACK": "true",
        "WEBHOOKS_HTTPS_ONLY": "false",
        "WEBHOOKS_RETRY_BACKOFF_BASE": "0.5",
        "WEBHOOKS_RETRY_BACKOFF_MAX": "2",
        "WEBHOOKS_MAX_ATTEMPTS": "1000",
    }


def test_two_hundred_events_with_the_receiver_down_for_a_while(
    ticket, user, attendant, set_param, hook_receiver, celery_worker
):
    set_param(252, True)
    ticket_capture(ticket=ticket, actor=attendant)
    sub = Subscription.objects.create(name="ERP", url=hook_receiver.url, events=[Event.OCCURRENCE_REGISTERED])
    services.subscriptions_changed()
    category, origin = factories.CategoryFactory(), factories.OriginFactory()
    t0 = time.monotonic()
    for i in range(N):
        with transaction.atomic():
            occurrence_register(
                ticket_id=ticket.pk,
                actor=user,
                category=category,
                origin=origin,
                text=f"Event {i}",
                notify_responsible=False,
            )
    assert Delivery.objects.count() == N
    # Down for a while: attempts fail (connection refused) and are retried with backoff.
    wait_for(
        lambda: Delivery.objects.filter(attempts__gte=2).count() >= N // 2,
        timeout=60,
        what=lambda: f"failed attempts while down; worker log:\n{celery_worker.log_text()[-3000:]}",
    )
    assert hook_receiver.count() == 0
    hook_receiver.start()
    wait_for(
        lambda: not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists(),
        timeout=120,
        what=lambda: (
            f"{N} deliveries (received {hook_receiver.count()}, statuses "
            f"{sorted(set(Delivery.objects.values_list('status', flat=True)))}); "
            f"worker log:\n{celery_worker.log_text()[-3000:]}"
        ),
    )
    time.sleep(3)  # a duplicate would arrive now
    received = list(hook_receiver.received)
    ids = [json.loads(body)["id"] for _, body in received]
    assert len(received) == N, f"{len(received)} deliveries for {N} events"
    assert len(set(ids)) == N, "an event was delivered twice"
    assert set(ids) == {str(e) for e in Delivery.objects.values_list("event_id", flat=True)}
    for headers, body in received:
        assert verify(sub.secret, headers[SIGNATURE_HEADER], body)
        assert headers[EVENT_ID_HEADER] == json.loads(body)["id"]
    retried = Delivery.objects.filter(attempts__gt=1).count()
    print(f"{N} events delivered in {time.monotonic() - t0:.1f} s, {retried} after retries")
    assert retried >= N // 2
