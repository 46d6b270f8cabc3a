"""The signature of a webhook delivery (README, "API"; docs/architecture.md, "Webhooks").

Header ``X-SmartPortal-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256, keyed with the subscription's secret, of ``"<t>.<body>"`` (the raw body bytes). The
timestamp is signed with the body, so a receiver that refuses old timestamps refuses replays.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-SmartPortal-Signature"
EVENT_HEADER = "X-SmartPortal-Event"
EVENT_ID_HEADER = "X-SmartPortal-Event-Id"
DELIVERY_HEADER = "X-SmartPortal-Delivery"

# How old a signature :func:`verify` accepts by default (seconds).
TOLERANCE = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The value of :data:`SIGNATURE_HEADER` for ``body`` now (or at ``timestamp``)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={_digest(secret, t, body)}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE, now: float | None = None
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and its timestamp is within ``tolerance``
    seconds of ``now``. What a receiver does; the portal uses it only in its tests."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    return hmac.compare_digest(_digest(secret, t, body), given)
