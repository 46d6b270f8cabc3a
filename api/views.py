"""The REST API v1 (README, "API"): a second face of the portal's services, never a second set of
rules. Each endpoint reads through the apps' selectors and the access gate (tickets/access.py:
another user's ticket is a 404, as on the pages), decides with the same policies
(tickets/policies.py) and their refusal messages, validates with the pages' forms (the same field
names and messages) and writes through the same services. The personal-token pages of the portal
are here too (their own app's pages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedHttpRequest
from approvals.forms import DecisionForm
from approvals.selectors import approval_list_for_user, approver_scope, ticket_get_for_approver
from approvals.services import OwnRequestRefused, approval_decide
from campaigns.forms import AnswerForm
from campaigns.models import Campaign
from campaigns.selectors import (
    campaign_get_by_key,
    campaign_list_active,
    campaign_may_answer,
    campaign_response_of,
    may_manage_campaigns,
    questionnaire_questions,
)
from campaigns.services import REFUSALS, AnswerRefused, response_submit
from catalog.selectors import (
    activity_get_visible,
    activity_list_visible,
    portfolio_get_visible,
    portfolio_list_visible,
    service_get_visible,
    service_list_visible,
)
from core.clientip import client_ip
from core.exceptions import ApplicationError
from core.ids import parse_id
from knowledge.selectors import ArticleFilters, article_get_visible, article_search
from news.selectors import NewsFilters, news_get_published, news_search
from notifications.selectors import Filter as NotificationFilter
from notifications.selectors import notification_get_visible, notification_list_for_page
from notifications.services import notification_confirm
from occurrences.forms import OccurrenceForm
from occurrences.services import occurrence_register
from parameters import registry as r
from parameters.accessors import param
from tickets import policies
from tickets.access import (
    ACTION_RELATED,
    is_requester,
    ticket_get_for_reader,
    tickets_of_requester,
    tickets_shared_with,
)
from tickets.downloads import attachment_file_response
from tickets.forms import (
    AttachmentForm,
    MessageForm,
    MyRequestsFilterForm,
    OpinionForm,
    ReasonForm,
    RequestForm,
    SurveyForm,
)
from tickets.policies import own_request_barred
from tickets.selectors import (
    SORT_FIELDS,
    attachment_get_for_user,
    attachment_list_for_ticket,
    message_list,
    occurrence_list_for_ticket,
    ticket_list_for_requester,
    ticket_list_shared_with,
)
from tickets.services.attachments import attachment_add
from tickets.services.feedback import opinion_save, survey_answer, survey_choices, survey_may_reopen
from tickets.services.messages import message_send, messages_mark_read
from tickets.services.opening import request_open, requests_unavailable_reason
from tickets.services.transitions import ticket_cancel, ticket_reopen

from . import serializers as s
from .exceptions import Invalid, Refused
from .forms import ApiTokenForm
from .pagination import cursor_decode, cursor_encode, keyset_page
from .selectors import token_list_for_user
from .services import api_token_create, api_token_revoke

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Invalid input"),
    401: OpenApiResponse(s.ErrorSerializer, description="Not authenticated"),
    403: OpenApiResponse(s.ErrorSerializer, description="CSRF or permission"),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found (or another user's)"),
    409: OpenApiResponse(s.ErrorSerializer, description="Refused by a rule of the portal"),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests (see Retry-After)"),
}
SUPPORTED = {code.lower() for code, _name in settings.LANGUAGES}


# What a sub-resource's check of its ticket needs: the ticket's row and its responsible (a LEFT JOIN;
# an empty tuple would make ``select_related()`` follow every foreign key).
MINIMAL = ("responsible",)


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {c: ERRORS[c] for c in (401, 429, *codes)}


def _requested_language(request: Request) -> str | None:
    """The first language of ``Accept-Language`` the portal speaks (pt-BR, en, es), or None."""
    for code, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        code = code.lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in SUPPORTED:
                return candidate
            if candidate == "pt":
                return "pt-br"
    return None


class ApiView(APIView):
    """Every endpoint: the language of ``Accept-Language``, else the user's preferred one, else the
    portal's default, for the messages of the answer (errors included). Bodies are JSON (a file
    upload is multipart: its view says so)."""

    parser_classes = [JSONParser]

    def perform_authentication(self, request):
        super().perform_authentication(request)
        user = request.user
        lang = _requested_language(request) or (
            getattr(user, "preferred_language", "") if user.is_authenticated else ""
        )
        if lang:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers.setdefault("Content-Language", translation.get_language() or "en")
        return response


def _form_data(request: Request, types: type[serializers.Serializer]) -> dict[str, Any]:
    """The body, its JSON types checked by ``types`` (a list where a text is expected is a 400), for
    the page's form to validate with its own rules and messages."""
    checked = types(data=request.data, partial=True)  # what is required: the form says
    if not checked.is_valid():
        raise Invalid(checked.errors)
    return {k: v for k, v in checked.validated_data.items() if k in request.data}


def _valid(form):
    if not form.is_valid():
        raise Invalid(form.errors)
    return form.cleaned_data


# --- me -------------------------------------------------------------------------------------------


class MeView(ApiView):
    @extend_schema(responses={200: s.MeSerializer, **_errors()}, summary="The authenticated user")
    def get(self, request):
        user = request.user
        return Response(s.MeSerializer(user, context={"language": translation.get_language()}).data)


# --- my tickets -----------------------------------------------------------------------------------


class TicketListView(ApiView):
    @extend_schema(
        operation_id="tickets_list",
        summary="My tickets (My Requests): filters, sort, search, keyset pages",
        parameters=s.list_parameters(),
        responses={200: s.TicketPageSerializer, **_errors(400)},
    )
    def get(self, request):
        _check_list_query(request.query_params)
        form = MyRequestsFilterForm.from_query(
            request.query_params, preselect_in_progress=param(r.PRESELECT_IN_PROGRESS)
        )
        filters = form.to_filters()
        after = cursor_decode(request.query_params.get("cursor"))
        # "Shared with me" (scope=shared) as on the page: the same selectors and access gate.
        if filters.shared:
            qs, anchor = ticket_list_shared_with(request.user, filters), tickets_shared_with(request.user)
        else:
            qs, anchor = ticket_list_for_requester(request.user, filters), tickets_of_requester(request.user)
        rows, next_pk = keyset_page(
            qs,
            field=SORT_FIELDS[filters.sort],
            ascending=filters.order == "asc",
            size=form.page_size,
            after=after,
            anchor_qs=anchor.with_sla_status(),
        )
        if not filters.shared:
            for row in rows:  # their own: the requester is the user (no join, no query)
                row.requester = request.user
        next_url = None
        if next_pk is not None:
            query = request.query_params.copy()
            query["cursor"] = cursor_encode(next_pk)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": s.TicketSerializer(rows, many=True).data, "next": next_url})


def _check_list_query(query) -> None:
    """A value the list's form refuses is a 400 here (the page silently falls back to its default:
    a bookmark must keep working; a client should learn of its mistake)."""
    errors = {}
    for name, field in MyRequestsFilterForm.base_fields.items():
        if name in query:
            if query[name] == "" and name != "search":
                errors[name] = [_("Choose one of the values listed.")]
                continue
            try:
                field.clean(query[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise Invalid(errors)


def _ticket_actions(user, ticket) -> dict[str, bool]:
    return {
        "register_occurrence": policies.can_register_occurrence(user, ticket),
        "view_occurrences": policies.can_view_occurrences(user, ticket),
        "message": policies.can_message(user, ticket),
        "change_attachments": policies.can_change_attachments(user, ticket),
        "cancel": policies.can_cancel(user, ticket),
        "reopen": policies.can_reopen(user, ticket),
    }


def _detail(request: Request, pk: int, *, status_code: int = 200) -> Response:
    ticket = ticket_get_for_reader(request.user, pk)
    context = {
        "show_solution": param(r.SHOW_SOLUTION) and bool(ticket.solution),
        "actions": _ticket_actions(request.user, ticket),
    }
    return Response(s.TicketDetailSerializer(ticket, context=context).data, status=status_code)


class TicketDetailView(ApiView):
    @extend_schema(
        summary="One of my tickets, or one shared with me",
        responses={200: s.TicketDetailSerializer, **_errors(404)},
    )
    def get(self, request, pk: int):
        return _detail(request, pk)


# --- occurrences (parameters 298, 252; 262/263 lock category/origin; 253 the responsible's e-mail) --


class TicketOccurrencesView(ApiView):
    @extend_schema(
        summary="The ticket's last public occurrences (parameter 298)",
        responses={200: s.OccurrenceSerializer(many=True), **_errors(404)},
    )
    def get(self, request, pk: int):
        ticket = ticket_get_for_reader(request.user, pk, sla_status=False, related=MINIMAL)
        if not policies.can_view_occurrences(request.user, ticket):
            raise Refused(policies.not_available_refusal(ticket))
        occurrences = occurrence_list_for_ticket(user=request.user, ticket=ticket)
        return Response(s.OccurrenceSerializer(occurrences, many=True).data)

    @extend_schema(
        summary="Register an occurrence (parameter 252, ticket In Progress)",
        request=s.OccurrenceInputSerializer,
        responses={201: s.OccurrenceSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        # The service reads the ticket under its lock: another user's (or a missing one) is its 404; an
        # invalid body is a 400 for either alike, so nothing tells them apart.
        data = _valid(OccurrenceForm(_form_data(request, s.OccurrenceInputSerializer)))
        occurrence = occurrence_register(ticket_id=pk, actor=request.user, **data)
        return Response(s.OccurrenceSerializer(occurrence).data, status=status.HTTP_201_CREATED)


# --- messages (parameter 299, ticket captured) ------------------------------------------------------


class TicketMessagesView(ApiView):
    def _ticket(self, request, pk):
        ticket = ticket_get_for_reader(request.user, pk, sla_status=False, related=("responsible",))
        if not policies.can_message(request.user, ticket):
            raise Refused(policies.message_refusal(ticket))
        return ticket

    @extend_schema(
        summary="The ticket's conversation (marks the attendants' messages read, as the page does)",
        responses={200: s.MessageSerializer(many=True), **_errors(404, 409)},
    )
    def get(self, request, pk: int):
        ticket = self._ticket(request, pk)
        messages_mark_read(ticket=ticket, reader=request.user)
        rows = message_list(ticket=ticket)
        return Response(
            s.MessageSerializer(rows, many=True, context={"requester_id": ticket.requester_id}).data
        )

    @extend_schema(
        summary="Send a message",
        request=s.MessageInputSerializer,
        responses={201: s.MessageSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        ticket = self._ticket(request, pk)
        data = _valid(MessageForm(_form_data(request, s.MessageInputSerializer)))
        message = message_send(ticket=ticket, author=request.user, text=data["text"])
        context = {"requester_id": ticket.requester_id}
        return Response(s.MessageSerializer(message, context=context).data, status=status.HTTP_201_CREATED)


# --- attachments ----------------------------------------------------------------------------------


def _attachment_context(request: Request, ticket) -> dict:
    def download(a) -> str:
        return request.build_absolute_uri(reverse("api:ticket-attachment", args=[ticket.pk, a.pk]))

    return {"download": download}


class TicketAttachmentsView(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="The ticket's files", responses={200: s.AttachmentSerializer(many=True), **_errors(404)}
    )
    def get(self, request, pk: int):
        ticket = ticket_get_for_reader(request.user, pk, sla_status=False, related=MINIMAL)
        rows = attachment_list_for_ticket(ticket)
        return Response(
            s.AttachmentSerializer(rows, many=True, context=_attachment_context(request, ticket)).data
        )

    @extend_schema(
        summary="Attach a file (multipart/form-data, field file; ticket not final)",
        request={"multipart/form-data": s.AttachmentInputSerializer},
        responses={201: s.AttachmentSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        ticket = ticket_get_for_reader(request.user, pk, sla_status=False, related=MINIMAL)
        if not policies.can_change_attachments(request.user, ticket):
            raise Refused(policies.attachments_locked_refusal(ticket))
        data = _valid(AttachmentForm(request.POST, request.FILES))
        attachment = attachment_add(ticket=ticket, file=data["file"], actor=request.user)
        context = _attachment_context(request, ticket)
        return Response(
            s.AttachmentSerializer(attachment, context=context).data, status=status.HTTP_201_CREATED
        )


class AnyContent(BaseContentNegotiation):
    """A download answers with the file's own type whatever the client accepts; errors in JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TicketAttachmentDownloadView(ApiView):
    content_negotiation_class = AnyContent

    @extend_schema(
        summary="Download a file (whoever may see the ticket, as on the pages)",
        responses={(200, "application/octet-stream"): bytes, **_errors(404)},
    )
    def get(self, request, pk: int, attachment_pk: int):
        return attachment_file_response(attachment_get_for_user(request.user, ticket_pk=pk, pk=attachment_pk))


# --- opinion and satisfaction survey (ticket Closed; tickets/services/feedback.py) -------------------


class TicketOpinionView(ApiView):
    @extend_schema(
        summary="Register or edit my opinion (Compliment / Complaint) on a Closed ticket",
        request=s.OpinionInputSerializer,
        responses={200: s.OpinionSerializer, 201: s.OpinionSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        ticket = ticket_get_for_reader(request.user, pk, sla_status=False, related=MINIMAL)
        if not policies.can_register_opinion(request.user, ticket):
            raise Refused(policies.not_available_refusal(ticket))
        data = _valid(OpinionForm(_form_data(request, s.OpinionInputSerializer)))
        opinion, created = opinion_save(
            ticket=ticket, actor=request.user, kind=data["kind"], text=data["text"]
        )
        return Response(s.OpinionSerializer(opinion).data, status=201 if created else 200)


class TicketSurveyView(ApiView):
    @extend_schema(
        summary="Answer the satisfaction survey of a Closed ticket (once)",
        request=s.SurveyInputSerializer,
        responses={201: s.SurveyAnswerSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        ticket = ticket_get_for_reader(request.user, pk, sla_status=False, related=ACTION_RELATED)
        if not policies.can_answer_survey(request.user, ticket):
            raise Refused(policies.not_available_refusal(ticket))
        form = SurveyForm(
            _form_data(request, s.SurveyInputSerializer),
            choices=survey_choices(),
            offer_reopen=survey_may_reopen(request.user, ticket),
        )
        data = _valid(form)
        answer = survey_answer(
            ticket=ticket,
            actor=request.user,
            evaluation=data["evaluation"],
            comment=data["comment"],
            reopen=data.get("reopen", False),
        )
        return Response(s.SurveyAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


# --- actions: cancel (parameter 302), reopen (parameter 171) ---------------------------------------


class _TransitionView(ApiView):
    policy: Any
    refusal: Any
    service: Any

    def post(self, request, pk: int):
        ticket = ticket_get_for_reader(request.user, pk)
        if not type(self).policy(request.user, ticket):
            if not is_requester(request.user, ticket):  # a shared reader: the page's message
                raise Refused(policies.requester_only_refusal())
            raise Refused(type(self).refusal(ticket))
        data = _valid(ReasonForm(_form_data(request, s.ReasonInputSerializer)))
        type(self).service(ticket=ticket, actor=request.user, reason=data["reason"])
        return _detail(request, pk)


TRANSITION_RESPONSES: dict = {200: s.TicketDetailSerializer, **_errors(400, 403, 404, 409)}


class TicketCancelView(_TransitionView):
    policy = staticmethod(policies.can_cancel)
    refusal = staticmethod(policies.cancel_refusal)
    service = staticmethod(ticket_cancel)

    @extend_schema(
        summary="Cancel the request (parameter 302; not final)",
        request=s.ReasonInputSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketReopenView(_TransitionView):
    policy = staticmethod(policies.can_reopen)
    refusal = staticmethod(policies.reopen_refusal)
    service = staticmethod(ticket_reopen)

    @extend_schema(
        summary="Reopen the request (Closed no more than parameter 171 days ago)",
        request=s.ReasonInputSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


@csrf_exempt  # it changes nothing, whatever the method
def not_found(request, *args, **kwargs):
    """An unknown path under /api/v1/ (an id the converter refuses included)."""
    from rest_framework.exceptions import NotFound

    body = {"detail": str(NotFound.default_detail), "code": "not_found", "fields": {}}
    return JsonResponse(body, status=404)


# --- the portal's pages: personal access tokens (user menu, "API tokens") -------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def token_list_view(request: AuthenticatedHttpRequest):
    """The user's tokens; a new one's secret is shown on this answer only (never stored in clear)."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["expires_in"]
        )
        form = ApiTokenForm()
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": list(token_list_for_user(request.user)), "secret": secret},
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, pk: int):
    token = api_token_revoke(user=request.user, pk=pk)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api:tokens")


# --- lists paged by keys (notifications, news) ---------------------------------------------------


def _page(request: Request, qs, *, field: str, serializer, size: int = 20, context=None) -> Response:
    """Newest first by ``field`` then id, ``?cursor=`` from the previous answer's ``next``."""
    rows, next_pk = keyset_page(
        qs,
        field=field,
        ascending=False,
        size=size,
        after=cursor_decode(request.query_params.get("cursor")),
        anchor_qs=qs,
    )
    next_url = None
    if next_pk is not None:
        query = request.query_params.copy()
        query["cursor"] = cursor_encode(next_pk)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return Response({"results": serializer(rows, many=True, context=context or {}).data, "next": next_url})


def _choice(request: Request, name: str, choices, default):
    value = request.query_params.get(name, default)
    if value not in choices:
        raise Invalid({name: [_("Choose one of the values listed.")]})
    return value


def _id_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = parse_id(raw)
    if value is None:
        raise Invalid({name: [_("Enter a whole number.")]})
    return value


CURSOR = OpenApiParameter("cursor", str, description="The cursor of the previous answer's next.")


# --- catalog (parameter 293: visibility by group) ------------------------------------------------


class PortfolioListView(ApiView):
    @extend_schema(
        summary="Portfolios visible to me", responses={200: s.PortfolioSerializer(many=True), **_errors()}
    )
    def get(self, request):
        return Response(s.PortfolioSerializer(portfolio_list_visible(user=request.user), many=True).data)


class ServiceListView(ApiView):
    @extend_schema(
        summary="Services visible to me (of one portfolio with ?portfolio=)",
        parameters=[OpenApiParameter("portfolio", int)],
        responses={200: s.ServiceSerializer(many=True), **_errors(400, 404)},
    )
    def get(self, request):
        pk = _id_param(request, "portfolio")
        portfolio = None if pk is None else portfolio_get_visible(user=request.user, pk=pk)
        rows = service_list_visible(user=request.user, portfolio=portfolio)
        return Response(s.ServiceSerializer(rows, many=True).data)


class ActivityListView(ApiView):
    @extend_schema(
        summary="Activities (requests, incidents) visible to me (of one service with ?service=)",
        parameters=[OpenApiParameter("service", int)],
        responses={200: s.ActivitySerializer(many=True), **_errors(400, 404)},
    )
    def get(self, request):
        pk = _id_param(request, "service")
        service = None if pk is None else service_get_visible(user=request.user, pk=pk)
        rows = activity_list_visible(user=request.user, service=service)
        return Response(s.ActivitySerializer(rows, many=True).data)


# --- notifications ---------------------------------------------------------------------------------


class NotificationListView(ApiView):
    @extend_schema(
        operation_id="notifications_list",
        summary="My notifications, newest first",
        parameters=[
            OpenApiParameter("show", str, enum=[k for k, _label in NotificationFilter.CHOICES]),
            CURSOR,
        ],
        responses={200: s.NotificationPageSerializer, **_errors(400)},
    )
    def get(self, request):
        show = _choice(request, "show", dict(NotificationFilter.CHOICES), NotificationFilter.ALL)
        qs = notification_list_for_page(user=request.user, show=show)
        return _page(request, qs, field="starts_at", serializer=s.NotificationSerializer)


class NotificationConfirmView(ApiView):
    @extend_schema(
        summary="Mark as read (a notification that requires confirmation)",
        request=None,
        responses={200: s.NotificationSerializer, **_errors(403, 404, 409)},
    )
    def post(self, request, pk: int):
        notification = notification_get_visible(user=request.user, pk=pk)
        notification_confirm(notification=notification, user=request.user)
        notification = notification_get_visible(user=request.user, pk=pk)
        return Response(s.NotificationSerializer(notification).data)


# --- news --------------------------------------------------------------------------------------------


class NewsListView(ApiView):
    @extend_schema(
        operation_id="news_list",
        summary="Published news, newest first",
        parameters=[OpenApiParameter("search", str), OpenApiParameter("category", int), CURSOR],
        responses={200: s.NewsPageSerializer, **_errors(400)},
    )
    def get(self, request):
        filters = NewsFilters(
            text=request.query_params.get("search", "")[:200], category=_id_param(request, "category")
        )
        qs = news_search(user=request.user, filters=filters)
        return _page(request, qs, field="published_at", serializer=s.NewsSerializer)


class NewsDetailView(ApiView):
    @extend_schema(summary="A published news item", responses={200: s.NewsSerializer, **_errors(404)})
    def get(self, request, pk: int):
        return Response(s.NewsSerializer(news_get_published(user=request.user, pk=pk)).data)


# --- approvals (approvals/services.py: the one decision) ------------------------------------------


class ApprovalListView(ApiView):
    @extend_schema(
        operation_id="approvals_list",
        summary="Tickets awaiting my decision (or a substituted member's), with My Requests' search and sort",
        parameters=[p for p in s.list_parameters() if p.name != "situation"],
        responses={200: s.ApprovalPageSerializer, **_errors(400)},
    )
    def get(self, request):
        _check_list_query(request.query_params)
        form = MyRequestsFilterForm.from_query(request.query_params, preselect_in_progress=False)
        filters = form.to_filters()
        scope = approver_scope(request.user)
        qs = approval_list_for_user(request.user, scope, filters)
        rows, next_pk = keyset_page(
            qs,
            field=SORT_FIELDS[filters.sort],
            ascending=filters.order == "asc",
            size=form.page_size,
            after=cursor_decode(request.query_params.get("cursor")),
            anchor_qs=qs,
        )
        next_url = None
        if next_pk is not None:
            query = request.query_params.copy()
            query["cursor"] = cursor_encode(next_pk)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        def barred(ticket) -> bool:
            return own_request_barred(request.user, ticket)

        data = s.ApprovalSerializer(rows, many=True, context={"barred": barred}).data
        return Response({"results": data, "next": next_url})


class ApprovalDecideView(ApiView):
    @extend_schema(
        summary="Approve or not approve (Observations; Justification and complement when not approved)",
        request=s.DecisionInputSerializer,
        responses={200: s.DecisionSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        ticket = ticket_get_for_approver(request.user, pk)
        if own_request_barred(request.user, ticket):
            raise PermissionDenied(OwnRequestRefused(ticket).message)
        types = s.DecisionInputSerializer(data=request.data, partial=True)
        if not types.is_valid():
            raise Invalid(types.errors)
        form = DecisionForm({k: v for k, v in request.data.items() if k in types.fields})
        cd = _valid(form)
        decision = approval_decide(
            ticket_id=ticket.pk,
            actor=request.user,
            approved=form.approved,
            observations=cd["observations"],
            justification=cd["justification"],
            justification_complement=cd["justification_complement"],
        )
        return Response(s.DecisionSerializer(decision).data)


# --- knowledge (knowledge/selectors.py: visibility by the articles' services) -------------------------


class ArticleListView(ApiView):
    @extend_schema(
        operation_id="knowledge_articles_list",
        summary="Search the knowledge articles I may read, newest first",
        parameters=[OpenApiParameter("search", str), OpenApiParameter("category", int), CURSOR],
        responses={200: s.ArticlePageSerializer, **_errors(400)},
    )
    def get(self, request):
        filters = ArticleFilters(
            text=request.query_params.get("search", "")[:200], category=_id_param(request, "category")
        )
        qs = article_search(user=request.user, filters=filters)
        return _page(request, qs, field="published_at", serializer=s.ArticleSerializer)


class ArticleDetailView(ApiView):
    @extend_schema(summary="A knowledge article", responses={200: s.ArticleDetailSerializer, **_errors(404)})
    def get(self, request, pk: int):
        return Response(s.ArticleDetailSerializer(article_get_visible(user=request.user, pk=pk)).data)


# --- opening a request (tickets/services/opening.py, as the catalog's "Add and Finish") -------------


class ActivityRequestView(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Open a request or an incident of an activity (multipart; files in attachments)",
        request={"multipart/form-data": s.RequestInputSerializer},
        responses={201: s.TicketDetailSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        if param(r.HIDE_NEW_REQUEST):
            raise Http404  # as the page: the request forms are gone
        activity = activity_get_visible(user=request.user, pk=pk)
        reason = requests_unavailable_reason()
        if reason:
            raise Refused(reason)
        form = RequestForm(request.POST, request.FILES, activity=activity)
        data = _valid(form)  # the activity's questions too: q<id> fields, required ones checked
        try:
            ticket = request_open(
                user=request.user,
                activity=activity,
                title=data["title"],
                description=data["description"],
                impact=data.get("impact"),
                urgency=data.get("urgency"),
                files=data["attachments"],
                answers=form.records(),
            )
        except ValidationError as exc:
            raise Invalid({"attachments": exc.messages}) from exc
        return _detail(request, ticket.pk, status_code=status.HTTP_201_CREATED)


# --- campaigns ------------------------------------------------------------------------------------


class CampaignListView(ApiView):
    @extend_schema(
        operation_id="campaigns_list",
        summary="Active campaigns open to me (Global), the answered ones marked; closing soonest first",
        parameters=[CURSOR],
        responses={200: s.CampaignPageSerializer, **_errors(400)},
    )
    def get(self, request):
        qs = campaign_list_active(user=request.user)
        rows, next_pk = keyset_page(
            qs,
            field="ends_at",
            ascending=True,
            size=20,
            after=cursor_decode(request.query_params.get("cursor")),
            anchor_qs=qs,
        )
        next_url = None
        if next_pk is not None:
            query = request.query_params.copy()
            query["cursor"] = cursor_encode(next_pk)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": s.CampaignSerializer(rows, many=True).data, "next": next_url})


def _campaign_for(request: Request, key) -> tuple[Campaign, bool]:
    """The campaign and whether the user may answer it, by the campaign page's rule
    (campaigns/views.py ``campaign_detail``): the people it is for and the campaigns' administrators
    see it; anybody else gets the 404 of a missing campaign."""
    campaign = campaign_get_by_key(key=key)
    may_answer = campaign_may_answer(user=request.user, campaign=campaign)
    if not may_answer and not may_manage_campaigns(request.user):
        raise Http404
    return campaign, may_answer


class CampaignDetailView(ApiView):
    @extend_schema(
        operation_id="campaigns_retrieve",
        summary="A campaign: its state, whether I answered it, and its questions (answer fields q<id>)",
        responses={200: s.CampaignDetailSerializer, **_errors(404)},
    )
    def get(self, request, key):
        campaign, _may_answer = _campaign_for(request, key)
        answered = campaign_response_of(user=request.user, campaign=campaign) is not None
        questions = questionnaire_questions(questionnaire_id=campaign.questionnaire_id)
        context = {"answered": answered, "state": campaign.state_at(timezone.now()), "questions": questions}
        return Response(s.CampaignDetailSerializer(campaign, context=context).data)


def _answer_types(form: AnswerForm) -> type[serializers.Serializer]:
    """The JSON types of the answer fields (a list for a multiple choice, a text for the others), so
    that a wrong type is a 400 before the page's form validates the values with its own messages."""
    fields: dict[str, serializers.Field] = {
        name: (
            serializers.ListField(child=serializers.CharField(allow_blank=True))
            if isinstance(field, forms.MultipleChoiceField)
            else serializers.CharField(allow_blank=True, trim_whitespace=False)
        )
        for name, field in form.fields.items()
    }
    return type("AnswerInput", (serializers.Serializer,), fields)


class CampaignAnswerView(ApiView):
    @extend_schema(
        operation_id="campaigns_answer",
        summary="Answer a campaign (once): the fields q<id> of its questions, as the campaign's page",
        request={"application/json": s.CAMPAIGN_ANSWER_SCHEMA},
        responses={201: s.CampaignAnswerSerializer, **_errors(400, 404, 409)},
    )
    def post(self, request, key):
        campaign, may_answer = _campaign_for(request, key)
        user = request.user
        if not may_answer:
            raise Http404  # an administrator the campaign is not for: nothing to answer
        if campaign_response_of(user=user, campaign=campaign) is not None:
            raise Refused(_("You have already answered this campaign."))
        state = campaign.state_at(timezone.now())
        if state != Campaign.State.OPEN:
            raise Refused(REFUSALS[state]())
        questions = questionnaire_questions(questionnaire_id=campaign.questionnaire_id)
        types = _answer_types(AnswerForm(questions=questions))
        form = AnswerForm(_form_data(request, types), questions=questions)
        _valid(form)
        try:
            response_submit(
                campaign=campaign, user=user, answers=form.answers(), client=client_ip(request) or "unknown"
            )
        except AnswerRefused:
            raise  # a 409 with the service's message (the exception handler)
        except ApplicationError as exc:
            raise Invalid({"non_field_errors": [exc.message]}) from exc
        return Response({"key": campaign.key, "answered": True}, status=status.HTTP_201_CREATED)
