"""Notification preferences (user menu) and the one-click unsubscribe link of optional e-mails
(RFC 8058; :mod:`outbox.preferences`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest

from .forms import PreferencesForm
from .preferences import preferences_of, preferences_save, unsubscribe, unsubscribe_token_read


@require_http_methods(["GET", "HEAD", "POST"])
def preferences_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial_choices=preferences_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, enabled=form.cleaned_data)
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("outbox:preferences")
    return render(request, "outbox/preferences.html", {"form": form})


@login_not_required
@csrf_exempt  # RFC 8058: the mail provider POSTs without a session or CSRF token; the signed link is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page that changes nothing (mail scanners open links). POST (the button,
    or the one-click ``List-Unsubscribe=One-Click`` of a mail client): that kind is turned off."""
    found = unsubscribe_token_read(token)
    if found is None:
        return render(request, "outbox/unsubscribe.html", {"invalid": True}, status=404)
    address, kind = found
    done = False
    if request.method == "POST":
        unsubscribe(address=address, kind=kind)
        done = True
    return render(request, "outbox/unsubscribe.html", {"kind": kind, "address": address, "done": done})
