"""Reads of the occurrence vocabulary (categories, origins, :mod:`tickets.models`) for the Occurrence
Register form.

Nothing here is cached: the categories and origins offered and the records parameters 262/263 lock
the fields to are read from the database by the request that shows or validates the form, so a
change made by any process is seen by the next request (no staleness bound to state)."""

from __future__ import annotations

from django.db.models import QuerySet

from parameters import registry as r
from parameters.accessors import param
from tickets.models import Category, Origin


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
