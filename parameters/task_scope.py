"""Each Celery task is one parameter scope (:func:`parameters.accessors.snapshot_scope`), as a
request is: a task reads the parameters once, lazily, and the worker's next task reads them again,
so a worker never runs a task with a value changed before that task started.

Connected to Celery's ``task_prerun`` / ``task_postrun`` signals (sent around every task, in the
worker and when a task runs in-process); a task run in-process by a request shares its scope."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from celery.signals import task_postrun, task_prerun

from .accessors import snapshot_scope

_open: dict[str, AbstractContextManager[None]] = {}


def _task_started(task_id: str | None = None, **kwargs: Any) -> None:
    scope = snapshot_scope()
    scope.__enter__()
    _open[task_id or ""] = scope


def _task_finished(task_id: str | None = None, **kwargs: Any) -> None:
    scope = _open.pop(task_id or "", None)
    if scope is not None:
        scope.__exit__(None, None, None)


def connect_task_scopes() -> None:
    task_prerun.connect(_task_started, weak=False, dispatch_uid="parameters-task-scope-start")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="parameters-task-scope-end")
