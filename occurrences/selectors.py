"""Occurrence reads for the portal."""

from __future__ import annotations

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet, Value

from parameters import registry as r
from parameters.accessors import param, values_with

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


CHOICES_CACHE_KEY = "occurrences:choices:v1"
CHOICES_CACHE_SECONDS = 60


def offered_choices() -> dict[str, dict[str, Category | Origin]]:
    """The categories and origins a requester may choose (:func:`category_choices`,
    :func:`origin_choices`), by primary key as text: ``{"category": {...}, "origin": {...}}``.

    Both tables are small and read by every Register occurrence POST, so they come from the cache
    (one read), else from one query. Saving or deleting a category or origin drops the entry
    (:func:`choices_cache_drop`); a drop lost while the cache is unreachable lasts
    ``CHOICES_CACHE_SECONDS`` at the most. The entry is read in the same round trip as the
    parameters."""
    # Read with the parameters (262/263 lock these fields), which the page needs anyway.
    rows = values_with(CHOICES_CACHE_KEY)[1].get(CHOICES_CACHE_KEY)
    if rows is None:
        fields = ("kind", "pk", "name")
        categories = category_choices().order_by().annotate(kind=Value("category")).values_list(*fields)
        origins = origin_choices().order_by().annotate(kind=Value("origin")).values_list(*fields)
        rows = list(categories.union(origins, all=True))
        cache.set(CHOICES_CACHE_KEY, rows, CHOICES_CACHE_SECONDS)
    offered: dict[str, dict[str, Category | Origin]] = {"category": {}, "origin": {}}
    for kind, pk, name in rows:
        obj = (Category if kind == "category" else Origin)(pk=pk, name=name, active=True)
        obj._state.adding, obj._state.db = False, DEFAULT_DB_ALIAS
        offered[kind][str(pk)] = obj
    return offered


def choices_cache_drop() -> None:
    cache.delete(CHOICES_CACHE_KEY)


def locked_category(offered: dict | None = None) -> Category | None:
    """The category parameter 262 locks the Category field to: an existing, active record, else None.
    ``offered``: the choices from :func:`offered_choices`, looked up instead of a query."""
    pk = param(r.DEFAULT_OCCURRENCE_CATEGORY)
    if pk is None:
        return None
    if offered is not None:
        return offered["category"].get(str(pk))
    return category_choices().filter(pk=pk).first()


def locked_origin(offered: dict | None = None) -> Origin | None:
    """The origin parameter 263 locks the Origin field to: an existing, active record, else None."""
    pk = param(r.DEFAULT_OCCURRENCE_ORIGIN)
    if pk is None:
        return None
    if offered is not None:
        return offered["origin"].get(str(pk))
    return origin_choices().filter(pk=pk).first()
