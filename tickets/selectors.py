"""Ticket reads for a user: selectors take the user, and nothing fetches a ticket unscoped (the
getters of one ticket are in :mod:`tickets.access`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet, Value
from django.http import Http404

from catalog.models import Activity, Service
from core.ids import parse_id

from .access import copy_candidates, is_reader, ticket_get_visible, tickets_of_requester, tickets_shared_with
from .models import Attachment, Message, Occurrence, Opinion, Situation, SurveyAnswer, Ticket, TicketCopy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


# "Sort by" of My Requests: the only keys accepted, each mapped to the ORM expression it sorts on.
# Anything else coming from the query string is ignored (never reaches ``order_by``).
SORT_FIELDS: dict[str, str] = {
    "ticket": "id",
    "type": "type",
    "service": "service__name",
    "activity": "activity__name",
    "created": "created_at",
    "task": "current_task",
    "group": "current_group__name",
    "situation": "situation",
    "time_limit": "time_limit",
    "sla_status": "sla_rank",
    "priority": "priority",
}
DEFAULT_SORT = "created"
ASC, DESC = "asc", "desc"
# A ticket number is a bigint primary key: longer digit strings cannot be one.
_MAX_NUMBER_DIGITS = 18


@dataclass(frozen=True)
class TicketListFilters:
    """Already validated filters of My Requests (see ``tickets.forms.MyRequestsFilterForm``)."""

    search: str = ""
    situation: str | None = None  # None: every situation
    sort: str = DEFAULT_SORT
    order: str = DESC
    shared: bool = False  # "Shared with me": other requesters' tickets (issue 27)

    def __post_init__(self):
        # Defence in depth: the selector never trusts its caller with ORM input.
        if self.sort not in SORT_FIELDS:
            object.__setattr__(self, "sort", DEFAULT_SORT)
        if self.order not in (ASC, DESC):
            object.__setattr__(self, "order", DESC)
        if self.situation is not None and self.situation not in Situation.values:
            object.__setattr__(self, "situation", None)


# The related rows a list row shows (templates/tickets/_ticket_row.html).
LIST_RELATED = ("service", "activity", "current_group")


def _base_for_requester(user: User, related: tuple[str, ...]) -> QuerySet[Ticket]:
    return tickets_of_requester(user).select_related(*related).with_sla_status()


def _catalog_matches(term: str) -> tuple[list[int], list[int]]:
    """Ids of the services and of the activities whose name contains ``term``: one query over the
    (small) catalog."""
    services = (
        Service.objects.filter(name__icontains=term)
        .order_by()
        .annotate(kind=Value("s"))
        .values_list("kind", "pk")
    )
    activities = (
        Activity.objects.filter(name__icontains=term)
        .order_by()
        .annotate(kind=Value("a"))
        .values_list("kind", "pk")
    )
    found: dict[str, list[int]] = {"s": [], "a": []}
    for kind, pk in services.union(activities, all=True):
        found[kind].append(pk)
    return found["s"], found["a"]


def _search_q(term: str) -> Q:
    """Ticket number, title, description, service or activity name.

    Title and description are matched with ``icontains``; on PostgreSQL trigram indexes serve it
    (migration ``0004_search_trigram_indexes``). Service and activity names are matched in the
    catalog first and become literal id lists: every branch of the OR can then use an index, so
    PostgreSQL combines the index scans instead of reading all of the requester's tickets (an
    ``IN (subquery)`` branch cannot be an index scan). One extra query, whatever the data size.
    """
    q = Q(title__icontains=term) | Q(description__icontains=term)
    services, activities = _catalog_matches(term)
    if services:
        q |= Q(service_id__in=services)
    if activities:
        q |= Q(activity_id__in=activities)
    digits = term.lstrip("#")
    number = parse_id(digits) if len(digits) <= _MAX_NUMBER_DIGITS else None
    if number:
        q |= Q(pk=number)
    return q


def ticket_list_for_requester(user: User, filters: TicketListFilters | None = None) -> QuerySet[Ticket]:
    """My Requests: the user's own tickets, filtered and sorted, with ``sla_status`` annotated.

    Related rows used by the list (service, activity, current group) come in the same
    query, so a page costs one query whatever its size (plus the paginator's count).
    """
    return ticket_list_filter(_base_for_requester(user, LIST_RELATED), filters or TicketListFilters())


def ticket_list_shared_with(user: User, filters: TicketListFilters | None = None) -> QuerySet[Ticket]:
    """ "Shared with me" of My Requests: the tickets of others ``user`` may read (tickets/access.py:
    shared by the unit rules or in copy), filtered and sorted like their own, with the requester
    joined (the Requester column) and the reader roles annotated (the row actions ask no query)."""
    qs = tickets_shared_with(user).select_related(*LIST_RELATED, "requester").with_sla_status()
    return ticket_list_filter(qs, filters or TicketListFilters(shared=True))


def ticket_list_filter(qs: QuerySet[Ticket], filters: TicketListFilters) -> QuerySet[Ticket]:
    """``qs`` narrowed and sorted by the list filters (My Requests, Approvals): the one home of the
    search and of the whitelisted sort with its ``id`` tie-breaker."""
    if filters.situation:
        qs = qs.filter(situation=filters.situation)
    term = filters.search.strip()
    if term:
        qs = qs.filter(_search_q(term))
    field = SORT_FIELDS[filters.sort]
    if filters.order == ASC:
        # ``id`` breaks ties so a page never repeats or skips a ticket.
        return qs.order_by(F(field).asc(), "id") if field != "id" else qs.order_by("id")
    return qs.order_by(F(field).desc(), "-id") if field != "id" else qs.order_by("-id")


def requester_has_tickets(user: User, *, shared: bool = False) -> bool:
    """Whether the user has any ticket at all, or with ``shared`` any shared with them (tells "no
    tickets" from "nothing matches")."""
    return (tickets_shared_with(user) if shared else tickets_of_requester(user)).exists()


def attachment_list_for_ticket(ticket: Ticket):
    qs = Attachment.objects.filter(ticket=ticket).select_related("uploaded_by")
    return qs.order_by("uploaded_at", "id")


def attachment_get_for_user(user: User, *, ticket_pk, pk):
    """An attachment of a ticket the user may see (see :func:`ticket_get_visible`), else ``Http404``."""
    ticket = ticket_get_visible(user, ticket_pk)
    try:
        return Attachment.objects.select_related("ticket").get(ticket=ticket, pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def opinion_for_ticket(ticket: Ticket):
    return Opinion.objects.filter(ticket=ticket).first()


def survey_answer_for_ticket(ticket: Ticket):
    return SurveyAnswer.objects.filter(ticket=ticket).first()


def message_list(*, ticket: Ticket, after: int = 0) -> QuerySet[Message]:
    """The ticket's messages in order, only those with an id above ``after`` when given."""
    qs = Message.objects.filter(ticket=ticket).select_related("author").order_by("id")
    return qs.filter(id__gt=after) if after else qs


def occurrence_list_for_ticket(*, user: User | AnonymousUser, ticket, limit: int = 10) -> list[Occurrence]:
    """The last ``limit`` occurrences of a ticket ``user`` reads (:func:`tickets.access.is_reader`)
    that the requester may see (``public``), newest first, with category, origin and author in the
    same query."""
    if not is_reader(user, ticket):
        return []
    return list(
        Occurrence.objects.filter(ticket=ticket, public=True)
        .select_related("category", "origin", "author")
        .order_by("-created_at", "-id")[:limit]
    )


COPY_SEARCH_RESULTS = 10


def copy_list_for_ticket(ticket: Ticket) -> list[TicketCopy]:
    """The people in copy of a ticket its reader sees, with their names: one query."""
    return list(TicketCopy.objects.filter(ticket=ticket).select_related("user").order_by("id"))


def copy_search(user: User, ticket: Ticket, form) -> list:
    """Colleagues of ``user`` whose name contains the words of ``form`` (``CopySearchForm``) and who
    are not in copy of ``ticket`` yet; nothing without a search (no query)."""
    if not form.is_valid() or not form.cleaned_data["copy_search"]:
        return []
    qs = copy_candidates(user).exclude(pk__in=TicketCopy.objects.filter(ticket=ticket).values("user_id"))
    for word in form.cleaned_data["copy_search"].split():
        name = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        qs = qs.filter(name | Q(username__icontains=word))
    return list(qs[:COPY_SEARCH_RESULTS])
