"""The user menu's "Push notifications" page: turn push on or off on this device (static/js/push.js
asks the browser's PushManager for a subscription with the portal's public key and posts it here),
and see and remove one's devices. Every URL answers 404 while push is not configured."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest

from .selectors import device_list_for_user
from .services import PushRefused, push_enabled, subscription_delete, subscription_save


def _require_enabled() -> None:
    if not push_enabled():
        raise Http404("push is not configured")


def _json_body(request: AuthenticatedHttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_http_methods(["GET", "HEAD"])
def device_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_enabled()
    devices = list(device_list_for_user(request.user))
    return render(
        request,
        "push/device_list.html",
        {"devices": devices, "vapid_public_key": settings.VAPID_PUBLIC_KEY},
    )


@require_POST
def subscribe_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The browser's subscription (``PushSubscription.toJSON()``); CSRF-checked like any POST."""
    _require_enabled()
    data = _json_body(request)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    try:
        device = subscription_save(
            user=request.user,
            endpoint=data.get("endpoint"),
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except PushRefused as exc:
        return JsonResponse({"detail": str(exc.message)}, status=400)
    return JsonResponse({"id": device.pk}, status=201)


@require_POST
def unsubscribe_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """This device turned push off (static/js/push.js): its subscription, if it is the user's, goes."""
    _require_enabled()
    endpoint = _json_body(request).get("endpoint")
    removed = subscription_delete(user=request.user, endpoint=endpoint if isinstance(endpoint, str) else None)
    return JsonResponse({"removed": removed})


@require_POST
def device_remove_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_enabled()
    if not subscription_delete(user=request.user, pk=pk):
        raise Http404("no such device")
    messages.success(request, _("The device was removed: it no longer receives push notifications."))
    return redirect("push:devices")
