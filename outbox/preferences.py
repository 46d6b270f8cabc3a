"""Notification preferences (README, "Receiving e-mail" → preferences) and the RFC 8058 one-click
unsubscribe link of every optional e-mail.

An outbox row's kind is read from its idempotency key, whose prefix each cause's app chooses
(``occurrence:``, ``message:``, ``approval:…:decision``, ``notification:``, ``notification:…:campaign``
for a campaign's announcement, ``chat-away:``): the
outbox still knows no feature's models, only this table of prefixes. A key not in it is mandatory
(approval requests to approvers, survey invitations): always sent, no unsubscribe link.

The link is signed (``django.core.signing``, salted) for the recipient's address and the kind; it
never expires and is not single-use, because turning a kind off twice is harmless, and a GET of it
only shows a confirmation (mail scanners open links).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models.functions import Lower
from django.urls import reverse

from core.urls import absolute_url

from .models import EmailKind, EmailPreference

_SALT = "outbox.preferences.unsubscribe"


def kind_of_key(idempotency_key: str) -> EmailKind | None:
    """The optional kind of an e-mail, or None when it is mandatory."""
    key = idempotency_key or ""
    if key.startswith("occurrence:"):
        return EmailKind.OCCURRENCES
    if key.startswith("message:"):
        return EmailKind.MESSAGES
    if key.startswith("approval:") and key.endswith(":decision"):
        return EmailKind.APPROVALS
    if key.startswith("notification:"):
        # notifications/services.py: a campaign's announcement ends its key with ":campaign".
        return EmailKind.CAMPAIGNS if key.endswith(":campaign") else EmailKind.NOTIFICATIONS
    if key.startswith("chat-away:"):
        return EmailKind.CHAT
    return None


def opted_out_addresses(kind: EmailKind, addresses: Iterable[str]) -> set[str]:
    """Which of ``addresses`` (lower case) belong to a user who turned ``kind`` off (one query)."""
    wanted = {a.strip().lower() for a in addresses if a}
    if not wanted:
        return set()
    rows = (
        EmailPreference.objects.filter(kind=kind, enabled=False)
        .annotate(address=Lower("user__email"))
        .filter(address__in=wanted)
    )
    return set(rows.values_list("address", flat=True))


def preferences_of(user) -> dict[str, bool]:
    """Every kind with whether ``user`` receives it."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind.value: chosen.get(kind.value, True) for kind in EmailKind}


def preferences_save(*, user, enabled: dict[str, bool]) -> None:
    for kind in EmailKind:
        EmailPreference.objects.update_or_create(
            user=user, kind=kind.value, defaults={"enabled": bool(enabled.get(kind.value, True))}
        )


def unsubscribe_token(address: str, kind: EmailKind | str) -> str:
    # A Signer (no timestamp): the same e-mail rendered twice carries the same link.
    return signing.Signer(salt=_SALT).sign_object(
        {"a": address.strip().lower(), "k": str(kind)}, compress=True
    )


def unsubscribe_token_read(token: str) -> tuple[str, EmailKind] | None:
    """(address, kind) of a token of ours, or None."""
    if not token or len(token) > 500:
        return None
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in EmailKind.values or not data.get("a"):
        return None
    return str(data["a"]), EmailKind(data["k"])


def unsubscribe_url(address: str, kind: EmailKind | str) -> str:
    return absolute_url(reverse("outbox:unsubscribe", args=[unsubscribe_token(address, kind)]))


def unsubscribe(*, address: str, kind: EmailKind) -> int:
    """Turn ``kind`` off for the active users with ``address``; how many."""
    users = list(get_user_model().objects.filter(email__iexact=address, is_active=True))
    for user in users:
        EmailPreference.objects.update_or_create(user=user, kind=kind.value, defaults={"enabled": False})
    return len(users)
