"""SAML single logout, started by the portal (SAML 2.0 Profiles §4.4, HTTP-Redirect), around allauth's
saml provider: a SAML login keeps the assertion's NameID and SessionIndex when the IdP's metadata has
a SingleLogoutService, and "Exit" then continues at the IdP with a LogoutRequest (python3-saml's
``OneLogin_Saml2_Auth.logout``). The IdP's LogoutResponse comes back to allauth's SLS view
(``saml_sls``, which checks it and lands on the login page).

The view finishing a login, ``saml_finish_acs``, and the single logout service, ``saml_sls``, are
routed to :data:`finish_acs` and :data:`sls` by ``identity/allauth_urls.py``; identity.signals keeps
and reads what is stashed here, in the same session key and by the same rule as the OpenID Connect
end-session redirect (identity/oidc.py)."""

from __future__ import annotations

import logging
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from allauth.socialaccount.providers.saml.utils import build_auth
from allauth.socialaccount.providers.saml.views import FinishACSView, SLSView
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.views.decorators.csrf import csrf_exempt
from onelogin.saml2.errors import OneLogin_Saml2_Error

logger = logging.getLogger(__name__)

#: The ``protocol`` of a SAML session's stash (an OpenID Connect stash has none).
PROTOCOL = "saml"
#: Set on a request to the single logout service: a logout there is the IdP's, already ended there.
ENDED_BY_IDP = "identity_logout_ended_by_idp"


class SLOSAMLProvider(SAMLProvider):
    """allauth's provider, keeping on the login what a LogoutRequest names (the NameID, its format
    and qualifiers, the SessionIndex) when the IdP has a single logout service."""

    def sociallogin_from_response(self, request: HttpRequest, response):
        login = super().sociallogin_from_response(request, response)
        slo_url = response.get_slo_url()
        login.identity_logout = (
            {
                "protocol": PROTOCOL,
                "endpoint": slo_url,
                "client_id": self.app.client_id,
                "name_id": response.get_nameid(),
                "name_id_format": response.get_nameid_format(),
                "nq": response.get_nameid_nq(),
                "spnq": response.get_nameid_spnq(),
                "session_index": response.get_session_index(),
            }
            if slo_url
            else None
        )
        return login


class SLOFinishACSView(FinishACSView):
    def get_provider(self, organization_slug):
        return SLOSAMLProvider(self.request, app=self.get_app(organization_slug))


finish_acs = SLOFinishACSView.as_view()


_allauth_sls = SLSView.as_view()


@csrf_exempt
@login_not_required
def sls(request: HttpRequest, organization_slug: str):
    """allauth's single logout service. A LogoutRequest the IdP starts ends the portal's session
    here, and the answer is allauth's LogoutResponse to the IdP, not a LogoutRequest of the portal's
    own (identity.signals.on_logged_out reads :data:`ENDED_BY_IDP`)."""
    setattr(request, ENDED_BY_IDP, True)
    return _allauth_sls(request, organization_slug=organization_slug)


def is_saml(logout: dict[str, Any] | None) -> bool:
    """The stash is a SAML session's (identity.signals.on_logged_out picks the rule by it)."""
    return isinstance(logout, dict) and logout.get("protocol") == PROTOCOL


def logout_request_url(request: HttpRequest, logout: dict[str, Any], return_to: str) -> str | None:
    """The IdP's single logout URL carrying a LogoutRequest for the session stashed at login (None:
    the IdP is gone from the settings or no longer offers single logout; the portal's session ends
    anyway)."""
    try:
        app = get_adapter(request).get_app(request, provider=PROTOCOL, client_id=logout["client_id"])
        auth = build_auth(request, app.get_provider(request))
        return auth.logout(
            return_to=return_to,
            name_id=logout["name_id"],
            session_index=logout["session_index"],
            nq=logout["nq"],
            name_id_format=logout["name_id_format"],
            spnq=logout["spnq"],
        )
    except (SocialApp.DoesNotExist, OneLogin_Saml2_Error, OSError, ValueError) as exc:
        logger.warning("SAML single logout skipped: %s", exc)
        return None
