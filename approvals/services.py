"""Approval writes: a ticket entering approval, the decision, the e-mailed links, absences.

The decision (:func:`approval_decide`) locks the ticket's row, then re-checks everything the page
showed: the ticket still awaits approval, the user may decide it (a member of its approver group, or
the substitute of an absent member), nobody decided it meanwhile. Only then does the flow advance
through the ticket transitions (``tickets.services.transitions.ticket_approve`` / ``ticket_reject``,
which write the system occurrence the requester sees), the decision row is written and the
requester's e-mail queued, all in one transaction. A refusal raises :class:`ApprovalRefused` and
changes nothing.

Segregation of duties: the ticket's requester never decides it, as a member of the approver group or
as a substitute (:func:`tickets.policies.own_request_barred`, the one rule, written in the layer the
ticket's admin page can import too; parameter 372 = Y allows it). The decision refuses it with
:class:`OwnRequestRefused`, the e-mailed link likewise, the Approvals pages show the request without
Approve, and the approval e-mails skip the requester: the request waits for another approver.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from core.exceptions import ApplicationError
from core.tokens import token_consume, token_create, token_find
from core.urls import absolute_url
from core.versions import group_version_key, user_version_key, version_bump
from outbox.models import EmailTemplate
from outbox.services import email_queue, user_language
from parameters import registry as r
from parameters.accessors import param
from push.services import push_enabled, push_queue
from tickets import events as ticket_events
from tickets.access import group_ids, ticket_lock
from tickets.emails import description_with_answers, ticket_context
from tickets.models import Situation, Task, Ticket
from tickets.policies import awaiting_approval, own_request_barred
from tickets.services.transitions import TransitionError, ticket_approve, ticket_reject

from .models import Absence, Approval, ApprovalToken, Decision, Justification
from .selectors import absences_substituted_by

if TYPE_CHECKING:
    from accounts.models import User


logger = logging.getLogger(__name__)

# The e-mail templates (admin-editable, created by migration 0002 with their translations), found by
# name as the survey invitation's is (tickets/services/feedback.py).
REQUEST_TEMPLATE_NAME = "Approval request"
DECISION_TEMPLATE_NAME = "Approval decision"


class ApprovalRefused(ApplicationError):
    pass


class OwnRequestRefused(ApprovalRefused):
    """The requester tried to decide their own request (:func:`own_request_barred`)."""

    def __init__(self, ticket: Ticket) -> None:
        super().__init__(
            _("Ticket %(number)s is your own request: another approver decides it.")
            % {"number": ticket.number}
        )


# --- who decides ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decider:
    """Who decides: ``user`` itself, or ``user`` for ``on_behalf_of`` (an absent group member)."""

    user: Any
    on_behalf_of: Any = None


def decider_for(user: User, *, group_id: int | None, now: datetime | None = None) -> Decider | None:
    """``user`` as a decider for the approver group ``group_id``: a member decides for themselves; a
    substitute decides on behalf of an absent member (the lowest id when they substitute several).
    Substitution does not cascade: an absent member's own substitute is not looked at."""
    if group_id is None or not getattr(user, "is_authenticated", False):
        return None
    if group_id in group_ids(user):
        return Decider(user)
    absent = (
        absences_substituted_by(user, now)
        .filter(user__groups=group_id)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return Decider(user, absent.user) if absent is not None else None


# --- entering approval ----------------------------------------------------------------------------


def approval_open_for_signal(sender, *, ticket: Ticket, **kwargs) -> None:
    """Receiver of ``tickets.signals.ticket_entered_approval`` (connected in ``apps.py``)."""
    approval_open(ticket=ticket)


@transaction.atomic
def approval_open(*, ticket: Ticket) -> Approval:
    """Record that ``ticket`` awaits its approver group and e-mail each member (and the substitutes
    of those away), and tell their push devices, in the caller's transaction."""
    approval = Approval.objects.create(
        ticket=ticket, group_id=_approver_group_id(ticket), created_at=ticket.created_at
    )
    approval_request_emails_queue(approval=approval, ticket=ticket)
    approval_request_pushes_queue(approval=approval, ticket=ticket)
    version_bump(group_version_key(approval.group_id))  # its approvers' menu count (portal/shell.py)
    return approval


def _approver_group_id(ticket: Ticket) -> int:
    """A ticket in the Approval task has its approver group as current group
    (tickets/services/transitions.py)."""
    if ticket.current_group_id is None:
        raise ApprovalRefused(_("Ticket %(number)s has no approver group.") % {"number": ticket.number})
    return ticket.current_group_id


def _pending_approval(ticket: Ticket) -> Approval:
    """The ticket's pending approval, locked; created when the ticket entered approval some other way
    (rows written in bulk, or before this app existed)."""
    approval = (
        Approval.objects.select_for_update().filter(ticket=ticket, status=Approval.Status.PENDING).first()
    )
    if approval is None:
        approval = Approval.objects.create(
            ticket=ticket, group_id=_approver_group_id(ticket), created_at=ticket.created_at
        )
    return approval


def _template(name: str) -> EmailTemplate | None:
    template = EmailTemplate.objects.filter(name=name, active=True).order_by("pk").first()
    if template is None:
        logger.warning("no active e-mail template named %r: the approval e-mail is not sent", name)
    return template


def approval_request_emails_queue(*, approval: Approval, ticket: Ticket, now: datetime | None = None) -> int:
    """One e-mail per active member of the approver group with an address, plus a copy to the
    substitute of each member who is away. With parameter 370 = Y each carries a personal link
    (:func:`approval_token_create`); otherwise the link to the Approvals page. The requester is not
    asked (neither as a member nor as a substitute) while they may not decide their own request
    (:func:`own_request_barred`): no e-mail, no link. Returns how many."""
    template = _template(REQUEST_TEMPLATE_NAME)
    if template is None:
        return 0
    return sum(
        _request_email_queue(template, approval=approval, ticket=ticket, user=user, absent=absent, now=now)
        for user, absent in _request_recipients(approval=approval, ticket=ticket, now=now)
    )


def _request_recipients(*, approval: Approval, ticket: Ticket, now: datetime | None) -> list[tuple[Any, Any]]:
    """(user, the member they substitute or None): the active members of the approver group and the
    substitutes of those away, without whoever may not decide their own request."""
    User = get_user_model()
    members = list(User.objects.filter(groups=approval.group_id, is_active=True).order_by("pk"))
    absences = (
        Absence.objects.active(now)
        .filter(user__in=[m.pk for m in members], substitute__is_active=True)
        .select_related("substitute")
        .order_by("user_id", "pk")
    )
    recipients: list[tuple[Any, Any]] = [(m, None) for m in members]
    by_pk = {m.pk: m for m in members}
    seen_copies: set[tuple[int, int]] = set()
    for absence in absences:
        if (absence.substitute_id, absence.user_id) not in seen_copies:
            seen_copies.add((absence.substitute_id, absence.user_id))
            recipients.append((absence.substitute, by_pk[absence.user_id]))
    return [(user, absent) for user, absent in recipients if not own_request_barred(user, ticket)]


PUSH_TITLE = gettext_lazy("Request %(number)s")
PUSH_AWAITS = gettext_lazy("Awaits your approval.")


def approval_request_pushes_queue(
    *, approval: Approval, ticket: Ticket, users: list[Any] | None = None, now: datetime | None = None
) -> int:
    """Tell the push devices of the approvers (``users``, by default those e-mailed by
    :func:`approval_request_emails_queue`) that ``ticket`` awaits them; once per approval and device
    (push/, issue 26), whatever e-mail template exists. Returns how many pushes were queued."""
    if not push_enabled():
        return 0
    if users is None:
        users = [user for user, _absent in _request_recipients(approval=approval, ticket=ticket, now=now)]
    return len(
        push_queue(
            users=users,
            event=f"approval:{approval.pk}",
            url=reverse("approvals:decide", args=[ticket.pk]),
            title=PUSH_TITLE,
            body=PUSH_AWAITS,
            params={"number": ticket.number},
        )
    )


def _request_email_queue(
    template, *, approval: Approval, ticket: Ticket, user: User, absent: User | None, now
) -> bool:
    """The approval request e-mail of ``approval`` to ``user`` (for ``absent``, whom they substitute,
    or None), once per approval, recipient and absent member (the outbox's idempotency key)."""
    if not user.email:
        return False
    link = absolute_url(reverse("approvals:list"))
    if param(r.APPROVAL_EMAIL_TOKEN):
        _token, raw = approval_token_create(approval=approval, approver=user, on_behalf_of=absent, now=now)
        link = approval_link(raw)
    language = user_language(user)
    with override(language):
        on_behalf = _("on behalf of %(name)s") % {"name": absent.display_name} if absent else ""
    context = ticket_context(
        ticket=ticket,
        language=language,
        link=link,
        APPROVALLINK=link,
        APPROVERNAME=user.display_name,
        ONBEHALFOF=on_behalf,
        DESCRIPTION=description_with_answers(ticket, language=language),  # the form's answers too
    )
    suffix = f":{absent.pk}" if absent else ""
    row = email_queue(
        template=template,
        context=context,
        recipient_user=user,
        language=language,
        idempotency_key=f"approval:{approval.pk}:request:{user.pk}{suffix}",
    )
    return row is not None


@transaction.atomic
def absence_copy_emails_queue(*, absence_id: int, now: datetime | None = None) -> int:
    """When an absence begins, copy to its substitute the approval requests already pending for the
    absent member's groups (the requests sent during the absence copy them as they go). Once per
    absence (``copies_sent_at``, under the absence's row lock); nothing for an absence that has not
    begun, is over, or whose substitute or member is inactive. Returns how many e-mails."""
    now = now or timezone.now()
    absence = Absence.objects.select_for_update().filter(pk=absence_id, copies_sent_at__isnull=True).first()
    if absence is None or not absence.is_active(now):
        return 0
    absence.copies_sent_at = now
    absence.save(update_fields=["copies_sent_at"])
    if not (absence.user.is_active and absence.substitute.is_active):
        return 0
    template = _template(REQUEST_TEMPLATE_NAME)
    # The tickets awaiting the member's groups, whatever way they entered approval (an Approval row
    # is created for one that has none, as the decision does).
    tickets = list(
        Ticket.objects.filter(
            situation=Situation.REGISTERED, current_task=Task.APPROVAL, current_group__user=absence.user
        )
        .select_related("service", "requester", "responsible")
        .order_by("pk")
    )
    approvals = {
        a.ticket_id: a
        for a in Approval.objects.filter(ticket__in=tickets, status=Approval.Status.PENDING).order_by("pk")
    }
    queued = 0
    for ticket in tickets:
        if own_request_barred(absence.substitute, ticket):
            continue  # the substitute's own request: another approver decides it
        approval = approvals.get(ticket.pk)
        if approval is None:  # under the ticket's lock, as a decision would create it
            ticket_lock(ticket)
            approval = _pending_approval(ticket)
        approval_request_pushes_queue(approval=approval, ticket=ticket, users=[absence.substitute])
        if template is not None:
            queued += _request_email_queue(
                template,
                approval=approval,
                ticket=ticket,
                user=absence.substitute,
                absent=absence.user,
                now=now,
            )
    return queued


def absence_copies_due(*, now: datetime | None = None) -> int:
    """Beat (``CELERY_BEAT_SCHEDULE``): the copies of every absence that has begun since the last
    run (or was declared already under way and its copies not yet written)."""
    now = now or timezone.now()
    due = Absence.objects.active(now).filter(copies_sent_at__isnull=True).values_list("pk", flat=True)
    return sum(absence_copy_emails_queue(absence_id=pk, now=now) for pk in list(due))


# --- the e-mailed link (parameter 370) ------------------------------------------------------------


def approval_token_create(
    *, approval: Approval, approver: User, on_behalf_of: User | None = None, now: datetime | None = None
) -> tuple[ApprovalToken, str]:
    """A new single-use link token for ``approver`` on ``approval``; returns (row, raw token)."""
    return token_create(
        ApprovalToken,
        approval=approval,
        approver=approver,
        on_behalf_of=on_behalf_of,
        lifetime=timedelta(minutes=settings.APPROVAL_LINK_MINUTES),
        now=now,
    )


def approval_link(raw: str) -> str:
    return absolute_url(reverse("approvals:link", kwargs={"token": raw}))


# --- the decision ---------------------------------------------------------------------------------


def _lock_ticket(ticket_id: int) -> Ticket:
    try:
        return ticket_lock(ticket_id, related=("requester",))
    except (Ticket.DoesNotExist, ValueError, TypeError) as exc:
        raise ApprovalRefused(_("This ticket does not exist.")) from exc


def not_awaiting_message(ticket: Ticket) -> str:
    return _(
        "Ticket %(number)s is no longer awaiting approval (it is %(situation)s): nothing was changed."
    ) % {
        "number": ticket.number,
        "situation": ticket.get_situation_display(),
    }


@transaction.atomic
def approval_decide(
    *,
    ticket_id: int,
    actor: User,
    approved: bool,
    observations: str = "",
    justification: Justification | None = None,
    justification_complement: str = "",
    via: str = Decision.Via.PORTAL,
    token: ApprovalToken | None = None,
    now: datetime | None = None,
) -> Decision:
    """Decide the approval of ticket ``ticket_id`` as ``actor`` (see the module docstring).

    ``token``: the e-mailed link the decision comes through; its approver must be ``actor``, and it
    is marked used with the decision. Raises :class:`ApprovalRefused` (:class:`OwnRequestRefused`
    when ``actor`` is the requester, member or substitute, and parameter 372 is N).
    """
    ticket = _lock_ticket(ticket_id)
    if not awaiting_approval(ticket):
        raise ApprovalRefused(not_awaiting_message(ticket))
    decider = decider_for(actor, group_id=ticket.current_group_id, now=now)
    if decider is None:
        raise ApprovalRefused(_("You are not an approver of ticket %(number)s.") % {"number": ticket.number})
    if own_request_barred(actor, ticket):
        raise OwnRequestRefused(ticket)
    approval = _pending_approval(ticket)
    if token is not None:
        mine = token.approval_id == approval.pk and token.approver_id == actor.pk
        if not (mine and token_consume(token, now=now)):
            raise ApprovalRefused(_("This link cannot decide this approval."))
    observations = observations.strip()
    complement = justification_complement.strip()
    if not approved:
        if justification is None or not justification.active:
            raise ApprovalRefused(_("Choose one of the justifications offered."))
        if not complement:
            raise ApprovalRefused(_("Write the justification complement."))
    try:
        if approved:
            ticket_approve(
                ticket=ticket,
                actor=actor,
                observations=observations,
                on_behalf_of=decider.on_behalf_of,
                now=now,
            )
        else:
            assert justification is not None  # noqa: S101  narrows for mypy: a rejection's form requires one
            ticket_reject(
                ticket=ticket,
                actor=actor,
                justification=f"{justification.name} — {complement}",
                on_behalf_of=decider.on_behalf_of,
                now=now,
            )
    except TransitionError as exc:
        raise ApprovalRefused(exc.message) from exc
    at = now or timezone.now()
    decision = Decision.objects.create(
        approval=approval,
        ticket=ticket,
        result=Decision.Result.APPROVED if approved else Decision.Result.NOT_APPROVED,
        decided_by=actor,
        on_behalf_of=decider.on_behalf_of,
        observations=observations,
        justification=None if approved else justification,
        justification_complement="" if approved else complement,
        via=via,
        decided_at=at,
    )
    approval.status = Approval.Status.APPROVED if approved else Approval.Status.NOT_APPROVED
    approval.closed_at = at
    approval.save(update_fields=["status", "closed_at"])
    approval_decision_emails_queue(decision=decision, ticket=ticket)
    ticket_events.approval_decided(ticket, decision_id=decision.pk, result=decision.result, decided_at=at)
    version_bump(group_version_key(approval.group_id))  # its approvers' menu count (portal/shell.py)
    return decision


def approval_decision_emails_queue(*, decision: Decision, ticket: Ticket):
    """The requester's e-mail about the decision (template "Approval decision"), in the caller's
    transaction; None when there is no template or address (logged)."""
    template = _template(DECISION_TEMPLATE_NAME)
    if template is None:
        return None
    requester = ticket.requester
    language = user_language(requester)
    with override(language):
        result = str(Decision.Result(decision.result).label)
        by = decision.decided_by.display_name
        if decision.on_behalf_of is not None:
            by = _("%(substitute)s on behalf of %(absent)s") % {
                "substitute": by,
                "absent": decision.on_behalf_of.display_name,
            }
        justification = ""
        if decision.justification is not None:
            justification = f"{decision.justification.name} — {decision.justification_complement}"
    context = ticket_context(
        ticket=ticket,
        language=language,
        RESULT=result,
        DECIDEDBY=by,
        JUSTIFICATION=justification,
        OBSERVATIONS=decision.observations,
    )
    return email_queue(
        template=template,
        context=context,
        recipient_user=requester,
        language=language,
        idempotency_key=f"approval:{decision.approval_id}:decision",
    )


# --- absences ---------------------------------------------------------------------------------------


@transaction.atomic
def absence_declare(
    *, user: User, substitute: User | None, starts_at: datetime, ends_at: datetime
) -> Absence:
    """Declare ``user`` away from ``starts_at`` to ``ends_at``, with ``substitute``."""
    if substitute is None or substitute.pk == user.pk:
        raise ApprovalRefused(_("Choose someone else as your substitute."))
    if not substitute.is_active:
        raise ApprovalRefused(_("The substitute's account is inactive."))
    if ends_at <= starts_at:
        raise ApprovalRefused(_("The absence must end after it starts."))
    if ends_at <= timezone.now():
        raise ApprovalRefused(_("The absence is already over."))
    overlapping = Absence.objects.filter(
        user=user, starts_at__lt=ends_at, ends_at__gt=starts_at, ended_at__isnull=True
    ).exists()
    if overlapping:
        raise ApprovalRefused(_("You already have an absence in that period; end it first."))
    absence = Absence(user=user, substitute=substitute, starts_at=starts_at, ends_at=ends_at)
    absence.full_clean()
    absence.save()
    if absence.is_active():
        absence_copy_emails_queue(absence_id=absence.pk)  # already under way: the copies now
    version_bump(user_version_key(substitute.pk))  # the substitute's scope (approvals/selectors.py)
    return absence


@transaction.atomic
def absence_end(*, absence: Absence, actor: User, now: datetime | None = None) -> Absence:
    """End an absence now (its user, or an administrator in the admin). An ended or finished
    absence stays as it is."""
    if actor.pk != absence.user_id and not actor.has_perm("approvals.change_absence"):
        raise ApprovalRefused(_("Only the absent user or an administrator may end this absence."))
    now = now or timezone.now()
    if absence.ended_at is not None or absence.ends_at <= now:
        return absence
    # An absence that has not started yet is ended at its own start (it never takes effect).
    absence.ended_at = max(now, absence.starts_at)
    absence.save(update_fields=["ended_at"])
    if absence.substitute_id is not None:
        version_bump(user_version_key(absence.substitute_id))  # their scope (approvals/selectors.py)
    return absence


def approval_token_lookup(raw: str) -> ApprovalToken | None:
    """The token row for ``raw`` (used or expired included: the page says which), or None."""
    return token_find(
        ApprovalToken.objects.select_related(
            "approval__ticket__service",
            "approval__ticket__activity",
            "approval__ticket__requester",
            "approver",
            "on_behalf_of",
        ),
        raw,
    )
