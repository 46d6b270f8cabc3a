"""Active Campaigns in the portal: the list, a campaign's page (answer form or its state) and the
results. Who may see what is decided in campaigns/selectors.py, answering in campaigns/services.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.http import AuthenticatedHttpRequest
from core.clientip import client_ip
from core.csv_export import CsvExport
from core.exceptions import ApplicationError

from . import selectors
from .charts import bar_chart
from .forms import AnswerForm, yes_no_label
from .models import NO, RATING_VALUES, YES, Campaign, Question, Response, format_number
from .services import AnswerRefused, response_submit

COOKIE_SALT = "campaigns.answered"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _cookie_name(campaign: Campaign) -> str:
    return f"campaign-{campaign.key.hex}"


def _public_answered(request: HttpRequest, campaign: Campaign) -> bool:
    value = request.get_signed_cookie(_cookie_name(campaign), default=None, salt=COOKIE_SALT)
    return value is not None


def _client(request: HttpRequest) -> str:
    """The address the Public rate limit counts (core/clientip.py)."""
    return client_ip(request) or "unknown"


@require_safe
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Active Campaigns (docs/domain.md, element 13): the Global campaigns open to the user, answered
    ones marked."""
    page_obj = Paginator(
        selectors.campaign_list_active(user=request.user), selectors.CAMPAIGNS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request, "campaigns/campaign_list.html", {"page_obj": page_obj, "campaigns": page_obj.object_list}
    )


def _answered(request: HttpRequest, campaign: Campaign) -> tuple[Response | None, bool]:
    """This person's response (None on a public campaign, which keeps no person) and whether the
    campaign is answered: by the response, or by this browser's cookie on a public campaign."""
    if campaign.is_public:
        return None, _public_answered(request, campaign)
    response = selectors.campaign_response_of(user=request.user, campaign=campaign)
    return response, response is not None


def _answered_redirect(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    """Back to the campaign's page after an answer; a public campaign remembers this browser."""
    reply = redirect(campaign.get_absolute_url())
    if campaign.is_public:
        reply.set_signed_cookie(
            _cookie_name(campaign),
            "1",
            salt=COOKIE_SALT,
            max_age=COOKIE_MAX_AGE,
            path=campaign.get_absolute_url(),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return reply


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A campaign's page (its Link): the form while it is open and not yet answered, else what it is
    (opens on …, closed, answered). A refused answer stores nothing and says why."""
    campaign = selectors.campaign_get_by_key(key=key)
    user = request.user
    if not campaign.is_public and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    may_answer = selectors.campaign_may_answer(user=user, campaign=campaign)
    may_manage = selectors.may_manage_campaigns(user)
    if not may_answer and not may_manage:
        raise Http404
    response_of_user, answered = _answered(request, campaign)
    state = campaign.state_at(timezone.now())
    form = None
    status = 200
    if may_answer and not answered and state == Campaign.State.OPEN:
        questions = selectors.questionnaire_questions(questionnaire_id=campaign.questionnaire_id)
        form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
        if request.method == "POST":
            if form.is_valid():
                try:
                    response_submit(
                        campaign=campaign, user=user, answers=form.answers(), client=_client(request)
                    )
                except AnswerRefused as exc:
                    messages.error(request, exc.message)
                    form, status = None, 409
                    if exc.reason == "answered":
                        response_of_user = selectors.campaign_response_of(user=user, campaign=campaign)
                        answered = True
                    elif exc.reason != "rate":
                        campaign.refresh_from_db()
                        state = campaign.state_at(timezone.now())
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                    status = 400
                else:
                    messages.success(request, _("Thank you: your answer was saved."))
                    return _answered_redirect(request, campaign)
            else:
                status = 400
    elif request.method == "POST":
        # Not open, already answered or not for this person: nothing is stored, the page says why.
        status = 409
        if answered:
            messages.error(request, _("You have already answered this campaign."))
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "state": state,
            "State": Campaign.State,
            "form": form,
            "answered": answered,
            "response_of_user": response_of_user,
            "may_answer": may_answer,
            "may_see_results": may_manage or selectors.campaign_may_see_results(user=user, campaign=campaign),
        },
        status=status,
    )


def _chart_items(question: Question, counts: dict[str, int]) -> list[tuple[str, int]]:
    K = Question.Kind
    if question.kind == K.RATING:
        return [(str(v), counts.get(str(v), 0)) for v in RATING_VALUES]
    if question.kind == K.YES_NO:
        return [(yes_no_label(v), counts.get(v, 0)) for v in (YES, NO)]
    known = question.choice_list
    items = [(c, counts.get(c, 0)) for c in known]
    items += [(c, n) for c, n in counts.items() if c not in known]  # choices removed since
    return items


@require_safe
def campaign_results(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Results for the interested groups/users and administrators: answers over time, a chart per
    question with choices, averages of ratings and numbers, the latest text answers."""
    campaign = selectors.campaign_get_for_results(user=request.user, key=key)
    data = selectors.campaign_results(campaign=campaign)
    per_day = bar_chart(
        [(formats.date_format(row["day"], "SHORT_DATE_FORMAT"), row["n"]) for row in data["per_day"]],
        title=_("Answers per day"),
    )
    blocks: list[dict[str, Any]] = []
    for q in data["questions"]:
        stats = data["stats"].get(q.pk, {})
        block: dict[str, Any] = {"question": q, "answered": stats.get("n", 0)}
        if q.kind in Question.CHART_KINDS:
            total = block["answered"] if q.kind == Question.Kind.MULTIPLE_CHOICE else None
            block["chart_id"] = f"chart-question-{q.pk}"
            block["chart"] = bar_chart(
                _chart_items(q, data["counts"].get(q.pk, {})), title=q.text, total=total
            )
        if q.kind in Question.AVERAGE_KINDS and stats.get("avg") is not None:
            block["average"] = formats.number_format(round(stats["avg"], 2), decimal_pos=2, use_l10n=True)
        if q.kind in Question.TEXT_KINDS:
            block["texts"] = data["latest_texts"].get(q.pk, [])
        blocks.append(block)
    return render(
        request,
        "campaigns/campaign_results.html",
        {"campaign": campaign, "per_day": per_day, "blocks": blocks, "shows_who": campaign.shows_who},
    )


@require_safe
def campaign_text_answers(request: AuthenticatedHttpRequest, key: str, question_id: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_results(user=request.user, key=key)
    question, page_obj = selectors.text_answers_page(
        campaign=campaign, question_id=question_id, page=request.GET.get("page")
    )
    return render(
        request,
        "campaigns/text_answers.html",
        {"campaign": campaign, "question": question, "page_obj": page_obj, "shows_who": campaign.shows_who},
    )


RESULTS_CSV = CsvExport("campaigns.results")


def _csv_rows(campaign: Campaign, questions: list[Question]) -> Iterator[list[str]]:
    """The header, then one row per response; core.csv_export neutralises every cell."""
    head = [_("Answer"), _("Answered on")]
    if campaign.shows_who:
        head += [_("User name"), _("Name")]
    yield head + [q.text for q in questions]
    tz = timezone.get_current_timezone()
    yes_no = {q.pk for q in questions if q.kind == Question.Kind.YES_NO}
    for response in selectors.campaign_responses_for_export(campaign=campaign).iterator(chunk_size=500):
        values: dict[int, list[str]] = {}
        for a in response.answers.all():
            if a.number is not None:
                text = format_number(a.number)
            elif a.date is not None:
                text = a.date.isoformat()
            elif a.question_id in yes_no:
                text = yes_no_label(a.choice)
            else:
                text = a.choice or a.text
            values.setdefault(a.question_id, []).append(text)
        row = [str(response.pk), timezone.localtime(response.created_at, tz).strftime("%Y-%m-%d %H:%M")]
        if campaign.shows_who:
            row += [response.user.username, response.user.display_name] if response.user else ["", ""]
        yield row + ["; ".join(values.get(q.pk, [])) for q in questions]


@require_safe
def campaign_results_csv(request: AuthenticatedHttpRequest, key: str) -> StreamingHttpResponse:
    """All the answers, one row per person, one column per question (core.csv_export.CsvExport)."""
    campaign = selectors.campaign_get_for_results(user=request.user, key=key)
    questions = [
        q
        for q in selectors.questionnaire_questions(questionnaire_id=campaign.questionnaire_id)
        if q.is_question
    ]
    return RESULTS_CSV.response(
        _csv_rows(campaign, questions), filename=f"campaign-{campaign.pk}-answers.csv"
    )
