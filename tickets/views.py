"""My Requests (docs/domain.md, "My Requests"): the requester's tickets, their row actions,
Description and the occurrence list. Views are thin: parse, call a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from core.ids import parse_id
from core.pagination import DeferredJoinPaginator
from parameters import registry as r
from parameters.accessors import param

from . import policies
from .access import (
    copy_candidates,
    is_requester,
    ticket_get_for_reader,
    ticket_get_for_requester,
    ticket_get_visible,
)
from .columns import ticket_columns, ticket_labels
from .downloads import attachment_file_response
from .forms import (
    AttachmentForm,
    CopySearchForm,
    MessageForm,
    MyRequestsFilterForm,
    OpinionForm,
    ReasonForm,
    SurveyForm,
    clean_list_query,
    my_requests_url,
)
from .models import SurveyAnswer, Ticket
from .paste import IMAGE_TYPES, image_panel, return_url
from .poll import messages_poll_response
from .selectors import (
    attachment_get_for_user,
    attachment_list_for_ticket,
    copy_list_for_ticket,
    copy_search,
    message_list,
    occurrence_list_for_ticket,
    opinion_for_ticket,
    requester_has_tickets,
    survey_answer_for_ticket,
    ticket_list_for_requester,
    ticket_list_shared_with,
)
from .services.attachments import AttachmentRefused, attachment_add, attachment_remove
from .services.copies import CopyRefused, ticket_copies_add, ticket_copy_remove
from .services.feedback import (
    ActionRefused,
    opinion_save,
    survey_answer,
    survey_choices,
    survey_may_reopen,
    survey_token_lookup,
)
from .services.messages import MessageRefused, message_send, messages_mark_read
from .services.transitions import TransitionError, ticket_cancel, ticket_reopen

OCCURRENCES_SHOWN = 10  # "the last 10" occurrences


# --- pages ------------------------------------------------------------------------------------


@require_safe
def my_requests(request: AuthenticatedHttpRequest):
    form = MyRequestsFilterForm.from_query(request.GET, preselect_in_progress=param(r.PRESELECT_IN_PROGRESS))
    list_query = clean_list_query(request.GET.urlencode())
    filters = form.to_filters()
    tickets = (
        ticket_list_shared_with(request.user, filters)
        if filters.shared
        else ticket_list_for_requester(request.user, filters)
    )
    page_obj = DeferredJoinPaginator(tickets, form.page_size, searching=bool(filters.search)).get_page(
        request.GET.get("page")
    )
    actions = policies.TicketActions(request.user, list_query=list_query)
    rows = [{"ticket": t, "actions": actions.for_ticket(t)} for t in page_obj.object_list]
    total = page_obj.paginator.count
    # "No tickets at all" vs "nothing matches": one extra query, only when a narrowed list is empty.
    has_tickets = total > 0 or (form.narrows and requester_has_tickets(request.user, shared=filters.shared))
    return render(
        request,
        "tickets/ticket_list.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page_obj,
            "total": total,
            "has_tickets": has_tickets,
            "shared": filters.shared,
            "columns": ticket_columns(show_title=param(r.SHOW_TITLE), show_requester=filters.shared),
            "labels": ticket_labels(),
        },
    )


@require_safe
def ticket_description(request: AuthenticatedHttpRequest, pk: int):
    ticket = ticket_get_for_reader(request.user, pk)
    if not policies.can_view_description(request.user, ticket):
        raise Http404
    list_query = clean_list_query(request.GET.get("next"))
    may_manage_copies = policies.can_manage_copies(request.user, ticket)
    # The search of colleagues: only for a requester with a unit (nobody else may be put in copy).
    copy_form = CopySearchForm(request.GET) if may_manage_copies and request.user.unit_id else None
    return render(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "is_own": ticket.requester_id == request.user.pk,
            "copies": copy_list_for_ticket(ticket),
            "may_manage_copies": may_manage_copies,
            "copy_form": copy_form,
            "copy_results": copy_search(request.user, ticket, copy_form) if copy_form else None,
            "next": list_query,
            "show_solution": param(r.SHOW_SOLUTION) and bool(ticket.solution),
            "actions": policies.ticket_actions(
                request.user, ticket, list_query=list_query, exclude=("description",)
            ),
            "back_url": my_requests_url(list_query),
            **image_panel(request.user, ticket, page="description"),
        },
    )


@require_safe
def ticket_occurrences(request: AuthenticatedHttpRequest, pk: int):
    """The ticket's last public occurrences, newest first (parameter 298; else 404)."""
    list_query = clean_list_query(request.GET.get("next"))
    ticket = ticket_get_for_reader(request.user, pk)
    if not policies.can_view_occurrences(request.user, ticket):
        raise Http404
    return render(
        request,
        "tickets/occurrence_list.html",
        {
            "ticket": ticket,
            "occurrences": occurrence_list_for_ticket(
                user=request.user, ticket=ticket, limit=OCCURRENCES_SHOWN
            ),
            "limit": OCCURRENCES_SHOWN,
            "actions": policies.ticket_actions(
                request.user, ticket, list_query=list_query, exclude=("occurrences",)
            ),
            "back_url": my_requests_url(list_query),
        },
    )


@require_POST
def ticket_copy_add_view(request: AuthenticatedHttpRequest, pk: int):
    """People in copy: the requester adds one colleague (``user``: a query-string-free id)."""
    ticket, list_query, _back = _action_context(request, pk)
    here = reverse("tickets:description", args=[ticket.pk]) + policies.next_suffix(list_query)
    user_pk = parse_id(request.POST.get("user"))
    person = copy_candidates(request.user).filter(pk=user_pk).first() if user_pk else None
    if person is None:
        return _refused(request, gettext("Choose a colleague of your unit."), here)
    try:
        ticket_copies_add(ticket=ticket, actor=request.user, users=[person])
    except CopyRefused as exc:
        return _refused(request, exc.message, here)
    messages.success(request, gettext("%(name)s is now in copy.") % {"name": person.display_name})
    return redirect(here)


@require_POST
def ticket_copy_remove_view(request: AuthenticatedHttpRequest, pk: int, user_pk: int):
    """People in copy: the requester removes one; they no longer see the request."""
    ticket, list_query, _back = _action_context(request, pk)
    here = reverse("tickets:description", args=[ticket.pk]) + policies.next_suffix(list_query)
    try:
        removed = ticket_copy_remove(ticket=ticket, actor=request.user, user_pk=user_pk)
    except CopyRefused as exc:
        return _refused(request, exc.message, here)
    if not removed:
        raise Http404
    messages.success(request, gettext("The person was removed from copy."))
    return redirect(here)


# --- row actions (POST with CSRF; the same policy functions decide the button and the action) -----


def _action_context(request: AuthenticatedHttpRequest, pk: int):
    """The requester's ticket (404 for anyone else's) and where "back" leads."""
    ticket = ticket_get_for_reader(request.user, pk)
    data = request.POST if request.method == "POST" else request.GET
    list_query = clean_list_query(data.get("next"))
    return ticket, list_query, my_requests_url(list_query)


def _refused(request: AuthenticatedHttpRequest, message, back_url):
    messages.error(request, message)
    return redirect(back_url)


# The refusal messages are the policies' (shared with the API, api/views.py).
_not_available = policies.not_available_refusal
_cancel_refusal = policies.cancel_refusal
_reopen_refusal = policies.reopen_refusal
_message_refusal = policies.message_refusal


def _transition_page(
    request: AuthenticatedHttpRequest, pk: int, *, policy, refusal, service, template_context: dict, done: str
):
    ticket, list_query, back_url = _action_context(request, pk)
    if not policy(request.user, ticket):
        if not is_requester(request.user, ticket):  # a reader of someone else's request
            return _refused(request, policies.requester_only_refusal(), back_url)
        return _refused(request, refusal(ticket), back_url)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(ticket=ticket, actor=request.user, reason=form.cleaned_data["reason"])
        except TransitionError as exc:
            return _refused(request, exc.message, back_url)
        messages.success(request, done % {"number": ticket.number})
        return redirect(back_url)
    return render(
        request,
        "tickets/ticket_confirm.html",
        {
            "ticket": ticket,
            "form": form,
            "next": list_query,
            "back_url": back_url,
            **template_context,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_cancel_view(request: AuthenticatedHttpRequest, pk: int):
    """Cancel Request (parameter 302, ticket not final): confirmation, then POST."""
    return _transition_page(
        request,
        pk,
        policy=policies.can_cancel,
        refusal=_cancel_refusal,
        service=ticket_cancel,
        done=gettext("Ticket %(number)s canceled."),
        template_context={
            "title": gettext("Cancel Request"),
            "question": gettext("Do you want to cancel this request? Canceling is final."),
            "submit_label": gettext("Cancel Request"),
            "submit_id": "confirm-cancel",
            "danger": True,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_reopen_view(request: AuthenticatedHttpRequest, pk: int):
    """Reopen service request (Closed no more than parameter 171 days ago): confirmation, then POST."""
    return _transition_page(
        request,
        pk,
        policy=policies.can_reopen,
        refusal=_reopen_refusal,
        service=ticket_reopen,
        done=gettext("Ticket %(number)s reopened."),
        template_context={
            "title": gettext("Reopen service request"),
            "question": gettext(
                "Do you want to reopen this request? It returns to the service desk with a new time limit."
            ),
            "submit_label": gettext("Reopen service request"),
            "submit_id": "confirm-reopen",
            "danger": False,
        },
    )


# --- attachments ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_attachments(request: AuthenticatedHttpRequest, pk: int):
    """The ticket's files: download always; add/remove while the ticket is not final."""
    ticket, list_query, back_url = _action_context(request, pk)
    if not policies.can_view_attachments(request.user, ticket):
        return _refused(request, _not_available(ticket), back_url)
    may_change = policies.can_change_attachments(request.user, ticket)
    form = AttachmentForm(request.POST or None, request.FILES or None) if may_change else None
    if request.method == "POST":
        if form is None:  # not may_change
            return _refused(
                request,
                policies.attachments_locked_refusal(ticket),
                back_url,
            )
        if form.is_valid():
            try:
                att = attachment_add(ticket=ticket, file=form.cleaned_data["file"], actor=request.user)
            except AttachmentRefused as exc:
                return _refused(request, exc.message, back_url)
            except ValidationError as exc:
                return _refused(request, "; ".join(exc.messages), back_url)
            messages.success(request, gettext("File %(name)s attached.") % {"name": att.original_name})
            here = reverse("tickets:attachments", args=[ticket.pk])
            return redirect(here + policies.next_suffix(list_query))
    return render(
        request,
        "tickets/attachment_list.html",
        {
            "ticket": ticket,
            "attachments": attachment_list_for_ticket(ticket),
            "form": form,
            "may_change": may_change,
            "next": list_query,
            "back_url": back_url,
            "max_bytes": param(r.MAX_UPLOAD_BYTES),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def attachment_remove_view(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int):
    ticket, list_query, _back = _action_context(request, pk)
    attachment = get_object_or_404(attachment_list_for_ticket(ticket), pk=attachment_pk)
    list_url = reverse("tickets:attachments", args=[ticket.pk]) + policies.next_suffix(list_query)
    if policies.can_change_attachments(request.user, ticket) and not policies.can_remove_attachment(
        request.user, ticket, attachment.uploaded_by_id
    ):
        return _refused(request, gettext("You can remove only the files you attached."), list_url)
    if not policies.can_change_attachments(request.user, ticket):
        return _refused(
            request,
            policies.attachments_locked_refusal(ticket),
            list_url,
        )
    if request.method == "POST":
        try:
            attachment_remove(attachment=attachment, actor=request.user)
        except AttachmentRefused as exc:
            return _refused(request, exc.message, list_url)
        messages.success(request, gettext("File %(name)s removed.") % {"name": attachment.original_name})
        return redirect(list_url)
    return render(
        request,
        "tickets/ticket_confirm.html",
        {
            "ticket": ticket,
            "form": None,
            "next": list_query,
            "back_url": list_url,
            "title": gettext("Remove attachment"),
            "question": gettext("Remove the file %(name)s from this ticket?")
            % {"name": attachment.original_name},
            "submit_label": gettext("Remove"),
            "submit_id": "confirm-remove",
            "danger": True,
        },
    )


@require_POST
def attachment_paste(request: AuthenticatedHttpRequest, pk: int):
    """One file pasted or dropped into a page of the ticket (static/js/paste-image.js), or sent by the
    image panel's plain form without JavaScript: the same service and checks as the Attachments page.

    JSON for the script (``Accept: application/json``): 201 with the attachment, or 400/403 with
    ``error`` (the usual message); otherwise a flash message and a redirect to the page named by
    ``page`` (tickets.paste.RETURN_PAGES). Anyone who may not see the ticket gets a 404."""
    ticket = ticket_get_visible(request.user, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    back = return_url(ticket, request.POST.get("page"))

    def refuse(message, status: int):
        if wants_json:
            return JsonResponse({"error": str(message)}, status=status)
        return _refused(request, message, back)

    upload = request.FILES.get("file")
    if upload is None:
        return refuse(gettext("Choose a file to attach."), 400)
    try:
        att = attachment_add(ticket=ticket, file=upload, actor=request.user)
    except AttachmentRefused as exc:
        return refuse(exc.message, 403)
    except ValidationError as exc:
        return refuse("; ".join(exc.messages), 400)
    done = gettext("File %(name)s attached.") % {"name": att.original_name}
    if not wants_json:
        messages.success(request, done)
        return redirect(back)
    return JsonResponse(
        {
            "id": att.pk,
            "name": att.original_name,
            "url": reverse("tickets:attachment-download", args=[ticket.pk, att.pk]),
            "image": att.content_type in IMAGE_TYPES,
            "message": done,
        },
        status=201,
    )


@require_safe
def attachment_download(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int):
    """The file, to whoever may see the ticket (requester, its attendants, superusers), always as a
    download that the browser must not sniff; never through MEDIA_URL."""
    return attachment_file_response(attachment_get_for_user(request.user, ticket_pk=pk, pk=attachment_pk))


# --- opinion --------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_opinion(request: AuthenticatedHttpRequest, pk: int):
    """Register opinion (ticket Closed): Compliment or Complaint and a text; the author may edit it."""
    ticket, list_query, back_url = _action_context(request, pk)
    if not policies.can_register_opinion(request.user, ticket):
        return _refused(request, _not_available(ticket), back_url)
    existing = opinion_for_ticket(ticket)
    initial = {"kind": existing.kind, "text": existing.text} if existing else None
    form = OpinionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _opinion, created = opinion_save(ticket=ticket, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            return _refused(request, exc.message, back_url)
        messages.success(
            request,
            gettext("Thank you for your opinion.")
            if created
            else gettext("Your opinion was updated. Thank you."),
        )
        return redirect(back_url)
    return render(
        request,
        "tickets/opinion_form.html",
        {
            "ticket": ticket,
            "form": form,
            "existing": existing,
            "next": list_query,
            "back_url": back_url,
        },
    )


# --- satisfaction survey --------------------------------------------------------------------------


def _survey_page(
    request: AuthenticatedHttpRequest,
    ticket: Ticket,
    *,
    back_url: str,
    list_query: str,
    token=None,
    action_url: str,
):
    answered = survey_answer_for_ticket(ticket)
    if answered is not None:
        return _refused(
            request,
            gettext("The satisfaction survey of ticket %(number)s was already answered.")
            % {"number": ticket.number},
            back_url,
        )
    offer_reopen = survey_may_reopen(request.user, ticket)
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        choices=survey_choices(),
        offer_reopen=offer_reopen,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_answer(
                ticket=ticket,
                actor=request.user,
                evaluation=data["evaluation"],
                comment=data["comment"],
                reopen=data.get("reopen", False),
                token=token,
            )
        except (ActionRefused, TransitionError) as exc:
            return _refused(request, exc.message, back_url)
        if data.get("reopen"):
            messages.success(
                request,
                gettext("Thank you for answering the survey. Ticket %(number)s was reopened.")
                % {"number": ticket.number},
            )
        else:
            messages.success(request, gettext("Thank you for answering the satisfaction survey."))
        return redirect(back_url)
    return render(
        request,
        "tickets/survey_form.html",
        {
            "ticket": ticket,
            "form": form,
            "next": list_query,
            "back_url": back_url,
            "action_url": action_url,
            "offer_reopen": offer_reopen,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_survey(request: AuthenticatedHttpRequest, pk: int):
    """Satisfaction Survey (ticket Closed): one answer per ticket."""
    ticket, list_query, back_url = _action_context(request, pk)
    if not policies.can_answer_survey(request.user, ticket):
        return _refused(request, _not_available(ticket), back_url)
    return _survey_page(
        request,
        ticket,
        back_url=back_url,
        list_query=list_query,
        action_url=reverse("tickets:survey", args=[ticket.pk]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def survey_link_view(request: AuthenticatedHttpRequest, token: str):
    """The link of the resolution e-mail. Unknown, used or expired, or another user's: one page that
    shows no ticket data."""
    row = survey_token_lookup(token)
    if row is None or row.ticket.requester_id != request.user.pk:
        return render(request, "tickets/survey_link_invalid.html", status=410 if row is None else 404)
    ticket = ticket_get_for_requester(request.user, row.ticket_id)
    back_url = my_requests_url()
    if SurveyAnswer.objects.filter(ticket=ticket).exists():
        # Already answered (from My Requests): the link is spent, but a GET writes nothing.
        return render(request, "tickets/survey_link_invalid.html", status=410)
    if not policies.can_answer_survey(request.user, ticket):
        return render(request, "tickets/survey_link_waiting.html", {"ticket": ticket, "back_url": back_url})
    return _survey_page(
        request,
        ticket,
        back_url=back_url,
        list_query="",
        token=row,
        action_url=reverse("tickets:survey-link", kwargs={"token": token}),
    )


# --- messages -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_messages(request: AuthenticatedHttpRequest, pk: int):
    """Message (parameter 299, ticket captured): the conversation with the attendants."""
    ticket, list_query, back_url = _action_context(request, pk)
    if not policies.can_message(request.user, ticket):
        return _refused(request, _message_refusal(ticket), back_url)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            message_send(ticket=ticket, author=request.user, text=form.cleaned_data["text"])
        except MessageRefused as exc:
            return _refused(request, exc.message, back_url)
        messages.success(request, gettext("Message sent."))
        return redirect(reverse("tickets:message", args=[ticket.pk]) + policies.next_suffix(list_query))
    if request.method != "POST":
        messages_mark_read(ticket=ticket, reader=request.user)
    conversation = list(message_list(ticket=ticket))
    return render(
        request,
        "tickets/message_list.html",
        {
            "ticket": ticket,
            "form": form,
            "conversation": conversation,
            "next": list_query,
            "back_url": back_url,
            "poll_url": reverse("tickets:message-poll", args=[ticket.pk]),
            "last_id": conversation[-1].pk if conversation else 0,
            **image_panel(request.user, ticket, page="message"),
        },
    )


@require_safe
def ticket_messages_poll(request: AuthenticatedHttpRequest, pk: int):
    """JSON: the messages after ``?after=<id>`` (same access as the Message page)."""
    ticket = ticket_get_for_reader(request.user, pk)
    if not policies.can_message(request.user, ticket):
        raise Http404
    return messages_poll_response(request, ticket)
