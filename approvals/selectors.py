"""Approval reads for a user: whose approvals they see (their groups, and the groups of the people
they substitute now), the Approvals list, the menu count, a ticket's approval history.

A ticket awaits approval when it is Registered with the Approval task; its current group is the
approver group. Nothing else decides who sees it, so a ticket that entered approval any way (the
portal, the back office, bulk loads) is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from catalog.models import Activity
from tickets.access import tickets_visible_to
from tickets.models import Situation, Task, Ticket
from tickets.selectors import TicketListFilters, ticket_list_filter

from .models import Absence, Approval, Decision, Justification

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


def approver_scope(user, now: datetime | None = None) -> ApproverScope:
    """Two queries: the user's groups, and the groups of the people they substitute now (each with
    that person). Substitution does not cascade: only absences naming ``user`` count."""
    if not getattr(user, "is_authenticated", False):
        return ApproverScope()
    own = frozenset(Group.objects.filter(user=user).values_list("pk", flat=True))
    absences = (
        Absence.objects.active(now)
        .filter(substitute=user, user__is_active=True, user__groups__isnull=False)
        .annotate(group_id=F("user__groups"))
        .select_related("user")
        .order_by("user_id", "pk")
    )
    on_behalf: dict[int, Any] = {}
    for absence in absences:
        if absence.group_id not in own:
            on_behalf.setdefault(absence.group_id, absence.user)
    return ApproverScope(own=own, on_behalf=on_behalf)


def _scope_groups(user, now: datetime | None = None) -> QuerySet:
    """The ids of the scope's groups as a subquery (for the one-query menu state)."""
    substituted = Absence.objects.active(now).filter(substitute=user, user__is_active=True).values("user_id")
    return Group.objects.filter(Q(user=user) | Q(user__in=substituted)).values("pk")


@dataclass(frozen=True)
class MenuState:
    visible: bool
    count: int


def approvals_menu_state(user, now: datetime | None = None) -> MenuState:
    """Whether the menu shows Approvals (the user is in an approver group or substitutes someone
    who is) and how many tickets await them: one query."""
    if not getattr(user, "is_authenticated", False):
        return MenuState(False, 0)
    now = now or timezone.now()
    groups = _scope_groups(user, now)
    pending = (
        Ticket.objects.filter(_awaiting(), current_group__in=groups)
        .order_by()
        .values("current_task")  # one value among them: one group, one row
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            is_approver=Exists(Activity.objects.filter(approver_group__in=groups)),
            pending=Coalesce(Subquery(pending), 0),
        )
        .values_list("is_approver", "pending")
        .first()
    )
    if row is None:
        return MenuState(False, 0)
    is_approver, count = row
    return MenuState(bool(is_approver or count), int(count))


def approvals_menu_for_request(request) -> MenuState:
    """:func:`approvals_menu_state` once per request: the Approvals page and the menu (the portal's
    context processor) share it."""
    state = getattr(request, "approvals_menu", None)
    if state is None:
        state = request.approvals_menu = approvals_menu_state(request.user)
    return state


def approval_list_for_user(
    user, scope: ApproverScope, filters: TicketListFilters | None = None
) -> QuerySet[Ticket]:
    """The tickets awaiting the user's decision (My Requests' search and sort), with ``sla_status``."""
    qs = (
        Ticket.objects.filter(_awaiting(), current_group_id__in=scope.group_ids)
        .select_related(*LIST_RELATED)
        .with_sla_status()
    )
    return ticket_list_filter(qs, filters or TicketListFilters())


def ticket_get_for_approver(user, pk, *, scope: ApproverScope | None = None) -> Ticket:
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


def ticket_get_for_history(user, pk) -> Ticket:
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


def absence_list_for_user(user) -> QuerySet[Absence]:
    """The user's absences that are not over, soonest first (the profile page)."""
    now = timezone.now()
    return (
        Absence.objects.filter(user=user, ends_at__gt=now)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .select_related("substitute")
        .order_by("starts_at", "id")
    )


def substitution_list_for_user(user) -> QuerySet[Absence]:
    """Absences in which the user is the substitute, current or coming."""
    now = timezone.now()
    return (
        Absence.objects.filter(substitute=user, ends_at__gt=now)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .select_related("user")
        .order_by("starts_at", "id")
    )
