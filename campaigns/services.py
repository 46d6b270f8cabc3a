"""Campaign writes: answering under the campaign's rules, copying a questionnaire.

Answering (:func:`response_submit`) locks the campaign's row, so concurrent answers are taken one at
a time: the period, the status and the answer cap are checked under that lock, and the counter
``answer_count`` moves in the same transaction as the answer, so N simultaneous answers to a
campaign capped at K store exactly K. A logged-in person answers once (checked under the lock and
backed by the ``response_one_per_user`` constraint). Public campaigns have no login: their pages
set a signed cookie after an answer (campaigns/views.py) and this module limits the answers per
client address and hour (``CAMPAIGN_PUBLIC_ANSWERS_PER_HOUR``, docs/campaigns.md).
"""

from __future__ import annotations

import hashlib
import time
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from notifications.models import CAMPAIGN_KEY_PREFIX, Notification
from notifications.services import notification_upsert
from questionnaires.conditions import hidden_questions

from .models import Answer, Campaign, Question, QuestionGroup, Questionnaire, Response
from .selectors import questionnaire_questions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class AnswerRefused(ApplicationError):
    """The answer was not stored; ``reason`` says why (the page shows the campaign's state)."""

    def __init__(self, message, *, reason: str) -> None:
        super().__init__(message, {"reason": reason})
        self.reason = reason


REFUSALS = {
    Campaign.State.INACTIVE: lambda: _("This campaign is not available."),
    Campaign.State.SCHEDULED: lambda: _("This campaign is not open yet."),
    Campaign.State.ENDED: lambda: _("This campaign is closed."),
    Campaign.State.FULL: lambda: _("This campaign is closed: it has received all the answers it needed."),
}


def _rate_key(campaign_id: int, client: str) -> str:
    digest = hashlib.sha256(client.encode()).hexdigest()[:24]
    return f"campaigns:public-rate:{campaign_id}:{digest}:{int(time.time() // 3600)}"


def public_rate_limited(*, campaign: Campaign, client: str) -> bool:
    """Whether ``client`` (an address) has used up this hour's Public answers to ``campaign``."""
    return (cache.get(_rate_key(campaign.pk, client)) or 0) >= settings.CAMPAIGN_PUBLIC_ANSWERS_PER_HOUR


def _rate_hit(campaign_id: int, client: str) -> None:
    key = _rate_key(campaign_id, client)
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # expired (or the cache lost it) between add and incr
        cache.set(key, 1, timeout=3600)


def _answer_rows(response: Response, question: Question, value: Any) -> list[Answer]:
    K = Question.Kind
    if question.kind == K.MULTIPLE_CHOICE:
        return [Answer(response=response, question=question, choice=c) for c in value]
    row = Answer(response=response, question=question)
    if question.kind in (K.SINGLE_CHOICE, K.YES_NO):
        row.choice = str(value)
    elif question.kind in (K.NUMBER, K.RATING):
        row.number = Decimal(value)
    elif question.kind == K.DATE:
        if not isinstance(value, date):
            raise TypeError(value)
        row.date = value
    else:
        row.text = str(value)
    return [row]


@transaction.atomic
def response_submit(
    *, campaign: Campaign, user: User | AnonymousUser, answers: dict[int, Any], client: str = ""
) -> Response:
    """Store one person's answers to ``campaign`` (``answers``: question id -> cleaned value, as
    :meth:`campaigns.forms.AnswerForm.answers` gives). Raises :class:`AnswerRefused` when the
    campaign is not open, is full, was already answered by ``user``, or (Public) ``client`` is over
    the hourly limit."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    state = locked.state_at(timezone.now())
    if state != Campaign.State.OPEN:
        raise AnswerRefused(REFUSALS[state](), reason=state)
    questions = {q.pk: q for q in questionnaire_questions(questionnaire_id=locked.questionnaire_id)}
    unknown = set(answers) - {pk for pk, q in questions.items() if q.is_question}
    hidden = hidden_questions(questions.values(), answers)  # a condition hides them: not required
    missing = [q for q in questions.values() if q.required and q.pk not in answers and q.pk not in hidden]
    if unknown or missing:
        raise ApplicationError(_("Some required questions have no answer."))
    who: User | None = None
    if locked.is_public:
        if public_rate_limited(campaign=locked, client=client):
            raise AnswerRefused(
                _("Too many answers were sent from your network in the last hour. Please try again later."),
                reason="rate",
            )
    else:
        who = cast("User", user)  # a non-public campaign's page requires login (campaigns.views)
        if Response.objects.filter(campaign=locked, user=who).exists():
            raise AnswerRefused(_("You have already answered this campaign."), reason="answered")
    try:
        with transaction.atomic():
            response = Response.objects.create(campaign=locked, user=who)
    except IntegrityError:  # the constraint, should the lock ever be bypassed
        raise AnswerRefused(_("You have already answered this campaign."), reason="answered") from None
    rows: list[Answer] = []
    for pk, value in answers.items():
        rows += _answer_rows(response, questions[pk], value)
    Answer.objects.bulk_create(rows)
    Campaign.objects.filter(pk=locked.pk).update(answer_count=F("answer_count") + 1)
    campaign.answer_count = locked.answer_count + 1
    if locked.is_public:
        _rate_hit(locked.pk, client)
    return response


@transaction.atomic
def questionnaire_copy(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new questionnaire with the same groups and questions and no campaigns: the way to change a
    questionnaire whose answers must be kept."""
    base = _("%(title)s (copy)") % {"title": questionnaire.title}
    title = base[: Questionnaire._meta.get_field("title").max_length]
    copy = Questionnaire.objects.create(
        title=title, category_id=questionnaire.category_id, description=questionnaire.description
    )
    groups = list(questionnaire.groups.prefetch_related("questions"))
    new_groups = QuestionGroup.objects.bulk_create(
        [QuestionGroup(questionnaire=copy, title=g.title, order=g.order) for g in groups]
    )
    pairs = [
        (
            q,
            Question(
                group=new,
                text=q.text,
                kind=q.kind,
                required=q.required,
                choices=q.choices,
                order=q.order,
                shown_if_value=q.shown_if_value,
            ),
        )
        for old, new in zip(groups, new_groups, strict=True)
        for q in old.questions.all()
    ]
    Question.objects.bulk_create([new for _old, new in pairs])
    # The conditions look at the copy's own questions.
    new_of = {old.pk: new for old, new in pairs}
    conditional = [
        (old.shown_if_question_id, new) for old, new in pairs if old.shown_if_question_id in new_of
    ]
    for looked_at, new in conditional:
        new.shown_if_question = new_of[looked_at]
    Question.objects.bulk_update([new for _old, new in conditional], ["shown_if_question"])
    return copy


def _announcement_key(campaign: Campaign) -> str:
    return f"{CAMPAIGN_KEY_PREFIX}{campaign.pk}"


@transaction.atomic
def campaign_announcement_sync(*, campaign: Campaign, actor: User | None = None) -> Notification | None:
    """Keep a Global campaign's announcement in step with it: a portal notification (the
    notifications app's, through its one write :func:`notifications.services.notification_upsert`)
    for the campaign's period and targets, active while the campaign is active and announced.
    Called after every save of the campaign with its targets (the admin's ``save_related``); turning
    the announcement off, or the campaign inactive or not Global, deactivates the notification.
    Its texts are written in the language active when the campaign is saved. With "announce by e-mail
    too" each target is e-mailed once; those e-mails are the kind "Campaign announcements" of the
    notification preferences (notifications/services.py)."""
    key = _announcement_key(campaign)
    wanted = (
        campaign.type == Campaign.Type.GLOBAL
        and campaign.notify
        and campaign.status == Campaign.Status.ACTIVE
    )
    if not wanted and not Notification.objects.filter(key=key).exists():
        return None
    end = formats.date_format(timezone.localtime(campaign.ends_at), "SHORT_DATETIME_FORMAT")
    return notification_upsert(
        key=key,
        title=campaign.title,
        short_description=_("A survey is open for you until %(end)s.") % {"end": end},
        description=_("Please answer the survey “%(title)s”: [open the survey](%(link)s)")
        % {"title": campaign.title, "link": campaign.link},
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        active=wanted,
        # Its e-mails are of their own kind, "Campaign announcements" (notifications/services.py).
        notify_by_email=campaign.notify_by_email,
        target_users=list(campaign.target_users.all()),
        target_groups=list(campaign.target_groups.all()),
        actor=actor,
    )
