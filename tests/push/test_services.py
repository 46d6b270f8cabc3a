"""Web Push end to end in one process (issue 26): the cause queues one row per (event, device) in its
own transaction, the task sends it after the commit to a push service stand-in on loopback, and the
encrypted payload decrypts with the test subscription's keys and names the ticket; 410 Gone removes
the device; a transient failure is retried; push is off without the VAPID settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from approvals.email_templates import email_templates_ensure
from notifications.services import notification_upsert
from push.models import PushMessage, PushSubscription
from push.services import PushRefused, push_dispatch_pending, push_queue, subscription_save
from tests import factories
from tickets.services.backoffice import staff_occurrence_register
from tickets.services.messages import message_send
from tickets.services.transitions import ticket_capture

Status = PushMessage.Status


@pytest.fixture
def captured(ticket, attendant, set_param):
    """The ticket captured by the attendant, messages on (299)."""
    set_param(299, True)
    ticket_capture(ticket=ticket, actor=attendant)
    ticket.refresh_from_db()
    return ticket


def test_an_attendants_message_reaches_the_device_encrypted_and_names_only_the_ticket(
    vapid, push_service, subscribe, captured, user, attendant, django_capture_on_commit_callbacks
):
    device = push_service.device("maria-phone")
    subscribe(user, device)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(ticket=captured, author=attendant, text="Your new password is Hunter2")
    [got] = push_service.for_device(device)
    assert got.headers["content-encoding"] == "aes128gcm"
    assert got.headers["authorization"].startswith("vapid t=")
    assert got.headers["authorization"].endswith(f"k={vapid[0]}")
    assert len(got.headers["topic"]) == 32
    assert b"Hunter2" not in got.body  # encrypted
    assert b"Request" not in got.body
    payload = device.decrypt(got.body)
    assert payload == {
        "title": f"Request {captured.number}",
        "body": "The service desk answered you.",
        "url": f"/my-requests/{captured.pk}/messages/",
        "tag": payload["tag"],
    }
    assert "Hunter2" not in str(payload)
    row = PushMessage.objects.get()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert PushSubscription.objects.get().last_success_at is not None


def test_the_text_is_in_the_recipients_language(
    vapid, push_service, subscribe, captured, user, attendant, django_capture_on_commit_callbacks
):
    user.preferred_language = "pt-br"
    user.save(update_fields=["preferred_language"])
    device = push_service.device("maria-phone")
    subscribe(user, device)
    with django_capture_on_commit_callbacks(execute=True):
        staff_occurrence_register(
            ticket=captured,
            actor=attendant,
            category=factories.CategoryFactory(name="Follow-up"),
            origin=None,
            text="Confidential diagnosis",
            notify_applicant=True,
        )
    payload = device.decrypt(push_service.for_device(device)[0].body)
    assert payload["title"] == f"Solicitação {captured.number}"
    assert payload["url"] == f"/my-requests/{captured.pk}/occurrences/"
    assert "Confidential" not in str(payload)


def test_the_requesters_own_message_and_a_hidden_note_push_nothing_to_them(
    vapid, push_service, subscribe, captured, user, attendant, django_capture_on_commit_callbacks
):
    subscribe(user, push_service.device("maria-phone"))
    with django_capture_on_commit_callbacks(execute=True):
        message_send(ticket=captured, author=user, text="Any news?")
        staff_occurrence_register(
            ticket=captured,
            actor=attendant,
            category=factories.CategoryFactory(name="Note"),
            origin=None,
            text="internal",
            public=False,
            notify_applicant=True,
        )
    assert push_service.received == []
    assert not PushMessage.objects.exists()


def test_an_approval_awaits_every_device_of_each_approver_once(
    vapid,
    push_service,
    subscribe,
    user,
    approval_activity,
    contract,
    joao,
    django_capture_on_commit_callbacks,
):
    email_templates_ensure()
    phone, laptop = push_service.device("joao-phone"), push_service.device("joao-laptop")
    subscribe(joao, phone)
    subscribe(joao, laptop)
    subscribe(user, push_service.device("maria-phone"))  # the requester is not an approver
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    assert len(push_service.received) == 2
    for device in (phone, laptop):
        [got] = push_service.for_device(device)
        payload = device.decrypt(got.body)
        assert payload["title"] == f"Request {ticket.number}"
        assert payload["body"] == "Awaits your approval."
        assert payload["url"] == f"/approvals/{ticket.pk}/"


def test_a_notification_to_confirm_is_pushed_once_per_device_also_when_saved_again(
    vapid, push_service, subscribe, user, other_user, django_capture_on_commit_callbacks
):
    device = push_service.device("maria-phone")
    subscribe(user, device)
    data = {
        "title": "New security policy",
        "short_description": "Read it.",
        "description": "Secret details",
        "starts_at": timezone.now() - timedelta(minutes=1),
        "requires_confirmation": True,
        "target_users": [user],
    }
    with django_capture_on_commit_callbacks(execute=True):
        n = notification_upsert(**data)
    with django_capture_on_commit_callbacks(execute=True):
        notification_upsert(**data, notification=n)
    [got] = push_service.for_device(device)
    payload = device.decrypt(got.body)
    assert payload["title"] == "New security policy"
    assert payload["url"] == f"/notifications/{n.pk}/"
    assert "Secret" not in str(payload)
    # One without confirmation is not pushed.
    with django_capture_on_commit_callbacks(execute=True):
        notification_upsert(**{**data, "requires_confirmation": False, "title": "FYI"})
    assert len(push_service.received) == 1


def test_410_gone_removes_the_device_and_is_not_retried(
    vapid, push_service, subscribe, user, django_capture_on_commit_callbacks
):
    gone, alive = push_service.device("old-phone"), push_service.device("new-phone")
    subscribe(user, gone)
    subscribe(user, alive)
    push_service.statuses["/push/old-phone"] = 410
    with django_capture_on_commit_callbacks(execute=True):
        push_queue(users=[user], event="test:1", url="/", title="Request 7")
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [alive.endpoint]
    failed = PushMessage.objects.get(status=Status.FAILED)
    assert failed.subscription_id is None
    assert "410" in failed.last_error
    assert PushMessage.objects.filter(status=Status.SENT).count() == 1
    assert push_dispatch_pending(now=timezone.now() + timedelta(hours=1)) == 0  # nothing to retry


def test_a_transient_failure_is_retried_then_sent_once(
    vapid, push_service, subscribe, user, settings, django_capture_on_commit_callbacks
):
    device = push_service.device("phone")
    subscribe(user, device)
    push_service.statuses["/push/phone"] = 503
    with django_capture_on_commit_callbacks(execute=True):
        push_queue(users=[user], event="test:2", url="/", title="Request 8")
    row = PushMessage.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)  # eager: left for the sweep
    assert "503" in row.last_error
    del push_service.statuses["/push/phone"]
    settings.OUTBOX_STALE_AFTER_SECONDS = 0
    assert push_dispatch_pending() == 1
    assert push_dispatch_pending() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    assert len(push_service.for_device(device)) == 2  # the failed attempt and the delivery


def test_an_event_is_queued_once_per_device_and_a_rollback_queues_nothing(
    vapid, push_service, subscribe, user
):
    subscribe(user, push_service.device("a"))
    subscribe(user, push_service.device("b"))
    assert len(push_queue(users=[user, user], event="test:3", url="/", title="t")) == 2
    assert push_queue(users=[user], event="test:3", url="/", title="t") == []

    def cause_that_fails():
        with transaction.atomic():
            push_queue(users=[user], event="test:4", url="/", title="t")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        cause_that_fails()
    assert PushMessage.objects.count() == 2


def test_push_is_off_without_the_vapid_settings(settings, push_service, user):
    settings.VAPID_PRIVATE_KEY = ""
    PushSubscription.objects.create(user=user, endpoint=push_service.url("x"), p256dh="k", auth="a")
    assert push_queue(users=[user], event="test:5", url="/", title="t") == []
    with pytest.raises(PushRefused):
        subscription_save(user=user, endpoint=push_service.url("y"), p256dh="k", auth="a")


def test_a_subscription_is_checked_and_a_device_belongs_to_its_last_user(
    vapid, push_service, subscribe, user, other_user, settings
):
    device = push_service.device("shared")
    assert subscription_save(
        user=user,
        endpoint="https://fcm.googleapis.com/fcm/send/abc",
        p256dh=device.p256dh,
        auth=device.auth_b64,
    )
    for bad in (
        {"endpoint": "https://intranet.example.com/admin"},  # not a push service
        {"endpoint": "https://fcm.googleapis.com.evil.example/x"},
        {"endpoint": "http://fcm.googleapis.com/fcm/send/abc"},  # http off loopback
        {"endpoint": "ftp://127.0.0.1/x"},
        {"p256dh": "not-a-key"},
        {"auth": device.p256dh},  # wrong size
    ):
        fields = {"endpoint": device.endpoint, "p256dh": device.p256dh, "auth": device.auth_b64, **bad}
        with pytest.raises(PushRefused):
            subscription_save(user=user, **fields)
    subscribe(user, device)
    subscribe(other_user, device)
    assert PushSubscription.objects.get(endpoint=device.endpoint).user == other_user
    settings.PUSH_MAX_DEVICES = 2
    for name in ("a", "b", "c"):
        subscribe(user, push_service.device(name))
    assert sorted(PushSubscription.objects.filter(user=user).values_list("endpoint", flat=True)) == [
        push_service.url("b"),
        push_service.url("c"),
    ]


def test_push_vapid_keys_prints_a_pair_pywebpush_signs_with(capsys):
    from django.core.management import call_command
    from py_vapid import Vapid

    from push.services import _b64url_decode

    call_command("push_vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    public, private = lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"]
    assert len(_b64url_decode(public)) == 65
    assert len(_b64url_decode(private)) == 32
    headers = Vapid.from_string(private).sign(
        {"sub": "mailto:a@example.com", "aud": "https://fcm.googleapis.com"}
    )
    assert headers["Authorization"].endswith(f"k={public}")
