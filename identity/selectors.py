"""Reads of identity: the Security page's authenticators and sessions, the providers' endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.cache import cache
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


#: How long the login page trusts a provider's published endpoints (discovery, SAML metadata).
DISCOVERY_CACHE_SECONDS = 3600
UNREACHABLE_CACHE_SECONDS = 60


def _oidc_authorization_url(server_url: str) -> str:
    """The provider's authorization endpoint (discovery, cached); the issuer itself if unreachable."""
    from allauth.socialaccount.adapter import get_adapter

    key = f"identity.oidc.authorize.{server_url}"
    url = cache.get(key)
    if url is None:
        discovery = server_url
        if "/.well-known/" not in server_url:
            discovery = f"{server_url}/.well-known/openid-configuration"
        try:
            with get_adapter().get_requests_session() as session:
                response = session.get(discovery, timeout=3)
                response.raise_for_status()
                url = str(response.json().get("authorization_endpoint") or server_url)
        except (requests.RequestException, ValueError):
            # Down or unreadable: its own host for a minute, so the login page (which local accounts,
            # the admin among them, still use) does not wait for it at every visit.
            cache.set(key, server_url, UNREACHABLE_CACHE_SECONDS)
            return server_url
        cache.set(key, url, DISCOVERY_CACHE_SECONDS)
    return url


def _saml_sso_url(idp: dict) -> str:
    """The IdP's single sign-on URL: configured, or from its metadata (allauth's cached fetch)."""
    if idp.get("sso_url") or not idp.get("metadata_url"):
        return idp.get("sso_url") or ""
    from allauth.socialaccount.providers.saml.utils import fetch_metadata_url_config

    key = f"identity.saml.unreachable.{idp['metadata_url']}"
    if cache.get(key):
        return str(idp["metadata_url"])
    try:
        return str(fetch_metadata_url_config(idp)["idp"]["singleSignOnService"]["url"])
    except Exception:  # an unreachable or unreadable IdP: its own host, as a guess, for a minute
        cache.set(key, True, UNREACHABLE_CACHE_SECONDS)
        return str(idp["metadata_url"])


def provider_origins(request: HttpRequest) -> list[str]:
    """Where the login page's "Log in with …" forms end up (their POST is answered with a redirect to
    the provider, which the Content-Security-Policy's ``form-action`` must allow): the origin of each
    OpenID Connect provider's authorization endpoint and of each SAML IdP's single sign-on URL. The
    browser may reach a provider at another address than the portal's server does (docker-compose.yml,
    profile sso), so the endpoints are read from what the provider publishes."""
    from allauth.socialaccount.adapter import get_adapter

    origins = []
    for app in get_adapter(request).list_apps(request):
        app_settings = app.settings or {}
        if app.provider == "saml":
            url = _saml_sso_url(app_settings.get("idp") or {})
        elif app_settings.get("server_url"):
            url = _oidc_authorization_url(str(app_settings["server_url"]).rstrip("/"))
        else:
            continue
        origin = _origin(url)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def end_session_origin(session) -> str | None:
    """The origin of the address the logout form continues to: an OpenID Connect provider's
    end-session endpoint (identity/oidc.py), a SAML IdP's single logout service (identity/samlslo.py)."""
    from .oidc import LOGOUT_SESSION_KEY

    return _origin((session.get(LOGOUT_SESSION_KEY) or {}).get("endpoint", ""))
