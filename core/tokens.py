"""Single-use e-mailed link tokens (:class:`core.models.SingleUseToken`): one way to make, find and
spend them. The raw token travels only in the link; the row keeps its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from .models import SingleUseToken

T = TypeVar("T", bound=SingleUseToken)

#: Longer input is not a token of ours (``token_urlsafe(32)`` is 43 characters): no query is made.
MAX_RAW_LENGTH = 100


def token_hash(raw: str) -> str:
    """The stored form of a raw token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    model: type[T], *, lifetime: timedelta, now: datetime | None = None, **fields: Any
) -> tuple[T, str]:
    """A new token row of ``model`` (with ``fields``, e.g. what the link is for) valid for
    ``lifetime`` from ``now``; returns (row, raw token). Only the hash is stored."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    row = model._default_manager.create(
        token_hash=token_hash(raw), created_at=now, expires_at=now + lifetime, **fields
    )
    return row, raw


def token_find(queryset: QuerySet[T], raw: str) -> T | None:
    """The row of ``queryset`` for ``raw``, used or expired included (a page that says which), or
    None when ``raw`` is no token of ours."""
    if not raw or len(raw) > MAX_RAW_LENGTH:
        return None
    return queryset.filter(token_hash=token_hash(raw)).first()


def token_lookup(queryset: QuerySet[T], raw: str, *, now: datetime | None = None) -> T | None:
    """The unused, unexpired row of ``queryset`` for ``raw``, or None (unknown, used or expired: one
    answer)."""
    row = token_find(queryset, raw)
    return row if row is not None and row.is_usable(now) else None


def token_consume(token: SingleUseToken, *, now: datetime | None = None) -> bool:
    """Mark ``token`` used at ``now``, once: False when it was already used (by a concurrent request
    too: the update is conditional)."""
    now = now or timezone.now()
    spent = type(token)._default_manager.filter(pk=token.pk, used_at__isnull=True).update(used_at=now)
    if spent:
        token.used_at = now
    return bool(spent)
