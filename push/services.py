"""Web Push (issue 26; README, "Push notifications"): a user's devices and the push outbox.

The delivery follows the e-mail outbox's rules (outbox/services.py; docs/architecture.md, "The
outbox and the tasks"), with a queue of its own:

1. The service that causes an event (an approval to decide, an attendant's answer, a notification to
   confirm) calls :func:`push_queue` inside its transaction: one ``PushMessage(PENDING)`` per device
   of each recipient, keyed ``<event>:<device id>`` (unique), so the same event is queued once per
   device; a rolled-back cause leaves no row.
2. Each row is published after the commit (:func:`outbox.services.enqueue_on_commit`: a dead broker
   is only logged, the row stays ``PENDING``).
3. :func:`push_send` claims the row (``PENDING`` → ``SENDING`` under ``select_for_update(skip_locked)``),
   encrypts and posts it to the device's push service (pywebpush, VAPID) and marks it ``SENT``. A
   network error, 429 or 5xx puts it back to ``PENDING`` for a retry with backoff; 404/410 (the
   subscription is gone) removes the device. The beat sweep :func:`push_dispatch_pending` publishes
   rows left ``PENDING`` and reclaims rows stuck in ``SENDING``.

The text of a push is the ticket number and a title, in the recipient's language, never the ticket's
content: a lock screen shows it to whoever holds the phone. The ``Topic`` header (RFC 8030 §5.4) and
the notification's ``tag`` are derived from the event, so the rare second delivery of a row (a
worker killed between the push service's answer and the ``SENT`` commit) replaces the first instead
of showing twice.

Push is off while ``VAPID_PUBLIC_KEY``, ``VAPID_PRIVATE_KEY`` and ``VAPID_SUBJECT`` are not all set
(:func:`push_enabled`): nothing is queued and the user menu has no entry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from outbox.services import enqueue_on_commit, queue_sweep, user_language

from .models import PushMessage, PushSubscription

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

logger = logging.getLogger(__name__)


class PushRefused(ApplicationError):
    pass


class PushTransientError(Exception):
    """The push service could not take the message now (429, 5xx): retried with backoff."""


# Errors after which a row goes back to PENDING and the task retries with backoff.
TRANSIENT_SEND_ERRORS: tuple[type[BaseException], ...] = (
    PushTransientError,
    requests.RequestException,
    OSError,
)
# A push service answering these for a subscription says it is gone for good (RFC 8030 §7.3).
GONE_STATUSES = (404, 410)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def push_enabled() -> bool:
    """Push is on when the three VAPID settings are set (README, "Push notifications")."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY and settings.VAPID_SUBJECT)


# --- devices ---------------------------------------------------------------------------------------


def _b64url_decode(value: str) -> bytes:
    value = value.strip()
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _valid_key(value: Any, *, size: int, first: int | None = None) -> str:
    """A base64url key of ``size`` bytes (RFC 8291: p256dh is an uncompressed P-256 point, 65 bytes
    starting with 0x04; auth is 16 bytes), returned without padding."""
    if not isinstance(value, str) or not value or len(value) > 200:
        raise PushRefused(_("The browser sent an incomplete subscription."))
    try:
        raw = _b64url_decode(value)
    except (binascii.Error, ValueError) as exc:
        raise PushRefused(_("The browser sent an incomplete subscription.")) from exc
    if len(raw) != size or (first is not None and raw[0] != first):
        raise PushRefused(_("The browser sent an incomplete subscription."))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _valid_endpoint(endpoint: Any) -> str:
    """A push service's address: https on a host of ``PUSH_ENDPOINT_HOSTS`` (the browsers' push
    services, or a subdomain of one), so the worker never posts to a host a user chose (an internal
    server); plain http only to a loopback host listed there (the tests' stand-in)."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > 1000:
        raise PushRefused(_("The browser sent an incomplete subscription."))
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    listed = any(host == h or host.endswith("." + h) for h in settings.PUSH_ENDPOINT_HOSTS)
    if listed and (parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)):
        return endpoint
    raise PushRefused(_("This browser's push service is not allowed by the portal."))


@transaction.atomic
def subscription_save(
    *, user: User, endpoint: Any, p256dh: Any, auth: Any, user_agent: str = ""
) -> PushSubscription:
    """Turn push on for a device (the subscription its browser created with the portal's public key).

    The endpoint identifies the device: saving it again refreshes its keys, and a device now used by
    another person becomes theirs (only the last user of a browser is told). A user keeps at most
    ``PUSH_MAX_DEVICES`` devices; the oldest goes when one more is added."""
    if not push_enabled():
        raise PushRefused(_("Push notifications are not configured on this portal."))
    endpoint = _valid_endpoint(endpoint)
    p256dh = _valid_key(p256dh, size=65, first=4)
    auth = _valid_key(auth, size=16)
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": (user_agent or "")[:300]},
    )
    keep = list(
        PushSubscription.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[: settings.PUSH_MAX_DEVICES]
    )
    PushSubscription.objects.filter(user=user).exclude(pk__in=keep).delete()
    return subscription


def subscription_delete(*, user: User, pk: int | None = None, endpoint: str | None = None) -> int:
    """Turn push off for one of the user's devices (by id from the list, or by the endpoint the
    browser reports); another user's device is never touched. Returns how many were removed."""
    qs = PushSubscription.objects.filter(user=user)
    if pk is not None:
        qs = qs.filter(pk=pk)
    elif endpoint:
        qs = qs.filter(endpoint=endpoint)
    else:
        return 0
    return qs.delete()[1].get(PushSubscription._meta.label, 0)


# --- queueing --------------------------------------------------------------------------------------


def push_queue(
    *,
    users: Iterable[User | None],
    event: str,
    url: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    params: dict[str, Any] | None = None,
    exclude: Iterable[int | None] = (),
) -> list[PushMessage]:
    """Queue ``event`` for every device of ``users`` (active ones, ``exclude`` ids left out), in the
    caller's transaction, each row published once it commits.

    ``title`` and ``body`` are translatable texts (``gettext_lazy``) formatted with ``params`` (when
    given) in each recipient's language; ``url`` is the portal path a click opens. Idempotent: an
    (event, device) already queued is not queued again. Returns the new rows."""
    if not push_enabled():
        return []
    excluded = {pk for pk in exclude if pk is not None}
    recipients = {u.pk: u for u in users if u is not None and u.is_active and u.pk not in excluded}
    if not recipients:
        return []
    devices = list(PushSubscription.objects.filter(user_id__in=recipients).order_by("pk"))
    if not devices:
        return []
    keys = {f"{event}:{d.pk}": d for d in devices}
    done = set(PushMessage.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
    texts: dict[int, tuple[str, str]] = {}
    rows = []
    for key, device in keys.items():
        if key in done:
            continue
        if device.user_id not in texts:
            with translation.override(user_language(recipients[device.user_id])):
                texts[device.user_id] = (_format(title, params)[:200], _format(body, params)[:300])
        t, b = texts[device.user_id]
        rows.append(
            PushMessage(idempotency_key=key, event=event, subscription=device, title=t, body=b, url=url)
        )
    if not rows:
        return []
    try:
        with transaction.atomic():  # a savepoint: a concurrent queueing of a key keeps the caller usable
            created = PushMessage.objects.bulk_create(rows)
    except IntegrityError:
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(row)
    for row in created:
        _on_commit_enqueue(row.pk)
    return created


def _format(text: StrOrPromise, params: dict[str, Any] | None) -> str:
    """``text`` in the active language, its ``%(name)s`` fields filled when ``params`` are given (a
    text typed by an administrator, such as a notification's title, is taken as it is)."""
    return str(text) % params if params is not None else str(text)


def _on_commit_enqueue(message_id: int) -> None:
    from .tasks import push_send_task  # the tasks call this module: imported here, not at the top

    enqueue_on_commit(push_send_task, message_id, what=f"push {message_id}")


# --- sending ---------------------------------------------------------------------------------------


def payload_of(message: PushMessage) -> dict[str, str]:
    """What the service worker shows (templates/portal/sw.js): title, text, the page a click opens and
    the tag that makes a repeated delivery replace the notification."""
    return {"title": message.title, "body": message.body, "url": message.url, "tag": message.event}


def topic_of(event: str) -> str:
    """RFC 8030 ``Topic``: at most 32 characters of the URL-safe alphabet, the same for an event."""
    return base64.urlsafe_b64encode(hashlib.sha256(event.encode()).digest()[:24]).decode()


def _vapid():
    from py_vapid import Vapid

    return Vapid.from_string(private_key=settings.VAPID_PRIVATE_KEY)


def push_send(*, message_id: int) -> PushMessage | None:
    """Send one queued push, at most once per claim.

    Returns None when the row is not ``PENDING`` (sent, in flight, failed or gone). A transient error
    puts it back to ``PENDING`` (``FAILED`` after ``OUTBOX_MAX_ATTEMPTS``) and propagates, so the task
    retries with backoff. 404/410 removes the device and fails the row; any other refusal fails it."""
    from pywebpush import WebPushException, webpush

    Status = PushMessage.Status
    with transaction.atomic():
        message = (
            PushMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=Status.PENDING)
            .first()
        )
        if message is None:
            return None
        message.status = Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    device = (
        PushSubscription.objects.filter(pk=message.subscription_id).first()
        if message.subscription_id
        else None
    )
    if device is None or not push_enabled():
        reason = "the device was removed" if device is None else "push is not configured"
        _finish(message, Status.FAILED, reason)
        return message
    try:
        webpush(
            subscription_info=device.info(),
            data=json.dumps(payload_of(message), ensure_ascii=False),
            vapid_private_key=_vapid(),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            timeout=settings.PUSH_TIMEOUT,
            ttl=settings.PUSH_TTL,
            headers={"Topic": topic_of(message.event), "Urgency": "normal"},
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE_STATUSES:
            PushSubscription.objects.filter(pk=device.pk).delete()
            _finish(
                message,
                Status.FAILED,
                f"{status}: the push service says the subscription is gone; device removed",
            )
            logger.info("push %s: device %s is gone (%s), removed", message.pk, device.pk, status)
            return message
        if status is None or status == 429 or status >= 500:
            _retry_or_fail(message, f"WebPushException: {exc}")
            raise PushTransientError(str(exc)) from exc
        _finish(message, Status.FAILED, f"WebPushException: {exc}")
        logger.warning("push %s: refused by the push service (%s)", message.pk, status)
        return message
    except TRANSIENT_SEND_ERRORS as exc:
        _retry_or_fail(message, f"{type(exc).__name__}: {exc}")
        raise
    except Exception as exc:  # a bad key, a bug: never retried
        _finish(message, Status.FAILED, f"{type(exc).__name__}: {exc}")
        logger.exception("push %s: failed", message.pk)
        return message
    now = timezone.now()
    message.status = Status.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    PushSubscription.objects.filter(pk=device.pk).update(last_success_at=now)
    return message


def _finish(message: PushMessage, status: str, error: str) -> None:
    message.status = status
    message.last_error = error[:2000]
    message.save(update_fields=["status", "last_error", "updated_at"])


def _retry_or_fail(message: PushMessage, error: str) -> None:
    Status = PushMessage.Status
    status = Status.PENDING if message.attempts < settings.OUTBOX_MAX_ATTEMPTS else Status.FAILED
    _finish(message, status, error)
    logger.warning("push %s: attempt %s failed (%s), now %s", message.pk, message.attempts, error, status)


def push_mark_failed(*, message_id: int, error: str) -> None:
    """Final failure (retries exhausted): a row still ``PENDING``/``SENDING`` becomes ``FAILED``."""
    PushMessage.objects.filter(
        pk=message_id, status__in=[PushMessage.Status.PENDING, PushMessage.Status.SENDING]
    ).update(status=PushMessage.Status.FAILED, last_error=error[:2000], updated_at=timezone.now())


def push_dispatch_pending(*, now=None) -> int:
    """Beat: the push messages left behind (``outbox.services.queue_sweep``: stuck in ``SENDING``, or
    ``PENDING`` too long) published again; the claim lets one task send. Returns how many."""
    from .tasks import push_send_task  # the tasks call this module: imported here, not at the top

    return queue_sweep(
        PushMessage,
        push_send_task,
        what="push",
        now=now,
        stuck_after=settings.OUTBOX_SENDING_STUCK_AFTER_SECONDS,
    )
