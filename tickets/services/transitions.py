"""Ticket writes: the situation transitions (docs/domain.md, "Situations and transitions"); opening is
:mod:`tickets.services.opening`.

Every transition validates the move, changes the ticket and writes the system occurrence
(the audit trail) in one transaction. A refused move raises :class:`TransitionError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from parameters.accessors import param
from parameters.registry import REOPEN_DAYS

from .. import events, policies, sla
from ..access import is_approver, is_attendant, is_requester, ticket_lock
from ..models import Category, Occurrence, Situation, SystemCategory, Task, Ticket

if TYPE_CHECKING:
    from accounts.models import User


class TransitionError(ApplicationError):
    pass


def _refuse(ticket: Ticket, action) -> TransitionError:
    return TransitionError(
        _("Ticket %(number)s cannot be %(action)s while it is %(situation)s.")
        % {"number": ticket.number, "action": action, "situation": ticket.get_situation_display()}
    )


def _audit(
    ticket: Ticket, *, actor: User, code: SystemCategory, text: str, public: bool = True, at=None
) -> Occurrence:
    """Write the system occurrence of a transition and queue its webhook event (tickets/events.py:
    the opening or a situation change). ``at`` back-dates it (demo data, tests): the model's
    ``auto_now_add`` ignores a value given on create, so it is set by an UPDATE."""
    occ = Occurrence.objects.create(
        ticket=ticket,
        category=Category.system(code),
        origin=None,
        text=text,
        author=actor,
        is_system=True,
        public=public,
    )
    if at is not None:
        Occurrence.objects.filter(pk=occ.pk).update(created_at=at)
        occ.created_at = at
    if code == SystemCategory.REQUEST_REGISTRATION:
        events.ticket_opened(ticket)
    else:
        events.ticket_transition(ticket, occ)
    return occ


def require_attendant(ticket: Ticket, actor: User) -> None:
    """Refuse (:class:`TransitionError`) an actor who is not an attendant of the ticket."""
    if not is_attendant(actor, ticket):
        raise TransitionError(_("Only the ticket's group or responsible may do this."))


def _set_deadline(ticket: Ticket, *, start, remaining: float | None = None) -> None:
    if not ticket.sla_minutes:
        ticket.time_limit = ticket.sla_warning_at = None
        return
    spec = sla.calendar_spec(ticket.contract)
    ticket.time_limit, ticket.sla_warning_at = sla.deadline(
        spec=spec, start=start, total_minutes=ticket.sla_minutes, remaining=remaining
    )


# --- approval -------------------------------------------------------------------------------


def _decider_text(actor: User, on_behalf_of: User | None) -> dict[str, str]:
    if on_behalf_of is None:
        return {"user": actor.display_name}
    return {
        "user": _("%(substitute)s on behalf of %(absent)s")
        % {"substitute": actor.display_name, "absent": on_behalf_of.display_name}
    }


@transaction.atomic
def ticket_approve(
    *, ticket: Ticket, actor: User, observations: str = "", on_behalf_of: User | None = None, now=None
) -> Ticket:
    """Approved -> execution: In Progress / Capture by the activity's executor group.

    ``on_behalf_of``: the approver group member ``actor`` substitutes while they are away; the
    caller has checked the substitution (approvals/services.py), the membership is checked here."""
    ticket_lock(ticket)
    if not policies.awaiting_approval(ticket):
        raise _refuse(ticket, gettext_lazy("approved"))
    if not is_approver(on_behalf_of or actor, ticket):
        raise TransitionError(_("Only members of the approver group may approve this ticket."))
    ticket.situation, ticket.current_task = Situation.IN_PROGRESS, Task.CAPTURE
    ticket.current_group_id = ticket.activity.executor_group_id
    ticket.save(update_fields=["situation", "current_task", "current_group", "updated_at"])
    text = _("Approved by %(user)s.") % _decider_text(actor, on_behalf_of)
    _audit(ticket, actor=actor, code=SystemCategory.APPROVAL, text=f"{text} {observations}".strip(), at=now)
    return ticket


@transaction.atomic
def ticket_reject(
    *, ticket: Ticket, actor: User, justification: str, on_behalf_of: User | None = None, now=None
) -> Ticket:
    """Not approved -> Closed, with a justification (``on_behalf_of`` as for :func:`ticket_approve`)."""
    ticket_lock(ticket)
    if not policies.awaiting_approval(ticket):
        raise _refuse(ticket, gettext_lazy("rejected"))
    if not is_approver(on_behalf_of or actor, ticket):
        raise TransitionError(_("Only members of the approver group may reject this ticket."))
    if not justification.strip():
        raise TransitionError(_("A justification is required when a ticket is not approved."))
    ticket.situation, ticket.current_task = Situation.CLOSED, Task.NONE
    ticket.closed_at = now or timezone.now()
    ticket.save(update_fields=["situation", "current_task", "closed_at", "updated_at"])
    _audit(
        ticket,
        actor=actor,
        code=SystemCategory.APPROVAL,
        at=now,
        text=_("Not approved by %(user)s: %(why)s")
        % {**_decider_text(actor, on_behalf_of), "why": justification},
    )
    return ticket


# --- attendance -----------------------------------------------------------------------------


@transaction.atomic
def ticket_capture(*, ticket: Ticket, actor: User, now=None) -> Ticket:
    ticket_lock(ticket)
    if not policies.capturable(ticket):
        raise _refuse(ticket, gettext_lazy("captured"))
    if ticket.responsible_id:
        raise TransitionError(
            _("Ticket %(number)s has already been captured by %(user)s.")
            % {"number": ticket.number, "user": getattr(ticket.responsible, "display_name", "")}
        )
    if not is_attendant(actor, ticket):
        raise TransitionError(_("Only attendants of the ticket's current group may capture it."))
    ticket.responsible = actor
    ticket.situation, ticket.current_task = Situation.IN_PROGRESS, Task.EXECUTION
    ticket.captured_at = now or timezone.now()
    ticket.save(update_fields=["responsible", "situation", "current_task", "captured_at", "updated_at"])
    _audit(
        ticket,
        actor=actor,
        code=SystemCategory.CAPTURE,
        at=now,
        text=_("Captured by %(user)s.") % {"user": actor.display_name},
    )
    return ticket


@transaction.atomic
def ticket_suspend(*, ticket: Ticket, actor: User, justification: str, now=None) -> Ticket:
    ticket_lock(ticket)
    if not policies.suspendable(ticket):
        raise _refuse(ticket, gettext_lazy("suspended"))
    require_attendant(ticket, actor)
    if not justification.strip():
        raise TransitionError(_("A justification is required to suspend a ticket."))
    at, now = now, now or timezone.now()
    if ticket.time_limit:
        ticket.sla_remaining_minutes = sla.remaining_minutes(
            spec=sla.calendar_spec(ticket.contract), now=now, time_limit=ticket.time_limit
        )
    ticket.situation, ticket.suspended_at = Situation.SUSPENDED, now
    ticket.save(update_fields=["situation", "suspended_at", "sla_remaining_minutes", "updated_at"])
    _audit(
        ticket,
        actor=actor,
        code=SystemCategory.SUSPENSION,
        at=at,
        text=_("Suspended by %(user)s: %(why)s") % {"user": actor.display_name, "why": justification},
    )
    return ticket


@transaction.atomic
def ticket_reactivate(*, ticket: Ticket, actor: User, now=None) -> Ticket:
    """Suspended -> In Progress; the SLA clock resumes with the time that was left."""
    ticket_lock(ticket)
    if not policies.reactivatable(ticket):
        raise _refuse(ticket, gettext_lazy("reactivated"))
    require_attendant(ticket, actor)
    at, now = now, now or timezone.now()
    if ticket.sla_minutes and ticket.sla_remaining_minutes is not None:
        _set_deadline(ticket, start=now, remaining=ticket.sla_remaining_minutes)
    ticket.situation, ticket.suspended_at, ticket.sla_remaining_minutes = Situation.IN_PROGRESS, None, None
    ticket.save(
        update_fields=[
            "situation",
            "suspended_at",
            "sla_remaining_minutes",
            "time_limit",
            "sla_warning_at",
            "updated_at",
        ]
    )
    _audit(
        ticket,
        actor=actor,
        code=SystemCategory.REACTIVATION,
        at=at,
        text=_("Reactivated by %(user)s.") % {"user": actor.display_name},
    )
    return ticket


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, actor: User, solution: str, now=None) -> Ticket:
    ticket_lock(ticket)
    if not policies.resolvable(ticket):
        raise _refuse(ticket, gettext_lazy("resolved"))
    require_attendant(ticket, actor)
    if not solution.strip():
        raise TransitionError(_("A solution is required to resolve a ticket."))
    ticket.situation, ticket.current_task = Situation.RESOLVED, Task.VALIDATION
    ticket.solution, ticket.resolved_at = solution, now or timezone.now()
    ticket.save(update_fields=["situation", "current_task", "solution", "resolved_at", "updated_at"])
    _audit(
        ticket,
        actor=actor,
        code=SystemCategory.RESOLUTION,
        at=now,
        text=_("Resolved by %(user)s.") % {"user": actor.display_name},
    )
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, actor: User, now=None) -> Ticket:
    """Resolved -> Closed (final), by the service desk or by the requester validating the solution."""
    ticket_lock(ticket)
    if not policies.closable(ticket):
        raise _refuse(ticket, gettext_lazy("closed"))
    if not is_requester(actor, ticket):
        require_attendant(ticket, actor)
    ticket.situation, ticket.current_task = Situation.CLOSED, Task.NONE
    ticket.closed_at = now or timezone.now()
    ticket.save(update_fields=["situation", "current_task", "closed_at", "updated_at"])
    _audit(
        ticket,
        actor=actor,
        code=SystemCategory.CLOSING,
        at=now,
        text=_("Closed by %(user)s.") % {"user": actor.display_name},
    )
    return ticket


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor: User, reason: str = "", now=None) -> Ticket:
    """Closed (no more than parameter 171 days ago) -> Reopened, with a new time limit."""
    ticket_lock(ticket)
    at, now = now, now or timezone.now()
    limit = policies.reopen_deadline(ticket)
    if limit is None:
        raise _refuse(ticket, gettext_lazy("reopened"))
    if now > limit:
        raise TransitionError(
            _("Ticket %(number)s was closed more than %(days)s days ago and can no longer be reopened.")
            % {"number": ticket.number, "days": param(REOPEN_DAYS)}
        )
    if not is_requester(actor, ticket):
        require_attendant(ticket, actor)
    ticket.situation = Situation.REOPENED
    ticket.current_task = Task.EXECUTION if ticket.responsible_id else Task.CAPTURE
    ticket.current_group_id = ticket.activity.executor_group_id
    ticket.reopened_at, ticket.closed_at, ticket.resolved_at = now, None, None
    _set_deadline(ticket, start=now)
    ticket.save(
        update_fields=[
            "situation",
            "current_task",
            "current_group",
            "reopened_at",
            "closed_at",
            "resolved_at",
            "time_limit",
            "sla_warning_at",
            "updated_at",
        ]
    )
    text = _("Reopened by %(user)s.") % {"user": actor.display_name}
    _audit(ticket, actor=actor, code=SystemCategory.REOPENING, at=at, text=f"{text} {reason}".strip())
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, actor: User, reason: str = "", now=None) -> Ticket:
    """Any non-final situation -> Canceled, by the requester (portal, parameter 302) or the service desk."""
    ticket_lock(ticket)
    if not policies.cancelable(ticket):
        raise _refuse(ticket, gettext_lazy("canceled"))
    if not is_requester(actor, ticket):
        require_attendant(ticket, actor)
    at, now = now, now or timezone.now()
    fields = ["situation", "current_task", "canceled_at", "updated_at"]
    if ticket.situation == Situation.SUSPENDED and ticket.sla_remaining_minutes is not None:
        # The clock was paused: the time limit that counts is the one the ticket would have now.
        _set_deadline(ticket, start=now, remaining=ticket.sla_remaining_minutes)
        ticket.suspended_at, ticket.sla_remaining_minutes = None, None
        fields += ["time_limit", "sla_warning_at", "suspended_at", "sla_remaining_minutes"]
    ticket.situation, ticket.current_task, ticket.canceled_at = Situation.CANCELED, Task.NONE, now
    ticket.save(update_fields=fields)
    text = _("Canceled by %(user)s on %(when)s.") % {
        "user": actor.display_name,
        "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
    }
    _audit(ticket, actor=actor, code=SystemCategory.CANCELLATION, at=at, text=f"{text} {reason}".strip())
    return ticket
