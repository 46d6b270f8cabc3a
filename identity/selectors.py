"""Reads of the Security page: the user's authenticators and active sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.http import HttpRequest

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


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def provider_origins(request: HttpRequest) -> list[str]:
    """Where the login page's "Log in with …" forms end up (their POST is answered with a redirect to
    the provider, which the Content-Security-Policy's ``form-action`` must allow): the origin of each
    OpenID Connect issuer (its authorization endpoint is on the issuer's host at Keycloak, Entra ID,
    Okta and Google) and of each SAML IdP's single sign-on URL (or, from a metadata URL, its host)."""
    from allauth.socialaccount.adapter import get_adapter

    origins = []
    for app in get_adapter(request).list_apps(request):
        app_settings = app.settings or {}
        idp = app_settings.get("idp") or {}
        url = app_settings.get("server_url") or idp.get("sso_url") or idp.get("metadata_url") or ""
        origin = _origin(url)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def end_session_origin(session) -> str | None:
    """The origin of the end-session endpoint the logout form continues to (identity/oidc.py)."""
    from .oidc import LOGOUT_SESSION_KEY

    return _origin((session.get(LOGOUT_SESSION_KEY) or {}).get("endpoint", ""))
