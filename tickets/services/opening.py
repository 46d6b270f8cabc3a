"""Opening a ticket: one home for every channel (docs/domain.md, "Opening a request").

- :func:`ticket_open`: the one writer of a new ticket, used by the portal (catalog page and
  Smartbox), the back office (``tickets/admin.py``), the chat, and later the API and e-mail channels.
  Its priority follows one rule (:func:`ticket_priority`): a priority given explicitly (the back
  office's field), else the one impact and urgency give (:func:`priority_from_impact_urgency`), else
  the activity's default.
- :func:`request_open`: the portal's "Add and Finish" (and each item of a Smartbox submission):
  parameter 246 turns opening off, the contract is parameter 118's (a missing/invalid one refuses
  with a clear message), the origin is parameter 65's, impact and urgency count only when the
  activity asks for them, and the attachments are added in the same transaction.

The form is :class:`tickets.forms.RequestForm`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Activity, Contract
from catalog.selectors import portal_contract
from core.exceptions import ApplicationError
from parameters import registry as r
from parameters.accessors import param, param_object

from .. import sla
from ..models import Situation, SystemCategory, Task, Ticket
from ..signals import ticket_entered_approval
from .attachments import attachment_add
from .copies import ticket_copies_add
from .transitions import _audit, _set_deadline

if TYPE_CHECKING:
    from accounts.models import User


class RequestsUnavailable(ApplicationError):
    """The portal cannot open requests right now (no valid contract, or turned off by parameter 246)."""


# --- the priority rule ----------------------------------------------------------------------------


def priority_from_impact_urgency(impact: int, urgency: int) -> int:
    """Priority 1 (highest) … 5 from impact and urgency, both 1 (highest) … 5.

    The average of the two; a half is rounded towards the higher priority (the smaller number), so an
    urgent problem is never downgraded: impact 1 + urgency 2 → 1, impact 2 + urgency 3 → 2,
    impact 3 + urgency 3 → 3, impact 4 + urgency 5 → 4.
    """
    return (impact + urgency) // 2


def ticket_priority(
    *, activity: Activity, priority: int | None = None, impact: int | None = None, urgency: int | None = None
) -> int:
    """The priority of a new ticket: ``priority`` when given, else the one ``impact`` and
    ``urgency`` give when both are known, else the activity's default."""
    if priority:
        return priority
    if impact and urgency:
        return priority_from_impact_urgency(impact, urgency)
    return activity.default_priority


# --- every channel ------------------------------------------------------------------------------


@transaction.atomic
def ticket_open(
    *,
    requester: User,
    activity: Activity,
    contract: Contract,
    title: str,
    description: str,
    priority: int | None = None,
    origin=None,
    impact: int | None = None,
    urgency: int | None = None,
    answers: list[dict[str, Any]] | None = None,
    now=None,
) -> Ticket:
    """Register a ticket. With an approver group it waits for approval (Registered / Approval);
    otherwise it goes straight to the executor group's queue (In Progress / Capture). The priority
    is :func:`ticket_priority`'s."""
    at, now = now, now or timezone.now()
    priority = ticket_priority(activity=activity, priority=priority, impact=impact, urgency=urgency)
    ticket = Ticket(
        requester=requester,
        contract=contract,
        service=activity.service,
        activity=activity,
        origin=origin,
        type=activity.type,
        title=title,
        description=description,
        priority=priority,
        impact=impact,
        urgency=urgency,
        answers=answers or [],
        created_at=now,
    )
    if activity.approver_group_id:
        ticket.situation, ticket.current_task = Situation.REGISTERED, Task.APPROVAL
        ticket.current_group_id = activity.approver_group_id
    else:
        ticket.situation, ticket.current_task = Situation.IN_PROGRESS, Task.CAPTURE
        ticket.current_group_id = activity.executor_group_id
    ticket.sla_minutes = sla.resolution_minutes(activity=activity, contract=contract, priority=priority)
    _set_deadline(ticket, start=now)
    ticket.full_clean()
    ticket.save()
    _audit(
        ticket,
        actor=requester,
        code=SystemCategory.REQUEST_REGISTRATION,
        at=at,
        text=_("Ticket registered by %(user)s.") % {"user": requester.display_name},
    )
    if ticket.current_task == Task.APPROVAL:
        ticket_entered_approval.send(sender=Ticket, ticket=ticket)
    return ticket


# --- the portal -------------------------------------------------------------------------------


def requests_unavailable_reason() -> str | None:
    """Why the portal cannot open requests now, or None when it can."""
    if param(r.HIDE_NEW_REQUEST):
        return _("Opening new requests through the portal is turned off.")
    if portal_contract() is None:
        return _(
            "Requests cannot be opened through the portal yet: the service desk has not finished "
            "configuring it. Please contact the service desk."
        )
    return None


def request_contract() -> Contract:
    """The contract of the portal's tickets (parameter 118); :class:`RequestsUnavailable` when the
    portal cannot open requests now."""
    reason = requests_unavailable_reason()
    contract = None if reason else portal_contract()
    if contract is None:
        raise RequestsUnavailable(reason or "")
    return contract


@transaction.atomic
def request_open(
    *,
    user: User,
    activity: Activity,
    title: str,
    description: str,
    impact: int | None = None,
    urgency: int | None = None,
    files: Sequence = (),
    copies: Sequence[User] = (),
    answers: list[dict[str, Any]] | None = None,
    contract: Contract | None = None,
    now=None,
) -> Ticket:
    """Open one ticket through the portal for a visible ``activity`` (the caller found it through
    catalog.selectors): "Add and Finish", or one item of a Smartbox submission (which passes the
    ``contract`` it read once for all its items). ``answers``: the activity's questionnaire as
    ``RequestForm.records()`` gives it, validated by that form (issue 27)."""
    if contract is None:
        contract = request_contract()
    if not activity.asks_impact_urgency:
        impact = urgency = None
    ticket = ticket_open(
        requester=user,
        activity=activity,
        contract=contract,
        title=title.strip(),
        description=description.strip(),
        origin=param_object(r.DEFAULT_ORIGIN),
        impact=impact,
        urgency=urgency,
        answers=answers,
        now=now,
    )
    for f in files:
        attachment_add(ticket=ticket, actor=user, file=f)
    if copies:  # People in copy (issue 27): the requester's colleagues
        ticket_copies_add(ticket=ticket, actor=user, users=copies)
    return ticket
