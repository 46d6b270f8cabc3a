"""OAuth2 access tokens for reading the mailbox with XOAUTH2 or OAUTHBEARER (Microsoft 365, Google;
README, "Receiving e-mail").

Where the token comes from, first match wins:

1. ``INBOUND_OAUTH2_TOKEN_URL`` set: the portal asks that token endpoint itself (RFC 6749), with
   ``INBOUND_OAUTH2_CLIENT_ID`` / ``INBOUND_OAUTH2_CLIENT_SECRET`` in the form (``client_secret_post``)
   and ``INBOUND_OAUTH2_SCOPE``; with ``INBOUND_OAUTH2_REFRESH_TOKEN`` the ``refresh_token`` grant (a
   delegated mailbox, Google), else ``client_credentials`` (a Microsoft 365 application). The token is
   kept in the process until a minute before ``expires_in``, and asked again at once when the server
   refuses it; a refresh token the endpoint rotates is kept in the process too.
2. ``INBOUND_OAUTH2_ACCESS_TOKEN``: a token set by other tooling (the portal does not renew it).
3. The password part of ``INBOUND_IMAP_URL`` (the same, in the URL).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlparse

from django.conf import settings


def is_loopback(host: str) -> bool:
    """Plain http:// and imap:// are accepted only towards this machine (the tests' servers)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OAuth2Error(Exception):
    """The token endpoint refused us or answered something that is not a token: the pass fails and
    the next one asks again (nothing is lost: the messages stay in the mailbox)."""


@dataclass
class _Cached:
    token: str
    expires_at: float


_lock = threading.Lock()
_cached: _Cached | None = None
_rotated_refresh_token: str = ""

#: Seconds before ``expires_in`` a kept token is no longer used.
EXPIRY_MARGIN = 60


def token_endpoint_configured() -> bool:
    return bool(settings.INBOUND_OAUTH2_TOKEN_URL)


def forget_token() -> None:
    """Drop the kept token (the server refused it: revoked, or the clock was wrong)."""
    global _cached
    with _lock:
        _cached = None


def access_token(url_secret: str = "") -> str:
    """The access token to present, from the first source configured (module docstring)."""
    if token_endpoint_configured():
        return _from_endpoint()
    token = settings.INBOUND_OAUTH2_ACCESS_TOKEN or url_secret
    if not token:
        raise OAuth2Error(
            "OAuth2 reading needs INBOUND_OAUTH2_TOKEN_URL, INBOUND_OAUTH2_ACCESS_TOKEN "
            "or a token in INBOUND_IMAP_URL's password part"
        )
    return token


def _from_endpoint() -> str:
    global _cached, _rotated_refresh_token
    with _lock:
        now = time.monotonic()
        if _cached is not None and _cached.expires_at > now:
            return _cached.token
        url = settings.INBOUND_OAUTH2_TOKEN_URL
        u = urlparse(url)
        if u.scheme != "https" and not (u.scheme == "http" and is_loopback(u.hostname or "")):
            raise OAuth2Error("INBOUND_OAUTH2_TOKEN_URL must be https:// (http:// only on loopback)")
        refresh = _rotated_refresh_token or settings.INBOUND_OAUTH2_REFRESH_TOKEN
        form = {
            "client_id": settings.INBOUND_OAUTH2_CLIENT_ID,
            "client_secret": settings.INBOUND_OAUTH2_CLIENT_SECRET,
        }
        if settings.INBOUND_OAUTH2_SCOPE:
            form["scope"] = settings.INBOUND_OAUTH2_SCOPE
        if refresh:
            form.update(grant_type="refresh_token", refresh_token=refresh)
        else:
            form["grant_type"] = "client_credentials"
        request = urllib.request.Request(  # noqa: S310  the scheme is checked above
            url,
            data=urlencode({k: v for k, v in form.items() if v}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.INBOUND_TIMEOUT) as response:  # noqa: S310
                body = response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace")
            raise OAuth2Error(f"the token endpoint answered {exc.code}: {_error_of(detail)}") from exc
        try:
            data = json.loads(body)
            token = str(data["access_token"])
            lifetime = int(data.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError) as exc:
            raise OAuth2Error("the token endpoint's answer has no access_token") from exc
        if data.get("refresh_token") and refresh:
            _rotated_refresh_token = str(data["refresh_token"])
        _cached = _Cached(token=token, expires_at=now + max(0, lifetime - EXPIRY_MARGIN))
        return token


def _error_of(body: str) -> str:
    """The OAuth2 ``error`` (and description) of an error answer, never the request's secrets."""
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200]
    if not isinstance(data, dict):
        return body[:200]
    return " ".join(str(data.get(k, "")) for k in ("error", "error_description")).strip()[:300]


def sasl_initial_response(mechanism: str, *, user: str, token: str, host: str, port: int) -> bytes:
    """The client's first message of XOAUTH2 (Google's and Microsoft's format) or OAUTHBEARER
    (RFC 7628)."""
    if mechanism == "oauthbearer":
        return f"n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01".encode()
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
