from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from .accessors import invalidate
from .models import ParameterChange, ParameterValue
from .registry import REGISTRY, Kind, Param

if TYPE_CHECKING:
    from accounts.models import User


def _coerce(p: Param, value: Any) -> Any:
    """A typed value for ``p``. Text given for a flag, number or id is validated as an administrator's
    input (so ``"N"`` is False, not a truthy string); a model instance given for an id stands for its pk."""
    if isinstance(value, str) and p.kind is not Kind.TEXT:
        return p.clean(value)
    if p.kind is Kind.ID and hasattr(value, "pk"):
        return value.pk
    if p.kind is Kind.FLAG:
        return bool(value)
    return value


@transaction.atomic
def parameter_set(
    *,
    p: Param | int,
    value: Any,
    actor: User | None = None,
    via: str = ParameterChange.Via.ADMIN,
    raw: bool = False,
) -> ParameterChange | None:
    """Set a parameter. ``raw=True`` validates ``value`` as typed text (admin, command line).

    Returns the history row, or None when the value did not change. The history row of a secret
    (:attr:`Param.is_secret`) records who changed it, how and when, never the old or new value.
    """
    if isinstance(p, int):
        p = REGISTRY[p]
    typed = p.clean(value) if raw else _coerce(p, value)
    new_raw = p.to_raw(typed)
    row = ParameterValue.objects.select_for_update().filter(number=p.number).first()
    old_raw = row.value if row is not None else p.to_raw(p.default)
    if row is not None and row.value == new_raw:
        return None
    if row is None:
        ParameterValue.objects.create(number=p.number, value=new_raw, updated_by=actor)
    else:
        row.value = new_raw
        row.updated_by = actor
        row.save(update_fields=["value", "updated_by", "updated_at"])
    if p.is_secret:
        old_raw = new_raw = ""  # nothing a history search, filter, list or export could reach
    change = ParameterChange.objects.create(
        number=p.number, old_value=old_raw, new_value=new_raw, changed_by=actor, via=via
    )
    invalidate()  # this process reads the new value back at once; others on their next request
    return change
