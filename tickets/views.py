"""My Requests (requirement 000): the requester's tickets, their row actions, Description and the
occurrence list. Views are thin: parse, call a selector, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from occurrences.selectors import occurrence_list_for_ticket
from parameters import registry as r
from parameters.accessors import param

from . import policies
from .forms import MyRequestsFilterForm, clean_list_query, my_requests_url
from .models import Ticket
from .selectors import (
    DeferredJoinPaginator,
    ticket_count_for_requester,
    ticket_get_for_user,
    ticket_list_for_requester,
)

OCCURRENCES_SHOWN = 10  # "the last 10" (DOMAIN.md)


# --- row actions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowAction:
    """One action button of a My Requests row. ``url_name`` takes the ticket as ``pk``; an action
    whose URL does not exist yet is not rendered at all (no dead buttons)."""

    key: str
    label: str | Promise
    url_name: str
    policy: Callable[..., bool]
    glyph: str = ""  # visible text when it is not the label (the label stays the accessible name)
    style: str = "btn-outline-secondary"


# In the order of requirement 000, "Items list".
ROW_ACTIONS: tuple[RowAction, ...] = (
    RowAction("register-opinion", _("Register opinion"), "tickets:register-opinion",
              policies.can_register_opinion),
    RowAction("reopen", _("Reopen service request"), "tickets:reopen", policies.can_reopen),
    RowAction("survey", _("Satisfaction Survey"), "tickets:survey", policies.can_answer_survey),
    RowAction("description", _("Description"), "tickets:description", policies.can_view_description),
    RowAction("attachments", _("Attachments"), "tickets:attachments", policies.can_view_attachments),
    RowAction("occurrences", _("Occurrence"), "tickets:occurrences", policies.can_view_occurrences),
    RowAction("register-occurrence", _("Register occurrence"), "occurrences:register",
              policies.can_register_occurrence, glyph="+", style="btn-primary"),
    RowAction("cancel", _("Cancel Request"), "tickets:cancel", policies.can_cancel,
              style="btn-outline-danger"),
    RowAction("message", _("Message"), "tickets:message", policies.can_message),
)


def url_exists(url_name: str) -> bool:
    """Whether a ticket action page exists (its URL name reverses with a ``pk``)."""
    try:
        reverse(url_name, kwargs={"pk": 1})
    except NoReverseMatch:
        return False
    return True


def available_actions(*, exclude: tuple[str, ...] = ()) -> list[RowAction]:
    """The actions that have a page; checked once per request, not per row."""
    return [a for a in ROW_ACTIONS if a.key not in exclude and url_exists(a.url_name)]


@dataclass
class ActionLink:
    key: str
    label: str | Promise
    url: str
    glyph: str
    style: str


@dataclass
class TicketRow:
    ticket: Ticket
    actions: list[ActionLink] = field(default_factory=list)


def actions_for(user, ticket: Ticket, actions: list[RowAction], list_query: str) -> list[ActionLink]:
    """The links a ticket shows: each action's policy decides (no query: loaded fields + snapshot)."""
    suffix = "?" + urlencode({"next": list_query}) if list_query else ""
    return [
        ActionLink(a.key, a.label, reverse(a.url_name, kwargs={"pk": ticket.pk}) + suffix, a.glyph, a.style)
        for a in actions
        if a.policy(user, ticket)
    ]


# --- pages ------------------------------------------------------------------------------------

@require_safe
def my_requests(request):
    form = MyRequestsFilterForm.from_query(request.GET, preselect_in_progress=param(r.PRESELECT_IN_PROGRESS))
    tickets = ticket_list_for_requester(request.user, form.to_filters())
    page_obj = DeferredJoinPaginator(tickets, form.page_size).get_page(request.GET.get("page"))
    list_query = clean_list_query(request.GET.urlencode())
    actions = available_actions()
    rows = [TicketRow(t, actions_for(request.user, t, actions, list_query)) for t in page_obj.object_list]
    total = page_obj.paginator.count
    # "No tickets at all" vs "nothing matches": one extra count, only when a narrowed list is empty.
    has_tickets = total > 0 or (form.narrows and ticket_count_for_requester(request.user) > 0)
    return render(request, "tickets/ticket_list.html", {
        "form": form,
        "rows": rows,
        "page_obj": page_obj,
        "total": total,
        "has_tickets": has_tickets,
        "show_title": param(r.SHOW_TITLE),
    })


@require_safe
def ticket_description(request, pk: int):
    ticket = ticket_get_for_user(request.user, pk)
    if not policies.can_view_description(request.user, ticket):
        raise Http404
    list_query = clean_list_query(request.GET.get("next"))
    return render(request, "tickets/ticket_detail.html", {
        "ticket": ticket,
        "actions": actions_for(request.user, ticket, available_actions(exclude=("description",)), list_query),
        "back_url": my_requests_url(list_query),
    })


@require_safe
def ticket_occurrences(request, pk: int):
    """The ticket's last public occurrences, newest first (parameter 298; else 404)."""
    ticket = ticket_get_for_user(request.user, pk)
    if not policies.can_view_occurrences(request.user, ticket):
        raise Http404
    list_query = clean_list_query(request.GET.get("next"))
    return render(request, "occurrences/occurrence_list.html", {
        "ticket": ticket,
        "occurrences": occurrence_list_for_ticket(user=request.user, ticket=ticket, limit=OCCURRENCES_SHOWN),
        "limit": OCCURRENCES_SHOWN,
        "actions": actions_for(request.user, ticket, available_actions(exclude=("occurrences",)), list_query),
        "back_url": my_requests_url(list_query),
    })
