"""Writes of personal access tokens: create (the secret returned once, its hash stored) and revoke."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core.tokens import token_hash

from .models import ApiToken

if TYPE_CHECKING:
    from accounts.models import User

#: "sp_" tells a Smart Portal token apart in a secret scanner or a log; the rest is random.
TOKEN_PREFIX = "sp_"  # noqa: S105 (a label, not a secret)
#: How often "last used" is written for one token: a busy script costs one UPDATE a minute, not one a request.
LAST_USED_EVERY = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int, now=None) -> tuple[ApiToken, str]:
    """A new token of ``user`` valid ``days`` days; returns (row, secret). Only the hash is kept."""
    now = now or timezone.now()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 5],
        token_hash=token_hash(raw),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return row, raw


@transaction.atomic
def api_token_revoke(*, user: User, pk: int, now=None) -> ApiToken:
    """Revoke one of ``user``'s tokens (``Http404`` for anyone else's); the next request with it fails."""
    row = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
    if row is None:
        raise Http404
    if row.revoked_at is None:
        row.revoked_at = now or timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def api_token_touch(token: ApiToken, *, now=None) -> None:
    """Record the token's use, at most once per :data:`LAST_USED_EVERY` (one statement)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
