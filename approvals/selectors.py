"""Approval reads for a user: whose approvals they see (their groups, and the groups of the people
they substitute now), the Approvals list, the menu count, a ticket's approval history.

A ticket awaits approval when it is Registered with the Approval task; its current group is the
approver group. Nothing else decides who sees it, so a ticket that entered approval any way (the
portal, the back office, bulk loads) is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from catalog.models import Activity
from core.versions import cached_under_versions, group_version_key, user_version_key
from tickets.access import group_ids, tickets_visible_to
from tickets.models import Situation, Task, Ticket
from tickets.selectors import TicketListFilters, ticket_list_filter

from .models import Absence, Approval, Decision, Justification

if TYPE_CHECKING:
    from accounts.models import User


LIST_RELATED = ("service", "activity", "current_group", "requester")


@dataclass(frozen=True)
class ApproverScope:
    """The approver groups a user decides for: ``own`` (a member) and ``on_behalf`` (group id ->
    the absent member substituted, for groups reached only through a substitution)."""

    own: frozenset[int] = frozenset()
    on_behalf: dict[int, Any] = field(default_factory=dict)

    @property
    def group_ids(self) -> list[int]:
        return sorted(self.own | set(self.on_behalf))

    def absent_for(self, group_id: int | None) -> Any:
        """The absent member a ticket of ``group_id`` is decided for, or None (the user's own)."""
        if group_id is None or group_id in self.own:
            return None
        return self.on_behalf.get(group_id)


def _awaiting() -> Q:
    return Q(situation=Situation.REGISTERED, current_task=Task.APPROVAL)


@dataclass(frozen=True)
class MenuState:
    visible: bool
    count: int


@dataclass(frozen=True)
class ApproverState:
    """The scope and the menu of a user (:func:`approver_state`)."""

    scope: ApproverScope
    menu: MenuState


def absences_substituted_by(user: User, now: datetime | None = None) -> QuerySet[Absence]:
    """The absences under way in which ``user`` substitutes an active member: the one rule of who
    decides for whom (the scope below, and ``approvals.services.decider_for``). Substitution does
    not cascade: only absences naming ``user`` as substitute count."""
    return Absence.objects.active(now).filter(substitute=user, user__is_active=True)


def approver_scope(user: User, now: datetime | None = None) -> ApproverScope:
    """The approver groups ``user`` decides for: their groups, then those of the members they
    substitute now, each with the lowest such member. Two queries (three while substituting)."""
    if not getattr(user, "is_authenticated", False):
        return ApproverScope()
    own = group_ids(user)
    absent_of: dict[int, int] = {}
    substituted = absences_substituted_by(user, now).filter(user__groups__isnull=False)
    for absent, group in substituted.order_by("user_id").values_list("user_id", "user__groups"):
        if group not in own:
            absent_of.setdefault(group, absent)
    on_behalf: dict[int, Any] = {}
    if absent_of:
        users = get_user_model().objects.in_bulk(set(absent_of.values()))
        on_behalf = {group: users[pk] for group, pk in absent_of.items()}
    return ApproverScope(own=own, on_behalf=on_behalf)


def approver_menu(scope: ApproverScope) -> MenuState:
    """The menu item: shown when one of the scope's groups approves some activity or has a ticket
    awaiting it, with how many tickets await them (the user's own requests included, as the list
    shows them). No query for a user outside every approver group, one or two otherwise."""
    if not scope.group_ids:
        return MenuState(False, 0)
    count = Ticket.objects.filter(_awaiting(), current_group_id__in=scope.group_ids).count()
    approves = count > 0 or Activity.objects.filter(approver_group_id__in=scope.group_ids).exists()
    return MenuState(approves, count)


def approver_state(user: User, now: datetime | None = None) -> ApproverState:
    """The scope and the menu, computed from the database."""
    scope = approver_scope(user, now)
    return ApproverState(scope, approver_menu(scope))


def approver_scope_cached(user: User) -> ApproverScope:
    """:func:`approver_scope` cached under the user's version (core/versions.py), which changes
    when their groups change (accounts/signals.py) and when an absence naming them as substitute
    is declared or ended (:mod:`approvals.services`); an absence whose period starts or ends with no
    write shows within the cache's time bound. Decisions are checked again by the services
    (``decider_for``), never from this cache."""
    if not getattr(user, "is_authenticated", False):
        return ApproverScope()
    return cached_under_versions(
        f"approver-scope:{user.pk}", [user_version_key(user.pk)], lambda: approver_scope(user)
    )


def approver_scope_for_request(request) -> ApproverScope:
    """:func:`approver_scope_cached` once per request: the shell (portal/shell.py) and the Approvals
    pages share it."""
    scope = getattr(request, "approver_scope", None)
    if scope is None:
        scope = request.approver_scope = approver_scope_cached(request.user)
    return scope


def approval_version_keys(scope: ApproverScope) -> list[str]:
    """The versions the menu of ``scope`` is computed under: one per approver group, bumped when a
    ticket enters or leaves that group's approval (:mod:`approvals.services`), so an approval in one
    group recomputes only its members' menus."""
    return [group_version_key(group) for group in scope.group_ids]


def approval_list_for_user(
    user: User, scope: ApproverScope, filters: TicketListFilters | None = None
) -> QuerySet[Ticket]:
    """The tickets awaiting the user's groups (My Requests' search and sort), with ``sla_status``;
    the user's own requests included, which the page shows without Approve."""
    qs = (
        Ticket.objects.filter(_awaiting(), current_group_id__in=scope.group_ids)
        .select_related(*LIST_RELATED)
        .with_sla_status()
    )
    return ticket_list_filter(qs, filters or TicketListFilters())


def ticket_get_for_approver(user: User, pk, *, scope: ApproverScope | None = None) -> Ticket:
    """A ticket awaiting the user's decision, with what the pages show; ``Http404`` for any other
    (another group's, decided, missing; an anonymous user)."""
    scope = scope if scope is not None else approver_scope(user)
    try:
        return (
            Ticket.objects.filter(_awaiting(), current_group_id__in=scope.group_ids)
            .select_related("service", "activity", "current_group", "requester", "responsible")
            .with_sla_status()
            .get(pk=pk)
        )
    except (Ticket.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def ticket_get_for_history(user: User, pk) -> Ticket:
    """A ticket whose approval history the user may read: a member (or current substitute) of a
    group that was asked to approve it, or staff who may see the ticket; ``Http404`` otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    scope = approver_scope(user)
    asked = Approval.objects.filter(ticket=OuterRef("pk"), group_id__in=scope.group_ids)
    by_group = Q(Exists(asked)) | Q(_awaiting(), current_group_id__in=scope.group_ids)
    qs = Ticket.objects.filter(by_group)
    if user.is_staff:
        qs = qs | tickets_visible_to(user)
    try:
        return qs.select_related("service", "activity", "current_group", "requester").distinct().get(pk=pk)
    except (Ticket.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class History:
    decisions: list[Decision]
    approved: int
    not_approved: int
    pending_members: list[tuple[Any, Any]]  # (member, their substitute now or None)
    events: list[tuple[datetime, str, Any]]  # (when, kind, object) newest first


def approval_history(ticket: Ticket, now: datetime | None = None) -> History:
    """The three tabs: Executed (every decision), Pending (members of the group still asked), History
    (every approval's start, decision or withdrawal). A fixed number of queries."""
    approvals = list(
        Approval.objects.filter(ticket=ticket).select_related("group").order_by("created_at", "id")
    )
    decisions = list(
        Decision.objects.filter(ticket=ticket)
        .select_related("decided_by", "on_behalf_of", "justification")
        .order_by("-decided_at", "-id")
    )
    awaiting = ticket.situation == Situation.REGISTERED and ticket.current_task == Task.APPROVAL
    group_id = ticket.current_group_id if awaiting else None
    members: list[Any] = []
    substitutes: dict[int, Any] = {}
    if group_id is not None:
        members = list(
            get_user_model()
            .objects.filter(groups=group_id, is_active=True)
            .order_by("first_name", "username")
        )
        for absence in Absence.objects.active(now).filter(user__in=members).select_related("substitute"):
            substitutes.setdefault(absence.user_id, absence.substitute)
    by_approval = {d.approval_id: d for d in decisions}
    events: list[tuple[datetime, str, Any]] = []
    for a in approvals:
        events.append((a.created_at, "entered", a))
        if a.pk in by_approval:
            events.append((by_approval[a.pk].decided_at, "decided", by_approval[a.pk]))
        elif a.status == Approval.Status.WITHDRAWN or not awaiting:
            # Left the task another way (canceled, or decided in the back office).
            events.append((a.closed_at or ticket.updated_at, "withdrawn", a))
    events.sort(key=lambda e: e[0], reverse=True)
    return History(
        decisions=decisions,
        approved=sum(d.result == Decision.Result.APPROVED for d in decisions),
        not_approved=sum(d.result == Decision.Result.NOT_APPROVED for d in decisions),
        pending_members=[(m, substitutes.get(m.pk)) for m in members],
        events=events,
    )


def justification_choices() -> QuerySet[Justification]:
    return Justification.objects.filter(active=True).order_by("order", "name")


def absence_list_for_user(user: User) -> QuerySet[Absence]:
    """The user's absences that are not over, soonest first (the profile page)."""
    absences = Absence.objects.current().filter(user=user)
    return absences.select_related("substitute").order_by("starts_at", "id")
