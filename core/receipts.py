"""Read receipts: the one kind of write a GET may make (docs/architecture.md, "Request flow").

Opening a notification, a message thread or a chat records that it was read (``viewed_at``,
``read_at``) during the GET that shows it, so the page, the bell and the other side's "read" mark
agree at once. A view that may do so carries :func:`records_receipt`. On the embedded default
(SQLite) such a request then takes the write lock when its transaction begins, as a POST does
(:class:`core.middleware.SQLiteReadRequestMiddleware`): it waits its turn behind another writer
(up to the busy timeout) instead of reading first and failing at its write with "database is
locked". Every other GET stays a pure read that takes no lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V", bound=Callable)

ATTRIBUTE = "records_receipt"


def records_receipt(view: V) -> V:
    """Mark ``view`` (a function or a ModelAdmin method) as a GET that may write a read receipt. The
    mark survives decorators built with ``functools.wraps`` (login, ``require_safe``, the admin's
    ``admin_view``)."""
    setattr(view, ATTRIBUTE, True)
    return view


def view_records_receipt(view: Callable) -> bool:
    return bool(getattr(view, ATTRIBUTE, False))
