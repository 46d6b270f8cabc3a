"""allauth's pages (``allauth.urls``), with those a visitor reaches before logging in opened to
anonymous visitors (``LoginRequiredMiddleware`` guards every other page; allauth's own views check
what they need), and their ids in the project's converter."""

from allauth.urls import urlpatterns as allauth_urlpatterns
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RoutePattern

from accounts.views import PasswordSetView

from . import oidc, samlslo

PUBLIC = {
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
    "mfa_login_webauthn",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
}


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        route = pattern.pattern
        if isinstance(route, RoutePattern) and "<int:" in str(route):
            # The project's ids are <id:…> (core/converters.py): bounded, like every other URL's.
            pattern.pattern = RoutePattern(
                str(route).replace("<int:", "<id:"),
                name=route.name,
                is_endpoint=isinstance(pattern, URLPattern),
            )
        if isinstance(pattern, URLResolver):
            _open(pattern.url_patterns)
        elif pattern.name == "account_set_password":
            # Only accounts without a portal password reach it: never set one (accounts/views.py).
            pattern.callback = PasswordSetView.as_view()
        elif pattern.name == "openid_connect_callback":
            # allauth's callback, also keeping what logout needs (identity/oidc.py).
            pattern.callback = oidc.callback
        elif pattern.name == "saml_finish_acs":
            # allauth's view finishing a SAML login, also keeping what single logout needs
            # (identity/samlslo.py).
            pattern.callback = samlslo.finish_acs
        elif pattern.name == "saml_sls":
            # allauth's single logout service, without a LogoutRequest back when the IdP starts it.
            pattern.callback = samlslo.sls
        elif pattern.name in PUBLIC:
            login_not_required(pattern.callback)
    return patterns


# allauth's deprecated "social/…" redirects to its "3rdparty/…" pages are left out (never linked).
urlpatterns = _open([p for p in allauth_urlpatterns if not str(p.pattern).startswith("social/")])
