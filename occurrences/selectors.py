"""Occurrence reads for the portal.

Nothing here is cached: the categories and origins offered and the records parameters 262/263 lock
the fields to are read from the database by the request that shows or validates the form, so a
change made by any process is seen by the next request (no staleness bound to state)."""

from __future__ import annotations

from django.db.models import QuerySet

from parameters import registry as r
from parameters.accessors import param

from .models import Category, Occurrence, Origin


def occurrence_list_for_ticket(*, user, ticket, limit: int = 10) -> list[Occurrence]:
    """The last ``limit`` occurrences of one of ``user``'s tickets that the requester may see
    (``public``), newest first, with category, origin and author in the same query."""
    if not (user.is_authenticated and ticket.requester_id == user.pk):
        return []
    return list(
        Occurrence.objects.filter(ticket=ticket, public=True)
        .select_related("category", "origin", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def category_choices() -> QuerySet[Category]:
    """Active categories a requester may choose: not the ones the system keeps for lifecycle entries."""
    return Category.objects.filter(active=True, code__isnull=True).order_by("name")


def origin_choices() -> QuerySet[Origin]:
    return Origin.objects.filter(active=True).order_by("name")


def locked_category() -> Category | None:
    """The category parameter 262 locks the Category field to: an existing, active record, else None."""
    pk = param(r.DEFAULT_OCCURRENCE_CATEGORY)
    return None if pk is None else category_choices().filter(pk=pk).first()


def locked_origin() -> Origin | None:
    """The origin parameter 263 locks the Origin field to: an existing, active record, else None."""
    pk = param(r.DEFAULT_OCCURRENCE_ORIGIN)
    return None if pk is None else origin_choices().filter(pk=pk).first()
