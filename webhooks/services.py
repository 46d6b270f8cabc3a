"""Webhooks (docs/architecture.md, "Webhooks"): the outbox's pattern for HTTP deliveries.

1. The service that causes a ticket event calls :func:`webhook_event_queue` inside its transaction
   (through ``tickets/events.py``): one ``Delivery(PENDING)`` per active subscription to that event,
   with the body fixed now, and the send task enqueued on commit (``outbox.services.enqueue_on_commit``,
   the same broker circuit breaker as the e-mails). A rolled-back cause leaves no row. With no
   subscription, nothing is read from the database (the subscriptions are cached under a version).
2. :func:`delivery_send` claims the row (``PENDING`` → ``SENDING``, attempts + 1), checks the target
   again after resolving it (``webhooks/targets.py``), signs the body (``webhooks/signing.py``) and
   POSTs it. A 2xx marks it ``DELIVERED`` and it is never sent again; anything else puts it back to
   ``PENDING`` with the next attempt after an exponential backoff, or ``FAILED`` after
   ``WEBHOOKS_MAX_ATTEMPTS``; the admin's "Resend" starts a failed one over.
3. The beat task (:func:`webhook_dispatch_pending`) enqueues rows whose attempt is overdue (broker
   down at commit, a retry message lost) and returns rows stuck in ``SENDING`` (worker killed) to
   ``PENDING``. A worker killed between the receiver's 2xx and the ``DELIVERED`` commit sends that
   event again: the receiver drops the repeat by its event id.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.versions import cached_under_versions, version_bump
from outbox.services import enqueue_on_commit

from . import signing
from .models import Delivery, Event, Subscription
from .targets import HostUnresolved, TargetRefused, checked_session, target_check

logger = logging.getLogger(__name__)

SUBSCRIPTIONS_VERSION = "v:global:webhooks"
# Event ids are UUIDs derived from the event and its cause: queueing the same cause twice is the
# same event (and, per subscription, the same row).
EVENT_NAMESPACE = uuid.UUID("6f1d1f0e-5a0c-4d55-9b43-3c1b2f0d7a25")


# --- subscriptions ----------------------------------------------------------------------------


def subscriptions_changed() -> None:
    """A subscription was added, changed or deleted (the admin): the cached list is recomputed."""
    version_bump(SUBSCRIPTIONS_VERSION)


def _active_subscriptions() -> list[tuple[int, list[str]]]:
    return [
        (pk, list(events or []))
        for pk, events in Subscription.objects.filter(active=True).values_list("pk", "events")
    ]


def subscriptions_for(event: str) -> list[int]:
    """Ids of the active subscriptions to ``event``; one cache round trip when nothing changed."""
    rows = cached_under_versions("webhooks:active", [SUBSCRIPTIONS_VERSION], _active_subscriptions)
    return [pk for pk, events in rows if event in events]


# --- queueing ---------------------------------------------------------------------------------


def event_id_for(event: str, key: str) -> uuid.UUID:
    return uuid.uuid5(EVENT_NAMESPACE, f"{event}:{key}")


def webhook_event_queue(
    *, event: Event | str, key: str, data: Callable[[], dict], now=None
) -> list[Delivery]:
    """Queue ``event`` for its subscribers in the caller's transaction; the send is enqueued on commit.

    ``key`` names the cause (``"occurrence:42"``): the event id is derived from it, so the same
    cause queued twice is one delivery per subscription. ``data`` is called only when someone
    subscribes, so an event nobody asked for costs no query.
    """
    event = Event(event)
    subscribers = subscriptions_for(event.value)
    if not subscribers:
        return []
    now = now or timezone.now()
    event_id = event_id_for(event.value, key)
    body = json.dumps(
        {"id": str(event_id), "type": event.value, "created_at": now, "data": data()},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    deliveries = []
    for subscription_id in subscribers:
        try:
            # The key is unique: a second queueing fails here; the savepoint keeps the caller's
            # transaction usable (as outbox.services.email_queue).
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    subscription_id=subscription_id,
                    idempotency_key=f"{subscription_id}:{event_id}",
                    event_id=event_id,
                    event_type=event.value,
                    body=body,
                    next_attempt_at=now,
                )
        except IntegrityError:
            continue
        _on_commit_enqueue(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def _on_commit_enqueue(delivery_id: int) -> None:
    from .tasks import webhook_deliver_task  # the tasks call this module: imported here

    enqueue_on_commit(webhook_deliver_task, delivery_id, what=f"webhook delivery {delivery_id}")


# --- sending ----------------------------------------------------------------------------------


def backoff_seconds(attempts: int) -> int:
    """Seconds before attempt ``attempts + 1``: base, 2 base, 4 base … capped."""
    base = settings.WEBHOOKS_RETRY_BACKOFF_BASE
    return int(min(base * 2 ** max(attempts - 1, 0), settings.WEBHOOKS_RETRY_BACKOFF_MAX))


def _read_start(response: requests.Response, limit: int = 300) -> str:
    try:
        return response.raw.read(limit, decode_content=True).decode("utf-8", "replace")
    except Exception:  # the receiver's body is only a hint for the log
        return ""


def delivery_send(*, delivery_id: int, now=None) -> Delivery | None:
    """Make one attempt at ``delivery_id``; None when it is not ``PENDING`` (delivered, in flight,
    failed or gone). Returns the row: ``DELIVERED``, ``PENDING`` with ``next_attempt_at`` (retry)
    or ``FAILED``."""
    Status = Delivery.Status
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Status.SENDING
        delivery.attempts += 1
        delivery.save(update_fields=["status", "attempts", "updated_at"])
    subscription = Subscription.objects.filter(pk=delivery.subscription_id).first()
    code: int | None = None
    try:
        if subscription is None or not subscription.active:
            return _finish(delivery, Status.FAILED, error="The subscription is inactive.")
        target_check(subscription.url, resolve=True)
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "SmartPortal-Webhooks/1",
            signing.SIGNATURE_HEADER: signing.sign(subscription.secret, body),
            signing.EVENT_HEADER: delivery.event_type,
            signing.EVENT_ID_HEADER: str(delivery.event_id),
            signing.DELIVERY_HEADER: str(delivery.pk),
        }
        with (
            checked_session() as session,
            session.post(
                subscription.url,
                data=body,
                headers=headers,
                timeout=(settings.WEBHOOKS_CONNECT_TIMEOUT, settings.WEBHOOKS_READ_TIMEOUT),
                allow_redirects=False,  # a redirect could point anywhere, loopback included
                stream=True,
            ) as response,
        ):
            code = response.status_code
            if 200 <= code < 300:
                return _finish(delivery, Status.DELIVERED, code=code, now=now)
            error = f"HTTP {code}: {_read_start(response)}".strip()
    except HostUnresolved as exc:
        error = str(exc.message)
    except TargetRefused as exc:
        return _finish(delivery, Status.FAILED, error=str(exc.message))
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        # Anything else is not the receiver's doing: the row must not stay SENDING until reclaimed.
        logger.exception("webhook delivery %s: unexpected error", delivery.pk)
        return _finish(delivery, Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        return _finish(delivery, Status.FAILED, code=code, error=error)
    return _finish(delivery, Status.PENDING, code=code, error=error, now=now)


def _finish(
    delivery: Delivery, status: str, *, code: int | None = None, error: str = "", now=None
) -> Delivery:
    now = now or timezone.now()
    delivery.status = status
    delivery.status_code = code
    delivery.last_error = error[:2000]
    fields = ["status", "status_code", "last_error", "updated_at"]
    if status == Delivery.Status.DELIVERED:
        delivery.delivered_at = now
        delivery.last_error = ""
        fields.append("delivered_at")
    elif status == Delivery.Status.PENDING:
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
        fields.append("next_attempt_at")
    delivery.save(update_fields=fields)
    if status != Delivery.Status.DELIVERED:
        logger.warning(
            "webhook delivery %s (%s): attempt %s failed (%s), now %s",
            delivery.pk,
            delivery.event_id,
            delivery.attempts,
            delivery.last_error,
            delivery.status,
        )
    return delivery


def deliveries_resend(deliveries: Iterable[Delivery]) -> list[int]:
    """Admin "Resend": ``FAILED`` rows back to ``PENDING`` (attempts reset), enqueued on commit.
    A delivered row is never sent again."""
    ids = [d.pk for d in deliveries if d.status == Delivery.Status.FAILED]
    now = timezone.now()
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now, updated_at=now
    )
    for pk in ids:
        _on_commit_enqueue(pk)
    return ids


def webhook_dispatch_pending(*, now=None) -> int:
    """Enqueue the deliveries left behind; returns how many were enqueued.

    - ``SENDING`` rows untouched for ``WEBHOOKS_SENDING_STUCK_AFTER_SECONDS`` (far above the task
      time limit: a live attempt is never taken back) return to ``PENDING``.
    - ``PENDING`` rows whose next attempt is ``OUTBOX_STALE_AFTER_SECONDS`` overdue (the broker was
      down at commit, a retry message was lost) are enqueued. A duplicate message is harmless: the
      claim lets one task send.
    """
    from .tasks import webhook_deliver_task

    now = now or timezone.now()
    Status = Delivery.Status
    stuck = timedelta(seconds=settings.WEBHOOKS_SENDING_STUCK_AFTER_SECONDS)
    reclaimed = Delivery.objects.filter(status=Status.SENDING, updated_at__lt=now - stuck).update(
        status=Status.PENDING,
        next_attempt_at=now,
        last_error="Reclaimed: left in SENDING (worker lost?)",
        updated_at=now,
    )
    if reclaimed:
        logger.warning("webhooks: %s deliveries stuck in SENDING returned to PENDING", reclaimed)
    stale = timedelta(seconds=settings.OUTBOX_STALE_AFTER_SECONDS)
    ids = list(
        Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now - stale)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:1000]
    )
    if reclaimed:
        ids += [
            pk
            for pk in Delivery.objects.filter(status=Status.PENDING, updated_at=now).values_list(
                "pk", flat=True
            )
            if pk not in ids
        ]
    sent = 0
    for pk in ids:
        try:
            webhook_deliver_task.delay(pk)
        except Exception:
            logger.exception("webhooks: could not enqueue delivery %s; will try again on the next run", pk)
            break
        sent += 1
    return sent
