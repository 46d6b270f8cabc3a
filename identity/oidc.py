"""What allauth 65's OpenID Connect provider leaves out, added around it: a ``nonce`` sent with every
authorization request and checked against the ID token, and the provider's end-session endpoint kept
for logout (OpenID Connect Core 1.0 §3.1.2.1 and §3.1.3.7; RP-Initiated Logout 1.0).

The provider class is chosen by ``identity.adapter.SocialAccountAdapter.get_provider``; the callback
URL ``openid_connect_callback`` is routed to :func:`callback` by ``identity/allauth_urls.py``. Every
other step (state, PKCE, the token exchange, the ID token's signature, issuer and audience) stays
allauth's."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest

#: The state key (allauth's stashed redirect state, in the session) holding the nonce sent.
NONCE_STATE_KEY = "identity_nonce"
#: The session key of what logging out needs to end the provider's session too.
LOGOUT_SESSION_KEY = "identity_provider_logout"


class NonceOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's provider, sending a fresh nonce with the authorization request. The nonce is kept
    in the request's state (stashed in the session under the ``state`` id, used once)."""

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        kwargs[NONCE_STATE_KEY] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, **kwargs)


def nonce_matches(state: dict[str, Any] | None, id_token: dict[str, Any] | None) -> bool:
    """The ID token carries the nonce this browser's authorization request sent."""
    sent = (state or {}).get(NONCE_STATE_KEY)
    received = (id_token or {}).get("nonce")
    return bool(sent) and isinstance(received, str) and hmac.compare_digest(str(sent), received)


class OIDCAdapter(OpenIDConnectOAuth2Adapter):
    """Keeps, on the login, the raw ID token and the provider's end-session endpoint (discovery's
    ``end_session_endpoint``): logging out sends the browser there (``id_token_hint``)."""

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        end_session = self.openid_config.get("end_session_endpoint")
        id_token = kwargs["response"].get("id_token")
        login.identity_logout = (
            {"endpoint": end_session, "id_token_hint": id_token, "client_id": app.client_id}
            if end_session and id_token
            else None
        )
        return login


def end_session_url(logout: dict[str, str] | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL for a session stashed at login (None: nothing to end)."""
    if not logout or not logout.get("endpoint"):
        return None
    query = urlencode(
        {
            "id_token_hint": logout["id_token_hint"],
            "client_id": logout["client_id"],
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    separator = "&" if "?" in logout["endpoint"] else "?"
    return f"{logout['endpoint']}{separator}{query}"


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    """allauth's ``openid_connect`` callback view, with :class:`OIDCAdapter`."""
    try:
        view = OAuth2CallbackView.adapter_view(OIDCAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
