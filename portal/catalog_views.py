"""The catalog in the portal (docs/domain.md): portfolios → services → activities, evaluations and the
request form. Views are thin: what is visible comes from catalog.selectors, writes from services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from catalog import selectors
from catalog.forms import EvaluationForm
from catalog.models import Activity, Portfolio
from catalog.services import service_evaluate
from core.exceptions import ApplicationError
from core.ids import parse_id
from knowledge.selectors import knowledge_for_service, knowledge_suggestions
from parameters import registry as r
from parameters.accessors import param
from tickets.access import copy_candidates
from tickets.forms import RequestForm
from tickets.services.opening import request_open, requests_unavailable_reason

from .selectors import portal_home_url, tickets_submitted_for_user
from .services import smartbox_item_add


@require_safe
def catalog_home(request: AuthenticatedHttpRequest):
    """The catalogs available in the portal, Business and Technical apart (docs/domain.md, element 8)."""
    portfolios = list(selectors.portfolio_list_visible(user=request.user))
    return render(
        request,
        "portal/home.html",
        {
            "business": [p for p in portfolios if p.type == Portfolio.Type.BUSINESS],
            "technical": [p for p in portfolios if p.type == Portfolio.Type.TECHNICAL],
        },
    )


@require_safe
def portfolio_detail(request: AuthenticatedHttpRequest, pk: int):
    portfolio = selectors.portfolio_get_visible(user=request.user, pk=pk)
    services = list(selectors.service_list_visible(user=request.user, portfolio=portfolio))
    return render(request, "catalog/portfolio_detail.html", {"portfolio": portfolio, "services": services})


def _service_page(request: AuthenticatedHttpRequest, service, form=None, status=200):
    activities = list(selectors.activity_list_visible(user=request.user, service=service))
    mine = selectors.evaluation_get_for_user(service=service, user=request.user)
    if form is None:
        form = EvaluationForm(initial={"stars": mine.stars, "review": mine.review} if mine else None)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "portfolio": service.portfolio,
            "requests": [a for a in activities if a.type == Activity.Type.REQUEST],
            "incidents": [a for a in activities if a.type == Activity.Type.INCIDENT],
            "evaluations": list(selectors.evaluation_list_for_service(service=service)),
            "knowledge": knowledge_for_service(user=request.user, service=service),
            "my_evaluation": mine,
            "evaluation_form": form,
            "can_open": not param(r.HIDE_NEW_REQUEST),
        },
        status=status,
    )


@require_safe
def service_detail(request: AuthenticatedHttpRequest, pk: int):
    return _service_page(request, selectors.service_get_visible(user=request.user, pk=pk))


@require_POST
def service_evaluation(request: AuthenticatedHttpRequest, pk: int):
    service = selectors.service_get_visible(user=request.user, pk=pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return _service_page(request, service, form=form, status=400)
    service_evaluate(service=service, user=request.user, **form.cleaned_data)
    messages.success(request, _("Thank you: your evaluation was saved."))
    return redirect(reverse("catalog:service", kwargs={"pk": service.pk}) + "#evaluations")


def _summary_url(tickets) -> str:
    return reverse("catalog:submitted") + "?" + urlencode([("t", t.pk) for t in tickets])


@require_http_methods(["GET", "HEAD", "POST"])
def activity_request(request: AuthenticatedHttpRequest, pk: int):
    """The activity's form: "Add and Finish" opens the ticket; "Add and Continue" (292) fills the Smartbox."""
    if param(r.HIDE_NEW_REQUEST):
        raise Http404
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    reason = requests_unavailable_reason()
    if reason:
        return render(request, "catalog/request_unavailable.html", {"activity": activity, "reason": reason})
    smartbox = param(r.SMARTBOX)
    # People in copy (issue 27): offered when the user has a unit (else no query for the field).
    candidates = copy_candidates(request.user) if request.user.unit_id is not None else None
    form = RequestForm(
        request.POST or None, request.FILES or None, activity=activity, copy_candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copies = list(data.get("copies") or ())
        fields = {
            "title": data["title"],
            "description": data["description"],
            "impact": data.get("impact"),
            "urgency": data.get("urgency"),
            "answers": form.records(),
        }
        to_smartbox = smartbox and request.POST.get("action") == "continue"
        try:
            if to_smartbox and copies:
                form.add_error(
                    "copies",
                    _("The Smartbox keeps no people in copy: use “Add and Finish” to send this request."),
                )
            elif to_smartbox and data["attachments"]:
                form.add_error(
                    "attachments",
                    _(
                        "The Smartbox keeps no attachments: use “Add and Finish” to send "
                        "files with this request."
                    ),
                )
            elif to_smartbox:
                smartbox_item_add(user=request.user, activity=activity, **fields)
                messages.success(
                    request, _("“%(title)s” was added to the Smartbox.") % {"title": data["title"]}
                )
                return redirect(portal_home_url(request.user))
            else:
                ticket = request_open(
                    user=request.user, activity=activity, files=data["attachments"], copies=copies, **fields
                )
                return redirect(_summary_url([ticket]))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error("attachments", exc.messages)
    return render(
        request,
        "catalog/request_form.html",
        {
            "activity": activity,
            "service": activity.service,
            "portfolio": activity.service.portfolio,
            "form": form,
            "smartbox": smartbox,
            # After a refused submission, articles for the description typed so far (while typing, the
            # browser asks knowledge:suggest); a GET has no text, so no query.
            "knowledge": knowledge_suggestions(
                user=request.user, text=request.POST.get("description", ""), service=activity.service
            ),
        },
    )


@require_safe
def request_summary(request: AuthenticatedHttpRequest):
    """After a submission: number, priority and time limit of each ticket created."""
    ids = [i for i in map(parse_id, request.GET.getlist("t")) if i][:50]
    tickets = list(tickets_submitted_for_user(user=request.user, ids=ids))
    if not tickets:
        raise Http404
    return render(request, "catalog/request_summary.html", {"tickets": tickets})
