"""The content of the ticket and occurrence e-mails: their placeholder values, links and
recipients. The outbox (:mod:`outbox.services`) receives these as data and sends them; it knows
nothing of tickets.

The placeholders (``${IDSERVICEREQUEST}``, ``${LINKSOLICITACAOSERVICO}``…) are those the
administrators' templates use (docs/domain.md); approvals, chat and the ticket services build their
e-mails on :func:`ticket_context`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone, translation

from core.urls import absolute_url
from outbox.models import EmailTemplate, OutboundEmail
from outbox.services import email_queue, email_template_for, user_language
from parameters.registry import OCCURRENCE_EMAIL_TEMPLATE, REQUESTER_OCCURRENCE_TEMPLATE
from questionnaires.models import answer_display

from .models import Occurrence, Ticket, TicketCopy

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def ticket_link(ticket: Ticket) -> str:
    """Absolute link to the ticket in My Requests."""
    return absolute_url(reverse("tickets:description", args=[ticket.pk]))


def _display_name(user: User | None) -> str:
    return "" if user is None else user.display_name


def answers_text(ticket: Ticket) -> str:
    """The activity's questionnaire as the requester filled it (issue 27), one "Question: answer" a
    line, in the active language (a yes/no answer is translated); empty without answers."""
    return "\n".join(f"{r.get('text', '')}: {answer_display(r)}" for r in ticket.answers or [])


def description_with_answers(ticket: Ticket, *, language: str) -> str:
    """The description followed by the answers: what an approver reads (approvals/services.py)."""
    with translation.override(language):
        answers = answers_text(ticket)
    return f"{ticket.description}\n\n{answers}" if answers else ticket.description


def ticket_context(*, ticket: Ticket, language: str, link: str = "", **extra: str) -> dict[str, str]:
    """The ticket placeholders (as for occurrences) in ``language``, with ``LINKSOLICITACAOSERVICO`` set to
    ``link`` when given, plus ``extra`` placeholders (upper-case names). ``ANSWERS``: the answers to
    the activity's questionnaire (:func:`answers_text`)."""
    with translation.override(language):
        deadline = ""
        if ticket.time_limit:
            deadline = formats.date_format(timezone.localtime(ticket.time_limit), "SHORT_DATETIME_FORMAT")
        context = {
            "IDSERVICEREQUEST": str(ticket.pk),
            "REQUESTERNAME": _display_name(ticket.requester),
            "REQUESTRESPONSIBLENAME": _display_name(ticket.responsible),
            "SITUACAO": str(ticket.get_situation_display()),
            "DATAHORALIMITESTR": deadline,
            "LINKSOLICITACAOSERVICO": link or ticket_link(ticket),
            "TITLE": ticket.title,
            "SERVICE": ticket.service.name if ticket.service_id else "",
            "ANSWERS": answers_text(ticket),
        }
    context.update({k: "" if v is None else str(v) for k, v in extra.items()})
    return context


def occurrence_context(*, occurrence: Occurrence, language: str) -> dict[str, str]:
    """Placeholder values for an occurrence e-mail: the ticket's (:func:`ticket_context`) plus the
    occurrence's text, category (in ``language``) and author."""
    with translation.override(language):
        category = str(occurrence.category.label) if occurrence.category_id else ""
    return ticket_context(
        ticket=occurrence.ticket,
        language=language,
        OCCURRENCE=occurrence.text,
        CATEGORY=category,
        AUTHOR=_display_name(occurrence.author),
    )


def copy_recipients(ticket: Ticket) -> list[User]:
    """The people in copy of the ticket who can receive its e-mails (active, with an address): they
    get what the requester gets (issue 27). One query."""
    rows = TicketCopy.objects.filter(ticket_id=ticket.pk, user__is_active=True).exclude(user__email="")
    return [c.user for c in rows.select_related("user").order_by("id")]


def requester_recipients(ticket: Ticket) -> list[User]:
    """Who gets the e-mails written to the requester: the requester and the people in copy."""
    requester = [ticket.requester] if ticket.requester_id and ticket.requester is not None else []
    return [*requester, *copy_recipients(ticket)]


def occurrence_responsible_recipients(ticket: Ticket) -> list:
    """Who answers for the ticket: its responsible, or before capture the active members of its
    current group that have an e-mail address."""
    if ticket.responsible_id:
        r = ticket.responsible
        return [r] if r is not None and r.is_active and r.email else []
    if ticket.current_group_id is None:
        return []
    # By the group's id: the group row itself is not needed.
    return list(
        get_user_model()
        .objects.filter(groups=ticket.current_group_id, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def email_queue_for_occurrence(*, occurrence: Occurrence, notify_responsible: bool) -> list[OutboundEmail]:
    """Queue the e-mails an occurrence registered through the portal causes.

    When ``notify_responsible`` is ticked:

    - the ticket's responsible (before capture: the active members of the current group that have
      an e-mail) gets the template of parameter 253;
    - the requester and the people in copy get the template of parameter 251 when it is set
      (docs/domain.md, "My Requests": so that "the service requestor receives an e-mail" holds).
      Unticked, nobody is e-mailed.

    An empty, missing or inactive template id means no e-mail for that recipient and a warning in
    the log; the occurrence itself is saved regardless (this function never raises for it).
    Must be called inside the transaction that saved the occurrence; the rows share its fate.
    Returns the OutboundEmail rows (one per recipient; an existing row for the same key is reused).
    """
    if not notify_responsible:
        return []
    ticket = occurrence.ticket
    plan: list[tuple[EmailTemplate, Any]] = []
    responsible_template = email_template_for(OCCURRENCE_EMAIL_TEMPLATE, required=True)
    if responsible_template is not None:
        recipients = occurrence_responsible_recipients(ticket)
        if not recipients:
            logger.warning(
                "occurrence %s: ticket %s has no responsible nor group member with an e-mail",
                occurrence.pk,
                ticket.pk,
            )
        plan += [(responsible_template, u) for u in recipients]
    requester_template = email_template_for(REQUESTER_OCCURRENCE_TEMPLATE, required=False)
    if requester_template is not None and ticket.requester_id:
        plan += [(requester_template, u) for u in requester_recipients(ticket)]

    rows: list[OutboundEmail] = []
    seen: set[tuple[int, int]] = set()
    for template, user in plan:
        if (template.pk, user.pk) in seen:
            continue
        seen.add((template.pk, user.pk))
        row = occurrence_email_queue(occurrence=occurrence, template=template, user=user)
        if row is not None:
            rows.append(row)
    return rows


def occurrence_email_queue(*, occurrence: Occurrence, template: EmailTemplate, user) -> OutboundEmail | None:
    """Queue ``template`` about ``occurrence`` for ``user``, in the user's language; once per
    occurrence, template and user (the idempotency key)."""
    language = user_language(user)
    return email_queue(
        recipient_user=user,
        template=template,
        idempotency_key=f"occurrence:{occurrence.pk}:{template.pk}:{user.pk}",
        language=language,
        context=occurrence_context(occurrence=occurrence, language=language),
    )
