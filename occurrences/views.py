"""The Occurrence Register page (requirement 000): the "+" of an In Progress ticket in My Requests."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tickets.access import ACTION_RELATED, ticket_get_for_requester
from tickets.forms import clean_list_query, my_requests_url

from .forms import OccurrenceForm
from .selectors import category_choices, locked_category, locked_origin, offered_choices, origin_choices
from .services import OccurrenceRefused, occurrence_register, occurrence_register_check


@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def occurrence_register_view(request, pk: int):
    # Anonymous users never get here (LoginRequiredMiddleware); another user's ticket is a 404.
    data = request.POST if request.method == "POST" else request.GET
    list_query = clean_list_query(data.get("next"))
    back_url = my_requests_url(list_query)
    offered = offered_choices() if request.method == "POST" else None
    form = OccurrenceForm(
        request.POST if request.method == "POST" else None,
        categories=category_choices(),
        origins=origin_choices(),
        locked_category=locked_category(offered),
        locked_origin=locked_origin(offered),
        offered=offered,
    )
    if request.method != "POST":
        ticket = ticket_get_for_requester(request.user, pk, sla_status=False, related=ACTION_RELATED)
        return _refused(request, ticket, back_url) or _form_page(request, ticket, form, list_query, back_url)

    # The portal's most frequent write. The form is validated first (its choices are read outside
    # any lock); then one short transaction reads and locks the ticket, checks it and saves the
    # occurrence: its situation cannot change in between, and a concurrent save on the same ticket
    # waits for no more than that.
    valid = form.is_valid()
    with transaction.atomic():
        ticket = ticket_get_for_requester(request.user, pk, for_update=True)
        try:
            if valid:
                occurrence_register(
                    ticket=ticket, actor=request.user, ticket_locked=True, **form.cleaned_data
                )  # checks the ticket first
            else:
                occurrence_register_check(ticket=ticket, actor=request.user)
        except OccurrenceRefused as exc:
            transaction.set_rollback(True)
            messages.error(request, exc.message)
            return redirect(back_url)
    if valid:
        messages.success(request, _("Occurrence registered."))
        return redirect(back_url)
    # Nothing was written: the page with the errors is rendered once the lock is released, with the
    # ticket as pages show it (the locked read has only what the write needs).
    ticket = ticket_get_for_requester(request.user, pk, sla_status=False, related=ACTION_RELATED)
    return _form_page(request, ticket, form, list_query, back_url)


def _refused(request, ticket, back_url):
    """A redirect to My Requests with the reason when the occurrence cannot be registered, else None."""
    try:
        occurrence_register_check(ticket=ticket, actor=request.user)
    except OccurrenceRefused as exc:
        messages.error(request, exc.message)
        return redirect(back_url)
    return None


def _form_page(request, ticket, form, list_query, back_url):
    return render(
        request,
        "occurrences/occurrence_form.html",
        {
            "ticket": ticket,
            "form": form,
            "next": list_query,
            "back_url": back_url,
        },
    )
