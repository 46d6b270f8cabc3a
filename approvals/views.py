"""Approvals (docs/domain.md, element 11): the tickets awaiting the user's decision, their row
actions (Description, Attachments, Occurrence, Approve), the decision form, the approval history,
the e-mailed link (parameter 370) and the absence page. Views are thin: parse, select, call a
service, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.pagination import DeferredJoinPaginator
from parameters import registry as r
from parameters.accessors import param
from tickets.columns import ticket_columns, ticket_labels
from tickets.downloads import attachment_file_response
from tickets.forms import clean_list_query
from tickets.policies import ActionLink, RowAction, TicketActions
from tickets.selectors import attachment_list_for_ticket, occurrence_list_for_ticket

from .forms import AbsenceForm, ApprovalFilterForm, DecisionForm, LinkDecisionForm
from .models import Absence, Approval, ApprovalToken, Decision
from .selectors import (
    ApproverScope,
    absence_list_for_user,
    approval_history,
    approval_list_for_user,
    approver_menu,
    approver_scope_for_request,
    ticket_get_for_approver,
    ticket_get_for_history,
)
from .services import (
    ApprovalRefused,
    OwnRequestRefused,
    absence_declare,
    absence_end,
    approval_decide,
    approval_token_lookup,
    awaiting_approval,
    not_awaiting_message,
    own_request_barred,
)

OCCURRENCES_SHOWN = 10


def approvals_url(list_query: str = "") -> str:
    url = reverse("approvals:list")
    return f"{url}?{list_query}" if list_query else url


def _always(user: User, ticket: Any) -> bool:
    return True  # the view has already checked that the ticket awaits this approver


def _may_decide(user: User, ticket: Any) -> bool:
    return not own_request_barred(user, ticket)  # segregation of duties (parameter 372)


def _shows_occurrences(user: User, ticket: Any) -> bool:
    return bool(param(r.SHOW_OCCURRENCES))  # parameter 302


# What an approver may do with a ticket awaiting them, in My Requests' order, then Approve (the
# row's button of its own): the same table type as My Requests' (tickets.policies.RowAction).
ROW_ACTIONS: tuple[RowAction, ...] = (
    RowAction("description", _("Description"), "approvals:description", _always, "file-text"),
    RowAction("attachments", _("Attachments"), "approvals:attachments", _always, "paperclip"),
    RowAction("occurrences", _("Occurrence"), "approvals:occurrences", _shows_occurrences, "list-ul"),
    RowAction("history", _("Approval history"), "approvals:history", _always, "clock-history"),
    RowAction("approve", _("Approve"), "approvals:decide", _may_decide, "check-lg", primary=True),
)


# Why a request shows no Approve: it is the user's own (segregation of duties, parameter 372).
OWN_REQUEST_NOTE = _("Your own request: another approver decides.")


def row_actions(ticket, *, user: User, list_query: str, exclude: str = "") -> list[ActionLink]:
    """The actions of a ticket awaiting the approver (the occurrence list only with parameter 302;
    Approve not for the requester: :func:`tickets.policies.own_request_barred`)."""
    return TicketActions(user, list_query=list_query, exclude=[exclude], actions=ROW_ACTIONS).for_ticket(
        ticket
    )


@dataclass(frozen=True)
class OnBehalf:
    pk: int
    label: str


@dataclass(frozen=True)
class Row:
    ticket: Any
    requester: str
    on_behalf_of: OnBehalf | None
    actions: list[ActionLink]
    note: str = ""  # why the row has no Approve (OWN_REQUEST_NOTE)


def _row(ticket, absent: User | None, user: User, list_query: str) -> Row:
    requester = _("requested by %(name)s") % {"name": ticket.requester.display_name}
    on_behalf = (
        OnBehalf(absent.pk, _("on behalf of %(name)s") % {"name": absent.display_name}) if absent else None
    )
    note = str(OWN_REQUEST_NOTE) if own_request_barred(user, ticket) else ""
    return Row(ticket, requester, on_behalf, row_actions(ticket, user=user, list_query=list_query), note)


# --- the list ---------------------------------------------------------------------------------------


@require_safe
def approval_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = approver_scope_for_request(request)
    if not scope.group_ids:
        raise Http404
    form = ApprovalFilterForm.from_query(request.GET, preselect_in_progress=False)
    list_query = clean_list_query(request.GET.urlencode())
    filters = form.to_filters()
    tickets = approval_list_for_user(request.user, scope, filters)
    page_obj = DeferredJoinPaginator(tickets, form.page_size, searching=bool(filters.search)).get_page(
        request.GET.get("page")
    )
    # The page is the menu item's: only approvers (and their substitutes) have it
    # (approvals.selectors.approver_menu); a page with rows settles it without a query.
    if not page_obj.object_list and not approver_menu(scope).visible:
        raise Http404
    # The user's own requests are listed too (they wait for another approver), without Approve.
    rows = [
        _row(t, scope.absent_for(t.current_group_id), request.user, list_query) for t in page_obj.object_list
    ]
    return render(
        request,
        "approvals/approval_list.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page_obj,
            "total": page_obj.paginator.count,
            "columns": ticket_columns(show_title=True),  # Title always shown here
            "labels": ticket_labels(),
        },
    )


# --- row actions ------------------------------------------------------------------------------------


def _approver_context(request: AuthenticatedHttpRequest, pk: int) -> tuple[Any, ApproverScope, str, str]:
    """The ticket awaiting the user's decision (404 for anyone else), its scope and "back"."""
    scope = approver_scope_for_request(request)
    ticket = ticket_get_for_approver(request.user, pk, scope=scope)
    data = request.POST if request.method == "POST" else request.GET
    list_query = clean_list_query(data.get("next"))
    return ticket, scope, list_query, approvals_url(list_query)


def _page(
    request,
    template: str,
    ticket,
    scope: ApproverScope,
    list_query: str,
    back_url: str,
    exclude: str,
    **extra,
):
    return render(
        request,
        template,
        {
            "ticket": ticket,
            "on_behalf_of": scope.absent_for(ticket.current_group_id),
            "actions": row_actions(ticket, user=request.user, list_query=list_query, exclude=exclude),
            "own_request": OWN_REQUEST_NOTE if own_request_barred(request.user, ticket) else "",
            "back_url": back_url,
            "next": list_query,
            **extra,
        },
    )


@require_safe
def approval_description(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket, scope, list_query, back_url = _approver_context(request, pk)
    return _page(
        request, "approvals/approval_detail.html", ticket, scope, list_query, back_url, "description"
    )


@require_safe
def approval_attachments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket, scope, list_query, back_url = _approver_context(request, pk)
    return _page(
        request,
        "approvals/approval_attachments.html",
        ticket,
        scope,
        list_query,
        back_url,
        "attachments",
        attachments=attachment_list_for_ticket(ticket),
    )


@require_safe
def approval_attachment_download(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> HttpResponseBase:
    ticket = ticket_get_for_approver(request.user, pk)
    return attachment_file_response(get_object_or_404(attachment_list_for_ticket(ticket), pk=attachment_pk))


@require_safe
def approval_occurrences(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The occurrences the requester sees (parameter 298, as in My Requests; else 404)."""
    ticket, scope, list_query, back_url = _approver_context(request, pk)
    if not param(r.SHOW_OCCURRENCES):
        raise Http404
    # The approver reads what the requester may read of the ticket: its public occurrences.
    occurrences = occurrence_list_for_ticket(user=ticket.requester, ticket=ticket, limit=OCCURRENCES_SHOWN)
    return _page(
        request,
        "approvals/approval_occurrences.html",
        ticket,
        scope,
        list_query,
        back_url,
        "occurrences",
        occurrences=occurrences,
        limit=OCCURRENCES_SHOWN,
    )


# --- the decision -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def approval_decide_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approve: Approved / Not approved, Observations, Justification + complement when not approved."""
    scope = approver_scope_for_request(request)
    data = request.POST if request.method == "POST" else request.GET
    list_query = clean_list_query(data.get("next"))
    back_url = approvals_url(list_query)
    try:
        ticket = ticket_get_for_approver(request.user, pk, scope=scope)
    except Http404:
        # The user's group was asked, but the ticket no longer awaits (decided by someone else): say so.
        asked = (
            scope.group_ids and Approval.objects.filter(ticket_id=pk, group_id__in=scope.group_ids).first()
        )
        if not asked:
            raise
        messages.error(request, not_awaiting_message(asked.ticket))
        return redirect(back_url)
    if own_request_barred(request.user, ticket):
        # Segregation of duties: the page says why (``own_request``) instead of showing the form; a
        # POST changes nothing (approval_decide would refuse it too).
        if request.method == "POST":
            messages.error(request, OwnRequestRefused(ticket).message)
            return redirect(back_url)
        response = _page(
            request, "approvals/approval_form.html", ticket, scope, list_query, back_url, "approve"
        )
        response.status_code = 403
        return response
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            approval_decide(
                ticket_id=ticket.pk,
                actor=request.user,
                approved=form.approved,
                observations=cd["observations"],
                justification=cd["justification"],
                justification_complement=cd["justification_complement"],
            )
        except ApprovalRefused as exc:
            messages.error(request, exc.message)
            return redirect(back_url)
        done = (
            gettext("Ticket %(number)s approved: it goes on to execution.")
            if form.approved
            else gettext("Ticket %(number)s not approved: it is closed.")
        )
        messages.success(request, done % {"number": ticket.number})
        return redirect(back_url)
    return _page(
        request, "approvals/approval_form.html", ticket, scope, list_query, back_url, "approve", form=form
    )


# --- history ----------------------------------------------------------------------------------------


@require_safe
def approval_history_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Executed / Pending / History of a ticket's approvals, for its approver group and staff."""
    ticket = ticket_get_for_history(request.user, pk)
    list_query = clean_list_query(request.GET.get("next"))
    history = approval_history(ticket)
    return render(
        request,
        "approvals/approval_history.html",
        {
            "ticket": ticket,
            "history": history,
            "back_url": approvals_url(list_query),
            "awaiting": awaiting_approval(ticket),
        },
    )


# --- the e-mailed link (parameter 370) --------------------------------------------------------------


def _link_refusal(request: HttpRequest, reason: str, *, status: int, ticket=None) -> HttpResponse:
    return render(request, "approvals/link_invalid.html", {"reason": reason, "ticket": ticket}, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def approval_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link of the approval e-mail: the token authenticates its approver, for this
    approval, once. The GET shows the request and the buttons and changes nothing; only the POST
    decides. Unknown, expired, used, another person's, or already decided: an explanatory page."""
    row: ApprovalToken | None = approval_token_lookup(token)
    if row is None:
        return _link_refusal(request, gettext("This link is not valid."), status=404)
    ticket = row.approval.ticket
    user = request.user
    if user.is_authenticated and user.pk != row.approver_id:
        return _link_refusal(
            request,
            gettext("This link was sent to another person. Open it from your own e-mail, or log out first."),
            status=403,
        )
    if not param(r.APPROVAL_EMAIL_TOKEN):
        return _link_refusal(request, gettext("Approval through e-mail links is turned off."), status=410)
    if row.used_at is not None:
        return _link_refusal(request, gettext("This link was already used."), status=410, ticket=ticket)
    if row.approval.status != Approval.Status.PENDING or not awaiting_approval(ticket):
        return _link_refusal(
            request,
            gettext("Ticket %(number)s was already decided.") % {"number": ticket.number},
            status=410,
            ticket=ticket,
        )
    if row.expires_at <= timezone.now():
        return _link_refusal(request, gettext("This link has expired."), status=410, ticket=ticket)
    if own_request_barred(row.approver, ticket):
        # A link made before parameter 372 was set to N (none is sent to the requester while it is N).
        return _link_refusal(request, OwnRequestRefused(ticket).message, status=403, ticket=ticket)
    form = LinkDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            decision = approval_decide(
                ticket_id=ticket.pk,
                actor=row.approver,
                approved=form.approved,
                observations=cd["observations"],
                justification=cd["justification"],
                justification_complement=cd["justification_complement"],
                via=Decision.Via.EMAIL,
                token=row,
            )
        except ApprovalRefused as exc:
            return _link_refusal(request, exc.message, status=409, ticket=ticket)
        return render(request, "approvals/link_done.html", {"ticket": ticket, "decision": decision})
    return render(
        request,
        "approvals/link_confirm.html",
        {"ticket": ticket, "token": row, "form": form, "on_behalf_of": row.on_behalf_of},
    )


# --- absences ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def absence_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Absence and substitute (the user's profile): declare one, see and end one's own."""
    form = AbsenceForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            absence_declare(
                user=request.user,
                substitute=cd["substitute"],
                starts_at=cd["starts_at"],
                ends_at=cd["ends_at"],
            )
        except ApprovalRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Absence saved."))
            return redirect("approvals:absences")
    return render(
        request,
        "approvals/absence_form.html",
        {"form": form, "absences": list(absence_list_for_user(request.user)), "now": timezone.now()},
    )


@require_POST
def absence_end_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    absence = get_object_or_404(Absence.objects.filter(user_id=int(request.user.pk or 0)), pk=pk)
    try:
        absence_end(absence=absence, actor=request.user)
    except ApprovalRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Absence ended."))
    return redirect("approvals:absences")
