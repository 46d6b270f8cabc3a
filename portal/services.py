"""Portal writes: the Smartbox (parameter 292), a user's requests kept to be submitted together
(docs/domain.md). Opening each ticket is :func:`tickets.services.opening.request_open`, where the
rules of opening live once (parameter 246, the contract, the origin, the priority)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Activity
from catalog.selectors import activity_list_visible
from core.exceptions import ApplicationError
from core.versions import user_version_key, version_bump
from parameters import registry as r
from parameters.accessors import param
from tickets.models import Ticket
from tickets.services.opening import request_contract, request_open

from .models import SmartboxItem

if TYPE_CHECKING:
    from accounts.models import User

# --- Smartbox (parameter 292) ----------------------------------------------------------------


def _require_smartbox() -> None:
    if not param(r.SMARTBOX):
        raise ApplicationError(_("The Smartbox is turned off."))


def smartbox_item_add(
    *,
    user: User,
    activity: Activity,
    title: str,
    description: str,
    impact: int | None = None,
    urgency: int | None = None,
    answers: list[dict[str, Any]] | None = None,
) -> SmartboxItem:
    """ "Add and Continue": keep the filled request, with its questionnaire's answers, in the user's
    Smartbox."""
    _require_smartbox()
    if not activity.asks_impact_urgency:
        impact = urgency = None
    item = SmartboxItem(
        user=user,
        activity=activity,
        title=title.strip(),
        description=description.strip(),
        impact=impact,
        urgency=urgency,
        answers=answers or [],
    )
    item.full_clean()
    item.save()
    version_bump(user_version_key(user.pk))  # the Smartbox count (portal/shell.py)
    return item


def smartbox_item_update(
    *,
    item: SmartboxItem,
    title: str,
    description: str,
    impact: int | None = None,
    urgency: int | None = None,
    answers: list[dict[str, Any]] | None = None,
) -> SmartboxItem:
    if not item.activity.asks_impact_urgency:
        impact = urgency = None
    item.title, item.description, item.impact, item.urgency = (
        title.strip(),
        description.strip(),
        impact,
        urgency,
    )
    item.answers = answers or []
    item.full_clean()
    item.save(update_fields=["title", "description", "impact", "urgency", "answers"])
    return item


def smartbox_item_remove(*, item: SmartboxItem) -> None:
    item.delete()
    version_bump(user_version_key(item.user_id))  # the Smartbox count (portal/shell.py)


@transaction.atomic
def smartbox_submit(*, user: User, item_ids: Iterable[int], now=None) -> list[Ticket]:
    """Open a ticket for each chosen item of the user's Smartbox and empty those items, all or nothing."""
    _require_smartbox()
    contract = request_contract()
    items = list(
        SmartboxItem.objects.select_for_update()
        .filter(user=user, pk__in=list(item_ids))
        .order_by("created_at", "id")
    )
    if not items:
        raise ApplicationError(_("Select at least one item of the Smartbox."))
    visible = {
        a.pk: a for a in activity_list_visible(user=user).filter(pk__in={i.activity_id for i in items})
    }
    missing = [i for i in items if i.activity_id not in visible]
    if missing:
        raise ApplicationError(
            _("“%(title)s” can no longer be requested in the portal; remove it from the Smartbox.")
            % {"title": missing[0].title}
        )
    tickets = [
        request_open(
            user=user,
            activity=visible[i.activity_id],
            contract=contract,
            title=i.title,
            description=i.description,
            impact=i.impact,
            urgency=i.urgency,
            answers=i.answers,
            now=now,
        )
        for i in items
    ]
    SmartboxItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    version_bump(user_version_key(user.pk))  # the Smartbox count (portal/shell.py)
    return tickets
