"""My notifications and the bell's endpoints. Login required (LoginRequiredMiddleware); which
notification a user may see comes only from notifications.selectors (404 for any other).

Opening a notification's page records it as *viewed* (the time of the first opening, per user): a
read receipt, which is what opening means here, and the same whatever the number of openings.
Confirming (Mark as read) and closing the after-login dialog are POSTs. Opening the bell records
nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from core.exceptions import ApplicationError
from core.markdown import markdown_to_html
from core.pagination import DeferredJoinPaginator

from . import selectors, services
from .selectors import Filter, State

PAGE_SIZE = 10


def _legend() -> list[dict[str, object]]:
    return [{"state": s, "label": State.LABELS[s], "icon": State.ICONS[s]} for s in State.ORDER]


@require_safe
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All the notifications the user may see, newest first, a page at a time, with a filter."""
    show = request.GET.get("show", Filter.ALL)
    if show not in dict(Filter.CHOICES):
        show = Filter.ALL
    qs = selectors.notification_list_for_page(user=request.user, show=show)
    page_obj = DeferredJoinPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    notifications = list(page_obj.object_list)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page_obj,
            "notifications": notifications,
            "show": show,
            "filters": Filter.CHOICES,
            "legend": _legend(),
        },
    )


@require_safe
def notification_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get_visible(user=request.user, pk=pk)
    confirmed_at = getattr(notification, "my_confirmed_at", None)
    if getattr(notification, "my_viewed_at", None) is None:
        services.notification_mark_viewed(notification=notification, user=request.user)
    return render(
        request,
        "notifications/notification_detail.html",
        {
            "notification": notification,
            "state": notification.state_for(viewed=True, confirmed=confirmed_at is not None),
            "confirmed_at": confirmed_at,
            "description_html": markdown_to_html(notification.description),
            "can_confirm": notification.requires_confirmation and confirmed_at is None,
        },
    )


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return default


@require_POST
def notification_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark as read: the user confirms having read a notification that requires it."""
    notification = selectors.notification_get_visible(user=request.user, pk=pk)
    try:
        services.notification_confirm(notification=notification, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Notification marked as read."))
    return redirect(_next_url(request, reverse("notifications:detail", kwargs={"pk": pk})))


@require_POST
def notification_dialog_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Close the after-login dialog: it does not come back for this notification."""
    notification = selectors.notification_get_visible(user=request.user, pk=pk)
    services.notification_dialog_close(notification=notification, user=request.user)
    return redirect(_next_url(request, reverse("notifications:list")))


@require_safe
def notification_counter(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The bell's numbers as JSON for static/js/notifications.js, polled by every open tab: one
    aggregate query, outside a transaction (no BEGIN/COMMIT round trips for a read)."""
    response = JsonResponse(selectors.notification_counts(user=request.user).as_json())
    response["Cache-Control"] = "private, no-cache"
    return response
