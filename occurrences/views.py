"""The Occurrence Register page: the "+" of an In Progress ticket in My Requests."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from tickets.access import ACTION_RELATED, ticket_get_for_requester
from tickets.forms import clean_list_query, my_requests_url
from tickets.paste import image_panel

from .forms import OccurrenceForm
from .services import OccurrenceRefused, occurrence_register, occurrence_register_check


# The service owns the one transaction of a Save (lock, check, insert): no request-wide one around it.
@require_http_methods(["GET", "POST"])
def occurrence_register_view(request: AuthenticatedHttpRequest, pk: int):
    # Anonymous users never get here (LoginRequiredMiddleware); another user's ticket is a 404.
    data = request.POST if request.method == "POST" else request.GET
    list_query = clean_list_query(data.get("next"))
    back_url = my_requests_url(list_query)
    form = None
    if request.method == "POST":
        form = OccurrenceForm(request.POST)
        if form.is_valid():
            try:
                occurrence_register(ticket_id=pk, actor=request.user, **form.cleaned_data)
            except OccurrenceRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Occurrence registered."))
            return redirect(back_url)
    # The page (or the page with the form's errors): refused at once when the ticket does not allow it.
    ticket = ticket_get_for_requester(request.user, pk, sla_status=False, related=ACTION_RELATED)
    try:
        occurrence_register_check(ticket=ticket, actor=request.user)
    except OccurrenceRefused as exc:
        messages.error(request, exc.message)
        return redirect(back_url)
    return render(
        request,
        "occurrences/occurrence_form.html",
        {
            "ticket": ticket,
            "form": form or OccurrenceForm(),
            "next": list_query,
            "back_url": back_url,
            **image_panel(request.user, ticket, page="occurrence"),
        },
    )
