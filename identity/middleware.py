"""Session rules on every request of a logged-in user: the idle timeout (parameter 449), the absolute
lifetime (SESSION_ABSOLUTE_HOURS) and staff's second factor (parameter 2301); and a logout of a
session opened through an identity provider continuing at the provider's end-session endpoint."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from parameters.accessors import param
from parameters.registry import SESSION_IDLE_MINUTES, USE_SSO

from . import selectors, sessionpolicy


class SessionPolicyMiddleware:
    """After authentication and the parameter snapshot. Costs nothing on most requests: the
    parameter is read, and the session written, only when its "last seen" stamp is a minute old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        response = self.get_response(request)
        end_session_url = getattr(request, "identity_end_session_url", None)
        if end_session_url and response.status_code in (301, 302, 303):
            # The logout view's redirect (identity.signals.on_logged_out): to the provider first, which
            # sends the browser back to the login page (post_logout_redirect_uri).
            return redirect(end_session_url)
        self._allow_provider_forms(request, response)
        return response

    @staticmethod
    def _allow_provider_forms(request, response) -> None:
        """The Content-Security-Policy's ``form-action`` (smartportal/settings/base.py) lets a form
        go only to the portal, redirects included: the login page's "Log in with …" forms continue at
        the identity providers, and a provider's user's "Exit" at its end-session endpoint."""
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        origins = []
        if request.path == reverse("login") and param(USE_SSO):
            origins += selectors.provider_origins(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # its session is read already (no Vary added)
            end_session = selectors.end_session_origin(request.session)
            if end_session:
                origins.append(end_session)
        if origins:
            response._csp_update = {"form-action": origins}  # noqa: SLF001  django-csp 4's per-response hook

    def _check(self, request):
        session = request.session
        now = int(time.time())
        login_at = session.get(sessionpolicy.LOGIN_AT)
        seen_at = session.get(sessionpolicy.SEEN_AT)
        if login_at is None or seen_at is None:  # a session older than these rules: starts now
            session[sessionpolicy.LOGIN_AT] = login_at = now
            session[sessionpolicy.SEEN_AT] = seen_at = now
        if now - login_at > settings.SESSION_ABSOLUTE_HOURS * 3600:
            return self._expire(request, _("Your session has ended. Please log in again."))
        if now - seen_at >= sessionpolicy.SEEN_RESOLUTION:
            idle_minutes = param(SESSION_IDLE_MINUTES)
            if idle_minutes and now - seen_at > idle_minutes * 60:
                return self._expire(request, _("You were logged out after a period without activity."))
            session[sessionpolicy.SEEN_AT] = now
        if session.get(sessionpolicy.MFA_SETUP_REQUIRED):
            return self._require_mfa(request)
        return None

    def _expire(self, request, message: str):
        next_path = request.get_full_path() if request.method == "GET" else "/"
        logout(request)
        messages.info(request, message)
        return redirect_to_login(next_path)

    def _require_mfa(self, request):
        """Until staff set up an authenticator app or a passkey, only the account pages (where they
        do it, or log out) and static files answer."""
        path = request.path
        if path.startswith("/accounts/") or path == reverse("portal:set-language"):
            return None
        messages.warning(
            request,
            _(
                "Two-factor authentication is required for staff: set up an authenticator app or a "
                "passkey to continue."
            ),
        )
        return redirect("identity:security")
