"""The Security page of the user menu: second factors, passkeys, recovery codes, active sessions."""

from __future__ import annotations

from django.shortcuts import render

from accounts.http import AuthenticatedHttpRequest

from . import selectors, sessionpolicy


def security_view(request: AuthenticatedHttpRequest):
    overview = selectors.security_overview(request.user)
    return render(
        request,
        "identity/security.html",
        {
            "overview": overview,
            "current_session_key": request.session.session_key,
            "mfa_setup_required": bool(request.session.get(sessionpolicy.MFA_SETUP_REQUIRED)),
            "has_password": request.user.has_usable_password(),
        },
    )
