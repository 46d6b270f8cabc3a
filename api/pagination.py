"""Keyset ("cursor") pages of a sorted list: ``?cursor=`` names the last row of the previous page, and the
next page is the rows after it in the sort order (the sort key, then the id). No COUNT and no OFFSET:
page 1 of 100,000 tickets costs what it costs at 1,000, and a ticket inserted meanwhile neither
repeats nor hides a row of the pages still to come. NULLs sort last ascending, first descending, on
every database."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from core.ids import parse_id

from .exceptions import Invalid


def cursor_encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"t{pk}".encode()).decode().rstrip("=")


def cursor_decode(raw: str | None) -> int | None:
    """The id a cursor names, None without one; ``Invalid`` for anything else."""
    if not raw:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    pk = parse_id(text[1:]) if text.startswith("t") else None
    if pk is None:
        raise Invalid({"cursor": [_("Invalid cursor.")]})
    return pk


def keyset_order(qs: QuerySet, field: str, ascending: bool) -> QuerySet:
    if field == "id":
        return qs.order_by("id" if ascending else "-id")
    if ascending:
        return qs.order_by(F(field).asc(nulls_last=True), "id")
    return qs.order_by(F(field).desc(nulls_first=True), "-id")


def keyset_after(qs: QuerySet, field: str, ascending: bool, value: Any, pk: int) -> QuerySet:
    """The rows of ``qs`` after the row (``value`` of ``field``, ``pk``) in :func:`keyset_order`'s order."""
    if field == "id":
        return qs.filter(pk__gt=pk) if ascending else qs.filter(pk__lt=pk)
    null = Q(**{f"{field}__isnull": True})
    if ascending:
        if value is None:
            return qs.filter(null & Q(pk__gt=pk))
        return qs.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}) | null)
    if value is None:
        return qs.filter((null & Q(pk__lt=pk)) | ~null)
    return qs.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}))


def keyset_page(
    qs: QuerySet, *, field: str, ascending: bool, size: int, after: int | None, anchor_qs: QuerySet
) -> tuple[list, int | None]:
    """One page of ``qs`` and the id to continue after (None on the last page). ``anchor_qs``
    (the list without its filters) gives the sort value of the cursor's row: one query more from
    page 2 on; a row that is not in it is an invalid cursor."""
    qs = keyset_order(qs, field, ascending)
    if after is not None:
        anchor = anchor_qs.filter(pk=after).values_list(field, flat=True)
        found = list(anchor[:1])
        if not found:
            raise Invalid({"cursor": [_("Invalid cursor.")]})
        qs = keyset_after(qs, field, ascending, found[0], after)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].pk if more and rows else None)
