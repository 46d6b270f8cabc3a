"""Requester feedback on a Closed ticket: the opinion (Compliment / Complaint) and the satisfaction
survey, with the single-use survey link sent when the ticket is resolved.

Each service re-checks the policy of :mod:`tickets.policies` that decides whether the button shows,
under a row lock, and raises :class:`ActionRefused` (``.message`` for the user) when it says no.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.tokens import token_consume, token_create, token_lookup
from core.urls import absolute_url
from outbox.models import EmailTemplate
from outbox.services import email_queue, email_template_for, user_language
from parameters import registry as r
from parameters.accessors import param

from .. import policies
from ..access import ticket_lock
from ..emails import ticket_context
from ..models import Opinion, Situation, SurveyAnswer, SurveyToken, Ticket
from .transitions import ticket_reopen, ticket_resolve

if TYPE_CHECKING:
    from accounts.models import User


logger = logging.getLogger(__name__)

SURVEY_LINK_DAYS = 7
# An e-mail template with this name, when it exists and is active, is used for the survey invitation;
# otherwise the template of parameter 251 (requester notifications) is.
SURVEY_TEMPLATE_NAME = "Satisfaction survey"


class ActionRefused(ApplicationError):
    pass


def _not_closed(ticket: Ticket) -> ActionRefused:
    return ActionRefused(
        _("Ticket %(number)s is %(situation)s: this is possible only once it is Closed.")
        % {"number": ticket.number, "situation": ticket.get_situation_display()}
    )


# --- opinion --------------------------------------------------------------------------------------


@transaction.atomic
def opinion_save(*, ticket: Ticket, actor: User, kind: str, text: str) -> tuple[Opinion, bool]:
    """Register (or edit) the requester's one opinion on a Closed ticket. Returns (opinion, created)."""
    ticket_lock(ticket)
    if not policies.can_register_opinion(actor, ticket):
        if ticket.requester_id == getattr(actor, "pk", None):
            raise _not_closed(ticket)
        raise ActionRefused(_("You cannot register an opinion on this ticket."))
    if not text.strip():
        raise ActionRefused(_("Write your opinion."))
    opinion = Opinion.objects.select_for_update().filter(ticket=ticket).first()
    if opinion is not None and opinion.author_id != actor.pk:
        raise ActionRefused(_("Only the author can change this opinion."))
    created = opinion is None
    if opinion is None:
        opinion = Opinion(ticket=ticket, author=actor)
    opinion.kind, opinion.text = kind, text.strip()
    opinion.full_clean()
    if created:
        opinion.save()
    else:
        opinion.save(update_fields=["kind", "text", "updated_at"])
    return opinion, created


# --- survey ---------------------------------------------------------------------------------------


def survey_choices() -> list[tuple[str, str | Promise]]:
    """Excellent / Good / Regular / Poor, and "Not attended" when parameter 295 = Y."""
    not_attended = SurveyAnswer.Evaluation.NOT_ATTENDED
    choices: list[tuple[str, str | Promise]] = [
        (c.value, c.label) for c in SurveyAnswer.Evaluation if c != not_attended
    ]
    if param(r.REOPEN_FROM_SURVEY):
        choices.append((not_attended.value, not_attended.label))
    return choices


def survey_may_reopen(user: User, ticket: Ticket) -> bool:
    """The survey offers "reopen" with "Not attended": parameter 295 = Y and the reopen rule holds."""
    return bool(param(r.REOPEN_FROM_SURVEY)) and policies.can_reopen(user, ticket)


@transaction.atomic
def survey_answer(
    *,
    ticket: Ticket,
    actor: User,
    evaluation: str,
    comment: str = "",
    reopen: bool = False,
    token: SurveyToken | None = None,
) -> SurveyAnswer:
    """Record the one survey answer of a Closed ticket; with "Not attended" and ``reopen`` (parameter
    295 = Y) reopen the ticket in the same transaction. ``token`` (the e-mailed link) is marked used."""
    ticket_lock(ticket)
    if not policies.can_answer_survey(actor, ticket):
        if ticket.requester_id == getattr(actor, "pk", None):
            raise _not_closed(ticket)
        raise ActionRefused(_("You cannot answer the survey of this ticket."))
    if SurveyAnswer.objects.filter(ticket=ticket).exists():
        raise ActionRefused(
            _("The satisfaction survey of ticket %(number)s was already answered.")
            % {"number": ticket.number}
        )
    if evaluation not in dict(survey_choices()):
        raise ActionRefused(_("Choose one of the offered evaluations."))
    not_attended = evaluation == SurveyAnswer.Evaluation.NOT_ATTENDED
    if reopen and not not_attended:
        raise ActionRefused(_('Reopening from the survey is offered only with "Not attended".'))
    answer = SurveyAnswer(
        ticket=ticket,
        author=actor,
        evaluation=evaluation,
        comment=comment.strip(),
        answered_at=timezone.now(),
    )
    answer.full_clean()
    answer.save()
    if token is not None:
        token_consume(token, now=answer.answered_at)
    if reopen:
        if not survey_may_reopen(actor, ticket):
            raise ActionRefused(_("Ticket %(number)s can no longer be reopened.") % {"number": ticket.number})
        # Raises TransitionError (rolling the answer back too) when the window has just closed.
        ticket_reopen(ticket=ticket, actor=actor, reason=_("Not attended (satisfaction survey)."))
    return answer


# --- the e-mailed survey link ---------------------------------------------------------------------


def survey_token_create(*, ticket: Ticket, now=None, days: int = SURVEY_LINK_DAYS) -> tuple[SurveyToken, str]:
    """A new single-use link token for ``ticket``; returns (row, raw token). Only the hash is stored."""
    return token_create(SurveyToken, ticket=ticket, lifetime=timedelta(days=days), now=now)


def survey_token_lookup(raw: str, *, now=None) -> SurveyToken | None:
    """The unused, unexpired token for ``raw``, or None (unknown, used or expired: same answer)."""
    return token_lookup(SurveyToken.objects.select_related("ticket"), raw, now=now)


def survey_link(raw: str) -> str:
    return absolute_url(reverse("tickets:survey-link", kwargs={"token": raw}))


def _survey_template() -> EmailTemplate | None:
    template = (
        EmailTemplate.objects.filter(name=SURVEY_TEMPLATE_NAME, active=True)
        .prefetch_related("translations")
        .order_by("pk")
        .first()
    )
    return template or email_template_for(r.REQUESTER_OCCURRENCE_TEMPLATE)


def survey_invite(*, ticket: Ticket, now=None):
    """Queue the resolution e-mail with the survey link to the requester (in the caller's
    transaction). No template (dedicated one nor parameter 251) or no address: logged, skipped."""
    template = _survey_template()
    if template is None:
        logger.info(
            "ticket %s resolved: no survey e-mail template (neither %r nor parameter 251)",
            ticket.pk,
            SURVEY_TEMPLATE_NAME,
        )
        return None
    token, raw = survey_token_create(ticket=ticket, now=now)
    requester = ticket.requester
    language = user_language(requester)
    link = survey_link(raw)
    context = ticket_context(
        ticket=ticket,
        language=language,
        link=link,
        SURVEYLINK=link,
        OCCURRENCE=ticket.solution,
        SOLUTION=ticket.solution,
    )
    return email_queue(
        template=template,
        context=context,
        recipient_user=requester,
        language=language,
        idempotency_key=f"survey:{ticket.pk}:{token.pk}",
    )


@transaction.atomic
def ticket_resolve_and_invite(*, ticket: Ticket, actor: User, solution: str, now=None) -> Ticket:
    """Resolve (:func:`tickets.services.transitions.ticket_resolve`) and e-mail the requester the
    survey link, in one transaction. The back office's "Resolve" button uses this."""
    ticket_resolve(ticket=ticket, actor=actor, solution=solution, now=now)
    if ticket.situation == Situation.RESOLVED:
        survey_invite(ticket=ticket, now=now)
    return ticket
