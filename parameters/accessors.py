"""The only way code reads a parameter: ``param(REGISTER_OCCURRENCE_PER_PORTAL)``.

Freshness: no value is kept across requests, so a change committed by any process — the admin,
``manage.py parameter set``, a shell, a migration, even a raw SQL ``UPDATE`` of the table — is read
by the next request or task of every process (each runserver or gunicorn worker, each Celery worker),
on SQLite or PostgreSQL, with Redis up, down or absent. The longest a committed change can stay
invisible is the rest of a request or task that had already read the parameters: no time bound to
tune, nothing to invalidate in another process.

Cost: within a *scope* — a request (:class:`parameters.middleware.ParameterSnapshotMiddleware`) or
a Celery task (the hooks in :mod:`parameters.task_scope`) — the first read loads every stored value with
one query (``SELECT number, value`` of a table of a few dozen rows) and later reads reuse that
snapshot; a scope that reads no parameter costs nothing. That query replaces the round trip to a
shared cache at about the same price (a few tenths of a millisecond on PostgreSQL, SQLite or Redis
alike), works the same with every cache backend, and sees what a cache cannot (a raw SQL update).
Outside a scope (a management command, a shell) every read queries, so a long-lived process never
holds an old value.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, overload

from django.db import connection

from .registry import REGISTRY, Param

_snapshot: contextvars.ContextVar[dict[int, str] | None] = contextvars.ContextVar(
    "param_snapshot", default=None
)
_in_scope: contextvars.ContextVar[bool] = contextvars.ContextVar("param_in_scope", default=False)


def _load() -> dict[int, str]:
    """Every stored value, with one plain query: built by hand because the ORM's queryset costs
    about as much again as the query itself, on every request."""
    from .models import ParameterValue

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, value FROM {connection.ops.quote_name(ParameterValue._meta.db_table)}"  # noqa: S608  table name from _meta, no value in it
        )
        return dict(cursor.fetchall())


@contextmanager
def snapshot_scope() -> Iterator[None]:
    """One unit of work (a request, a task) that reads the parameters at most once, lazily.

    A scope opened inside another (a task run in-process by a request) shares the outer one."""
    if _in_scope.get():
        yield
        return
    scope = _in_scope.set(True)
    snap = _snapshot.set(None)
    try:
        yield
    finally:
        _snapshot.reset(snap)
        _in_scope.reset(scope)


def values() -> dict[int, str]:
    """Every stored value by number (a parameter without a row has its registry default)."""
    data = _snapshot.get()
    if data is None:
        data = _load()
        if _in_scope.get():
            _snapshot.set(data)
    return data


T = TypeVar("T")


@overload
def param(p: Param[T]) -> T: ...
@overload
def param(p: int) -> Any: ...
def param(p: Param[Any] | int) -> Any:
    """The current value of a parameter, typed by its declaration: ``param(r.REOPEN_DAYS)`` is an
    int, ``param(r.SMARTBOX)`` a bool (by number, ``param(171)``, it is ``Any``)."""
    if isinstance(p, int):
        p = REGISTRY[p]
    return p.parse(values().get(p.number))


def param_object(p: Param[Any] | int):
    """The record an ID parameter names, or None when empty or dangling."""
    if isinstance(p, int):
        p = REGISTRY[p]
    pk = param(p)
    if pk is None:
        return None
    return p.target_model()._default_manager.filter(pk=pk).first()


def invalidate() -> None:
    """Forget the current scope's snapshot, so the process that changed a value reads it back at
    once (other processes never hold one beyond their current request or task)."""
    _snapshot.set(None)
