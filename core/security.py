"""Login throttling (django-axes): what a locked-out user sees."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the reason, answered 429 (``AXES_LOCKOUT_CALLABLE``)."""
    # Unbound (binding it would authenticate again); the username typed is kept.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    minutes = max(int(_cooloff_seconds(request) // 60), 1)
    message = _(
        "Too many failed login attempts. For your security, logging in with this account "
        "from your address is blocked for %(minutes)s minutes."
    ) % {"minutes": minutes}
    # Unbound, ``errors`` is an empty ErrorDict (no validation runs): the lockout is its one error.
    form.errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield")
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", request.GET.get("next", ""))},
        status=429,
    )


def _cooloff_seconds(request) -> float:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return cool_off.total_seconds() if cool_off else 15 * 60
