"""Campaign reads: who may open a campaign's page, answer it and see its results, and what the
Active Campaigns page and the portfolio/service tabs list.

A campaign is for:
* Public: anyone with its link, logged in or not;
* Global: logged-in users; with target groups/users, only those (none: every user);
* Catalog / Service: logged-in users who may see its portfolio / service in the portal
  (catalog.selectors decides that).
Anyone else gets 404 on its page, except people who manage campaigns (administrators), who see
the page but cannot answer. Results are for the interested groups/users and administrators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.http import Http404
from django.utils import timezone

from catalog.models import Portfolio, Service
from catalog.selectors import portfolio_visible_q, service_visible_q
from questionnaires.selectors import questionnaire_questions

from .models import Answer, Campaign, Question, Response

__all__ = ["questionnaire_questions"]  # the campaigns' modules read it from here

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


TEXT_ANSWERS_ON_RESULTS = 5
TEXT_ANSWERS_PER_PAGE = 25
CAMPAIGNS_PER_PAGE = 20


# --- access ------------------------------------------------------------------------------------


def may_manage_campaigns(user: User | AnonymousUser) -> bool:
    """Administrators: superusers and staff allowed to view campaigns in the admin."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm("campaigns.view_campaign"))


def _targets_q(user: User) -> Q:
    users = Campaign.target_users.through.objects.filter(campaign_id=OuterRef("pk"))
    groups = Campaign.target_groups.through.objects.filter(campaign_id=OuterRef("pk"))
    untargeted = ~Exists(users) & ~Exists(groups)
    return untargeted | Exists(users.filter(user=user)) | Exists(groups.filter(group__user=user))


def campaign_for_user_q(user: User) -> Q:
    """Campaigns ``user`` (logged in) may answer, whatever their state."""
    return (
        Q(type=Campaign.Type.PUBLIC)
        | (Q(type=Campaign.Type.GLOBAL) & _targets_q(user))
        | (Q(type=Campaign.Type.CATALOG) & portfolio_visible_q(user, "portfolio__"))
        | (Q(type=Campaign.Type.SERVICE) & service_visible_q(user, "service__"))
    )


def campaign_get_by_key(*, key) -> Campaign:
    try:
        return Campaign.objects.select_related("questionnaire__category").get(key=key)
    except (Campaign.DoesNotExist, ValueError):
        raise Http404 from None


def campaign_may_answer(*, user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Whether ``user`` is among the people ``campaign`` is for (its state aside)."""
    if campaign.is_public:
        return True
    if not user.is_authenticated:
        return False
    return Campaign.objects.filter(campaign_for_user_q(user), pk=campaign.pk).exists()


def campaign_response_of(*, user: User | AnonymousUser, campaign: Campaign) -> Response | None:
    """``user``'s stored answer (logged in; Public campaigns are checked with their cookie)."""
    if campaign.is_public or not user.is_authenticated:
        return None
    return Response.objects.filter(campaign=campaign, user=user).first()


def campaign_may_see_results(*, user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Interested users and members of interested groups, and administrators."""
    if not user.is_authenticated:
        return False
    if may_manage_campaigns(user):
        return True
    users = Campaign.interested_users.through.objects.filter(campaign_id=OuterRef("pk"), user=user)
    groups = Campaign.interested_groups.through.objects.filter(campaign_id=OuterRef("pk"), group__user=user)
    return Campaign.objects.filter(Exists(users) | Exists(groups), pk=campaign.pk).exists()


def campaign_get_for_results(*, user: User, key) -> Campaign:
    """The campaign whose results ``user`` may see, else 404."""
    campaign = campaign_get_by_key(key=key)
    if not campaign_may_see_results(user=user, campaign=campaign):
        raise Http404
    return campaign


# --- lists -------------------------------------------------------------------------------------


def _open_for(user: User, **filters: Any) -> QuerySet[Campaign]:
    """Open campaigns for ``user``, with ``answered``; answered ones stay listed once full."""
    answered = Exists(Response.objects.filter(campaign_id=OuterRef("pk"), user=user))
    return (
        Campaign.objects.open_at(timezone.now())
        .filter(campaign_for_user_q(user), **filters)
        .annotate(answered=answered)
        .filter(Q(answered=True) | Q(max_answers__isnull=True) | Q(answer_count__lt=F("max_answers")))
        .order_by("ends_at", "id")
    )


def campaign_list_active(*, user: User) -> QuerySet[Campaign]:
    """The Active Campaigns page: the open Global campaigns for ``user``."""
    return _open_for(user, type=Campaign.Type.GLOBAL)


def campaign_list_for_portfolio(*, user: User, portfolio: Portfolio) -> list[Campaign]:
    """The "Active campaigns" tab of a portfolio's page."""
    return list(_open_for(user, type=Campaign.Type.CATALOG, portfolio=portfolio))


def campaign_list_for_service(*, user: User, service: Service) -> list[Campaign]:
    """The "Active campaigns" tab of a service's page."""
    return list(_open_for(user, type=Campaign.Type.SERVICE, service=service))


# --- questionnaire -----------------------------------------------------------------------------


# --- results -----------------------------------------------------------------------------------


def campaign_results(*, campaign: Campaign) -> dict[str, Any]:
    """Everything the results page shows, in a fixed number of queries whatever the number of
    answers: answers per day, per question the count of each value, the averages of ratings and
    numbers, and the latest text answers of each text question."""
    questions = [
        q for q in questionnaire_questions(questionnaire_id=campaign.questionnaire_id) if q.is_question
    ]
    answers = Answer.objects.filter(response__campaign=campaign)

    per_day = list(
        Response.objects.filter(campaign=campaign)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )

    counts: dict[int, dict[str, int]] = {}
    chart_ids = [q.pk for q in questions if q.kind in Question.CHART_KINDS]
    for row in (
        answers.filter(question_id__in=chart_ids)
        .values("question_id", "choice", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        value = row["choice"] or (str(int(row["number"])) if row["number"] is not None else "")
        counts.setdefault(row["question_id"], {})[value] = row["n"]

    stats = {
        row["question_id"]: row
        for row in answers.filter(question_id__in=[q.pk for q in questions])
        .values("question_id")
        .annotate(n=Count("response_id", distinct=True), avg=Avg("number"))
        .order_by()
    }

    text_ids = [q.pk for q in questions if q.kind in Question.TEXT_KINDS]
    latest: dict[int, list[Answer]] = {}
    if text_ids:
        ranked = (
            answers.filter(question_id__in=text_ids)
            .exclude(text="")
            .select_related("response__user")
            .annotate(rank=Window(RowNumber(), partition_by=F("question_id"), order_by=F("id").desc()))
            .filter(rank__lte=TEXT_ANSWERS_ON_RESULTS)
            .order_by("question_id", "-id")
        )
        for a in ranked:
            latest.setdefault(a.question_id, []).append(a)

    return {
        "questions": questions,
        "per_day": per_day,
        "counts": counts,
        "stats": stats,
        "latest_texts": latest,
    }


def text_answers_page(
    *, campaign: Campaign, question_id: int, page: str | int | None
) -> tuple[Question, Page]:
    """One text question's answers, newest first, paginated."""
    try:
        question = Question.objects.select_related("group").get(
            pk=question_id, group__questionnaire_id=campaign.questionnaire_id, kind__in=Question.TEXT_KINDS
        )
    except Question.DoesNotExist:
        raise Http404 from None
    qs = (
        Answer.objects.filter(response__campaign=campaign, question=question)
        .exclude(text="")
        .select_related("response__user")
        .order_by("-id")
    )
    return question, Paginator(qs, TEXT_ANSWERS_PER_PAGE).get_page(page)


def campaign_responses_for_export(*, campaign: Campaign) -> QuerySet[Response]:
    """Every answer of a campaign with its values, read in chunks for the CSV export."""
    return (
        Response.objects.filter(campaign=campaign)
        .select_related("user")
        .prefetch_related("answers")
        .order_by("created_at", "id")
    )
