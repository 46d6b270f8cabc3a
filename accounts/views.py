"""Changing one's password, for accounts that have one.

A person who logs in through the directory or an identity provider has no portal password
(``has_usable_password()`` is false): the password is the directory's or the provider's, changed
there. Setting a portal password would turn that person into a local account that keeps logging in
after the directory or the provider disables them, so neither Django's change form nor allauth's
"set password" (identity/allauth_urls.py routes it here) offers it; they are told where to go.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class PasswordChangeView(auth_views.PasswordChangeView):
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_usable_password():
            messages.info(
                request,
                _(
                    "Your password is that of your organisation's directory or identity provider: "
                    "change it there."
                ),
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)


class PasswordSetView(PasswordChangeView):
    """allauth's "set password" (identity/allauth_urls.py): an account with a password changes it on
    the change page; one without is told where its password lives (above)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_usable_password():
            return redirect("password_change")
        return super().dispatch(request, *args, **kwargs)
