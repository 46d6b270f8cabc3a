"""Login throttling (django-axes): what a locked-out user sees."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import LoginForm


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the reason, answered 429 (``AXES_LOCKOUT_CALLABLE``)."""
    # Unbound (binding it would authenticate again); the user name typed is kept.
    form = LoginForm(request=request, initial={"login": request.POST.get("username", "")})
    minutes = max(int(_cooloff_seconds(request) // 60), 1)
    message = _(
        "Too many failed login attempts. For your security, logging in with this account "
        "from your address is blocked for %(minutes)s minutes."
    ) % {"minutes": minutes}
    # Unbound, ``errors`` is an empty ErrorDict (no validation runs): the lockout is its one error.
    form.errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield")
    return render(request, "account/login.html", {"form": form, **login_page_context(request)}, status=429)


def login_page_context(request) -> dict:
    from allauth.account.utils import get_next_redirect_url

    return {"redirect_field_value": get_next_redirect_url(request) or ""}


def _cooloff_seconds(request) -> float:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return cool_off.total_seconds() if cool_off else 15 * 60
