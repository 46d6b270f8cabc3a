"""Reads of the Security page: the user's authenticators and active sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class SecurityOverview:
    totp: Authenticator | None
    recovery_codes: Authenticator | None
    unused_recovery_codes: int
    passkeys: list[Authenticator]
    sessions: list[UserSession]


def has_second_factor(user: User) -> bool:
    """An authenticator app or a passkey (recovery codes alone are no second factor)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def security_overview(user: User) -> SecurityOverview:
    authenticators = list(Authenticator.objects.filter(user=user).order_by("created_at"))
    by_type = {a.type: a for a in authenticators}
    codes = by_type.get(Authenticator.Type.RECOVERY_CODES)
    sessions = sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at, reverse=True)
    return SecurityOverview(
        totp=by_type.get(Authenticator.Type.TOTP),
        recovery_codes=codes,
        unused_recovery_codes=len(codes.wrap().get_unused_codes()) if codes is not None else 0,
        passkeys=[a for a in authenticators if a.type == Authenticator.Type.WEBAUTHN],
        sessions=sessions,
    )
