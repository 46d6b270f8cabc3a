"""Webhook queueing and sending (webhooks/services.py) over the database, with a receiver on loopback."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from occurrences.services import occurrence_register
from tests import factories
from tickets.services.messages import message_send
from tickets.services.transitions import ticket_capture
from webhooks import services
from webhooks.models import Delivery, Event, Subscription
from webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, verify
from webhooks.tasks import webhook_deliver_task

pytestmark = pytest.mark.django_db
Status = Delivery.Status


def subscribe(url, events=None, **kw) -> Subscription:
    sub = Subscription.objects.create(name="ERP", url=url, events=events or [e.value for e in Event], **kw)
    services.subscriptions_changed()
    return sub


@pytest.fixture
def captured(ticket, attendant, set_param):
    set_param(252, True)
    return ticket_capture(ticket=ticket, actor=attendant)


def register(ticket, user, text="Any news?"):
    return occurrence_register(
        ticket_id=ticket.pk,
        actor=user,
        category=factories.CategoryFactory(),
        origin=factories.OriginFactory(),
        text=text,
        notify_responsible=False,
    )


def test_no_subscription_no_row_and_no_query(captured, user):
    register(captured, user)  # warms the cached (empty) list of subscriptions
    with CaptureQueriesContext(connection) as ctx:
        services.webhook_event_queue(event=Event.MESSAGE, key="message:1", data=lambda: 1 / 0)
    assert ctx.captured_queries == []
    assert not Delivery.objects.exists()


def test_an_occurrence_is_delivered_signed_after_commit(
    captured, user, receiver, django_capture_on_commit_callbacks
):
    sub = subscribe(receiver.url, [Event.OCCURRENCE_REGISTERED])
    with django_capture_on_commit_callbacks(execute=True):
        occ = register(captured, user)
    delivery = Delivery.objects.get()
    assert delivery.status == Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.status_code == 200
    headers, body = receiver.received[0]
    assert verify(sub.secret, headers[SIGNATURE_HEADER], body)
    event = json.loads(body)
    assert event["type"] == "ticket.occurrence_registered" == headers[EVENT_HEADER]
    assert event["id"] == str(delivery.event_id) == headers[EVENT_ID_HEADER]
    assert headers[DELIVERY_HEADER] == str(delivery.pk)
    assert event["data"]["ticket"]["number"] == captured.pk
    assert event["data"]["ticket"]["situation"] == captured.situation
    assert event["data"]["occurrence"]["id"] == occ.pk
    assert "created_at" in event
    assert "description" not in event["data"]["ticket"]


def test_queued_in_the_causes_transaction(captured, user, receiver):
    subscribe(receiver.url)

    def cause_then_fail():
        with transaction.atomic():
            register(captured, user)
            assert Delivery.objects.count() == 1
            raise RuntimeError

    with pytest.raises(RuntimeError):
        cause_then_fail()
    assert not Delivery.objects.exists()


def test_only_the_subscribed_events_and_active_subscriptions(captured, user, attendant, receiver, set_param):
    subscribe(receiver.url, [Event.MESSAGE])
    Subscription.objects.create(name="off", url=receiver.url, events=[Event.MESSAGE], active=False)
    services.subscriptions_changed()
    set_param(299, True)  # messages
    register(captured, user)
    assert not Delivery.objects.exists()
    message_send(ticket=captured, author=attendant, text="Hello")
    assert list(Delivery.objects.values_list("event_type", flat=True)) == ["ticket.message"]


def test_the_same_cause_twice_is_one_delivery(receiver):
    subscribe(receiver.url)
    first = services.webhook_event_queue(event=Event.MESSAGE, key="message:7", data=dict)
    again = services.webhook_event_queue(event=Event.MESSAGE, key="message:7", data=dict)
    assert len(first) == 1
    assert again == []
    assert Delivery.objects.count() == 1
    other = services.webhook_event_queue(event=Event.SITUATION_CHANGED, key="message:7", data=dict)
    assert other[0].event_id != first[0].event_id


def test_a_failed_attempt_waits_with_backoff_and_a_success_is_never_resent(receiver, settings):
    settings.WEBHOOKS_RETRY_BACKOFF_BASE = 10
    subscribe(receiver.url)
    [d] = services.webhook_event_queue(event=Event.MESSAGE, key="message:8", data=dict)
    receiver.status = 503
    d = services.delivery_send(delivery_id=d.pk)
    assert (d.status, d.attempts, d.status_code) == (Status.PENDING, 1, 503)
    assert "HTTP 503" in d.last_error
    assert 9 <= (d.next_attempt_at - d.updated_at).total_seconds() <= 11
    d = services.delivery_send(delivery_id=d.pk)
    assert 19 <= (d.next_attempt_at - d.updated_at).total_seconds() <= 21
    receiver.status = 200
    d = services.delivery_send(delivery_id=d.pk)
    assert (d.status, d.attempts, d.last_error) == (Status.DELIVERED, 3, "")
    assert services.delivery_send(delivery_id=d.pk) is None
    assert services.deliveries_resend([d]) == []
    assert webhook_deliver_task(d.pk) == "skipped"
    assert receiver.count() == 1


def test_a_receiver_that_is_down_is_retried_then_fails_and_the_admin_resends(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    subscribe(receiver.url)
    receiver.stop()
    [d] = services.webhook_event_queue(event=Event.MESSAGE, key="message:9", data=dict)
    d = services.delivery_send(delivery_id=d.pk)
    assert d.status == Status.PENDING
    assert "ConnectionError" in d.last_error
    assert d.status_code is None
    d = services.delivery_send(delivery_id=d.pk)
    assert d.status == Status.FAILED
    assert d.attempts == 2
    receiver.start()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_resend([d]) == [d.pk]
    d.refresh_from_db()
    assert d.status == Status.DELIVERED
    assert receiver.count() == 1


def test_a_private_target_is_refused_at_send_time_without_retry(settings):
    settings.WEBHOOKS_HTTPS_ONLY = True
    sub = Subscription.objects.create(name="x", url="https://10.0.0.8/hook", events=[Event.MESSAGE])
    services.subscriptions_changed()
    [d] = services.webhook_event_queue(event=Event.MESSAGE, key="message:10", data=dict)
    d = services.delivery_send(delivery_id=d.pk)
    assert d.status == Status.FAILED
    assert "Private" in d.last_error
    assert sub.pk == d.subscription_id


def test_a_redirect_is_not_followed(receiver):
    subscribe(receiver.url)
    receiver.status = 302
    [d] = services.webhook_event_queue(event=Event.MESSAGE, key="message:11", data=dict)
    d = services.delivery_send(delivery_id=d.pk)
    assert d.status == Status.PENDING
    assert d.status_code == 302


def test_the_dispatcher_enqueues_overdue_rows_and_reclaims_stuck_ones(receiver, settings):
    from datetime import timedelta

    from django.utils import timezone

    subscribe(receiver.url)
    [late] = services.webhook_event_queue(event=Event.MESSAGE, key="message:12", data=dict)
    [stuck] = services.webhook_event_queue(event=Event.MESSAGE, key="message:13", data=dict)
    [fresh] = services.webhook_event_queue(event=Event.MESSAGE, key="message:14", data=dict)
    old = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=late.pk).update(next_attempt_at=old)
    Delivery.objects.filter(pk=stuck.pk).update(status=Status.SENDING, updated_at=old)
    assert services.webhook_dispatch_pending() == 2
    assert set(Delivery.objects.filter(status=Status.DELIVERED).values_list("pk", flat=True)) == {
        late.pk,
        stuck.pk,
    }
    assert Delivery.objects.get(pk=fresh.pk).status == Status.PENDING


def test_openings_and_transitions_are_events(user, activity, contract, attendant, receiver):
    subscribe(receiver.url)
    ticket = factories.open_ticket(requester=user, activity=activity, contract=contract)
    ticket_capture(ticket=ticket, actor=attendant)
    types = list(Delivery.objects.order_by("pk").values_list("event_type", flat=True))
    assert types == ["ticket.opened", "ticket.situation_changed"]
    body = json.loads(Delivery.objects.order_by("pk").last().body)
    assert body["data"]["transition"] == "capture"


def test_admin_refuses_a_private_url_and_shows_the_log(admin_client, settings):
    settings.WEBHOOKS_HTTPS_ONLY = True
    r = admin_client.post(
        reverse("admin:webhooks_subscription_add"),
        {"name": "x", "url": "https://192.168.0.10/hook", "events": ["ticket.message"], "active": "on"},
    )
    assert r.status_code == 200
    assert not Subscription.objects.exists()
    assert "Private" in r.content.decode()
    r = admin_client.post(
        reverse("admin:webhooks_subscription_add"),
        {"name": "x", "url": "http://93.184.216.34/hook", "events": ["ticket.message"], "active": "on"},
    )
    assert "https://" in r.content.decode()
    assert not Subscription.objects.exists()
    r = admin_client.post(
        reverse("admin:webhooks_subscription_add"),
        {"name": "ERP", "url": "https://93.184.216.34/hook", "events": ["ticket.message"], "active": "on"},
    )
    assert r.status_code == 302
    sub = Subscription.objects.get()
    assert services.subscriptions_for("ticket.message") == [sub.pk]  # the cached list was renewed
    services.webhook_event_queue(event=Event.MESSAGE, key="message:15", data=dict)
    assert admin_client.get(reverse("admin:webhooks_delivery_changelist")).status_code == 200
    d = Delivery.objects.get()
    assert admin_client.get(reverse("admin:webhooks_delivery_change", args=[d.pk])).status_code == 200
    assert admin_client.get(reverse("admin:webhooks_subscription_change", args=[sub.pk])).status_code == 200


def test_an_approval_decision_is_an_event(user, approval_activity, contract, joao, receiver):
    from approvals.email_templates import email_templates_ensure
    from approvals.services import approval_decide

    email_templates_ensure()
    ticket = factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    subscribe(receiver.url, [Event.APPROVAL_DECIDED])
    decision = approval_decide(ticket_id=ticket.pk, actor=joao, approved=True, observations="Budget ok.")
    delivery = Delivery.objects.get()
    body = json.loads(delivery.body)
    assert body["type"] == "ticket.approval_decided"
    assert body["data"]["approval"]["decision_id"] == decision.pk
    assert body["data"]["approval"]["result"] == decision.result
    assert body["data"]["ticket"]["number"] == ticket.pk


def test_the_connected_address_is_checked_again_dns_rebinding(receiver, settings, monkeypatch):
    """The name passed the check (a public answer) and then resolved to loopback when the client
    connected: the connection is refused before the request is written."""
    subscribe(receiver.url)
    [d] = services.webhook_event_queue(event=Event.MESSAGE, key="message:16", data=dict)
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    monkeypatch.setattr(services, "target_check", lambda url, resolve=True: None)
    d = services.delivery_send(delivery_id=d.pk)
    assert d.status == Status.FAILED
    assert "Loopback" in d.last_error
    assert receiver.count() == 0
