"""Web Push end to end with real processes (issue 26): events saved by the "web side" (this process)
queue one push per device in their own transaction; a real Celery worker over Redis sends them to a
push service stand-in on loopback. The worker is restarted in the middle of the run (a deploy: warm
shutdown, then a new worker), the beat sweep runs twice meanwhile, and every (event, device) still
arrives exactly once, decrypting with the device's keys to a text that names its ticket."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

import pytest
from django.db import transaction

from push.models import PushMessage
from push.services import push_dispatch_pending, push_queue, subscription_save
from tests.webpush import PushServiceStandIn, vapid_settings

from .conftest import start_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

EVENTS = 15


@pytest.fixture
def push_service():
    standin = PushServiceStandIn(delay=0.15)  # a slow push service: the restart lands mid-run
    yield standin
    standin.stop()


def test_each_event_reaches_each_device_exactly_once_across_a_worker_restart(
    transactional_db,
    require_postgres,
    settings,
    celery_web,
    smtp_sink,
    push_service,
    user,
    other_user,
    tmp_path,
):
    public, private = vapid_settings(settings)
    push_env = {
        "VAPID_PUBLIC_KEY": public,
        "VAPID_PRIVATE_KEY": private,
        "VAPID_SUBJECT": settings.VAPID_SUBJECT,
    }
    devices = [
        push_service.device("maria-phone"),
        push_service.device("maria-laptop"),
        push_service.device("joao"),
    ]
    owners = [user, user, other_user]
    for owner, device in zip(owners, devices, strict=True):
        subscription_save(user=owner, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth_b64)
    log = tmp_path / "worker.log"
    worker = start_worker(settings, celery_web.broker_url, log, smtp_port=smtp_sink.port, extra_env=push_env)
    try:
        for n in range(1, EVENTS + 1):
            with transaction.atomic():  # one cause per transaction, as one request each
                push_queue(
                    users=[user, other_user],
                    event=f"ticket:{n}",
                    url=f"/my-requests/{n}/",
                    title=f"Request {n}",
                )
        expected = EVENTS * len(devices)
        assert PushMessage.objects.count() == expected
        wait_for(lambda: len(push_service.received) >= 6, timeout=30, what="the first pushes")
        # A deploy: the worker is told to stop (warm shutdown: the tasks in hand finish, the messages
        # it had reserved go back to the broker), and a new one starts.
        os.kill(worker.proc.pid, signal.SIGTERM)
        worker.proc.wait(timeout=30)
        before_restart = len(push_service.received)
        assert before_restart < expected, "the worker finished before its restart: nothing was tested"
        settings.OUTBOX_STALE_AFTER_SECONDS = 0
        push_dispatch_pending()  # the beat sweep publishes every PENDING row again (duplicates)
        worker = start_worker(
            settings, celery_web.broker_url, log, smtp_port=smtp_sink.port, extra_env=push_env
        )
        push_dispatch_pending()
        wait_for(
            lambda: not PushMessage.objects.exclude(status=PushMessage.Status.SENT).exists(),
            timeout=90,
            what=lambda: (
                f"every push SENT ({Counter(PushMessage.objects.values_list('status', flat=True))}, "
                f"{len(push_service.received)} received); worker log:\n{worker.log_text()[-3000:]}"
            ),
        )
        time.sleep(2)  # a duplicate would arrive now
    finally:
        worker.stop()
    seen: Counter = Counter()
    for device in devices:
        for got in push_service.for_device(device):
            payload = device.decrypt(got.body)
            n = payload["url"].split("/")[2]
            assert payload["title"] == f"Request {n}"
            seen[(device.endpoint, payload["tag"])] += 1
    assert len(seen) == expected
    assert set(seen.values()) == {1}, [k for k, v in seen.items() if v > 1]
    print(f"{expected} pushes, {before_restart} before the restart, each delivered once")
