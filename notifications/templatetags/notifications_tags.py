"""The icon and the text of a notification's state (no queries)."""

from __future__ import annotations

from django import template

from ..selectors import State

register = template.Library()


@register.filter
def state_icon(state: str) -> str:
    return State.ICONS.get(state, "bi-envelope")


@register.filter
def state_label(state: str) -> str:
    return str(State.LABELS.get(state, ""))
