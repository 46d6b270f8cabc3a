"""Portal writes: opening requests/incidents from the catalog and the Smartbox (docs/domain.md).

Every ticket the portal opens goes through :func:`request_open`, so the rules live once: parameter 246
turns opening off, the contract is parameter 118's (a missing/invalid one refuses with a clear message),
the origin is parameter 65's, and the priority comes from impact and urgency when the activity asks for
them (:func:`priority_from_impact_urgency`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Activity
from catalog.selectors import activity_list_visible
from core.exceptions import ApplicationError
from parameters import registry as r
from parameters.accessors import param, param_object
from tickets.models import Ticket
from tickets.services.attachments import attachment_add
from tickets.services.transitions import ticket_open

from .models import SmartboxItem
from .selectors import portal_contract_get


class RequestsUnavailable(ApplicationError):
    """The portal cannot open requests right now (no valid contract, or turned off by parameter 246)."""


def priority_from_impact_urgency(impact: int, urgency: int) -> int:
    """Priority 1 (highest) … 5 from impact and urgency, both 1 (highest) … 5.

    The average of the two; a half is rounded towards the higher priority (the smaller number), so an
    urgent problem is never downgraded: impact 1 + urgency 2 → 1, impact 2 + urgency 3 → 2,
    impact 3 + urgency 3 → 3, impact 4 + urgency 5 → 4.
    """
    return (impact + urgency) // 2


def requests_unavailable_reason() -> str | None:
    """Why the portal cannot open requests now, or None when it can."""
    if param(r.HIDE_NEW_REQUEST):
        return _("Opening new requests through the portal is turned off.")
    if portal_contract_get() is None:
        return _(
            "Requests cannot be opened through the portal yet: the service desk has not finished "
            "configuring it. Please contact the service desk."
        )
    return None


def _contract():
    reason = requests_unavailable_reason()
    if reason:
        raise RequestsUnavailable(reason)
    return portal_contract_get()


def _priority(activity: Activity, impact: int | None, urgency: int | None) -> int | None:
    if activity.asks_impact_urgency and impact and urgency:
        return priority_from_impact_urgency(impact, urgency)
    return None  # the activity's default priority


def _open(
    *,
    user,
    activity: Activity,
    contract,
    title: str,
    description: str,
    impact: int | None,
    urgency: int | None,
    files: Sequence = (),
    now=None,
) -> Ticket:
    if not activity.asks_impact_urgency:
        impact = urgency = None
    ticket = ticket_open(
        requester=user,
        activity=activity,
        contract=contract,
        title=title.strip(),
        description=description.strip(),
        priority=_priority(activity, impact, urgency),
        origin=param_object(r.DEFAULT_ORIGIN),
        impact=impact,
        urgency=urgency,
        now=now,
    )
    for f in files:
        attachment_add(ticket=ticket, actor=user, file=f)
    return ticket


@transaction.atomic
def request_open(
    *,
    user,
    activity: Activity,
    title: str,
    description: str,
    impact: int | None = None,
    urgency: int | None = None,
    files: Sequence = (),
    now=None,
) -> Ticket:
    """ "Add and Finish": open one ticket for a visible ``activity`` (the caller found it through
    catalog.selectors)."""
    return _open(
        user=user,
        activity=activity,
        contract=_contract(),
        title=title,
        description=description,
        impact=impact,
        urgency=urgency,
        files=files,
        now=now,
    )


# --- Smartbox (parameter 292) ----------------------------------------------------------------


def _require_smartbox() -> None:
    if not param(r.SMARTBOX):
        raise ApplicationError(_("The Smartbox is turned off."))


def smartbox_item_add(
    *,
    user,
    activity: Activity,
    title: str,
    description: str,
    impact: int | None = None,
    urgency: int | None = None,
) -> SmartboxItem:
    """ "Add and Continue": keep the filled request in the user's Smartbox."""
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
    )
    item.full_clean()
    item.save()
    return item


def smartbox_item_update(
    *, item: SmartboxItem, title: str, description: str, impact: int | None = None, urgency: int | None = None
) -> SmartboxItem:
    if not item.activity.asks_impact_urgency:
        impact = urgency = None
    item.title, item.description, item.impact, item.urgency = (
        title.strip(),
        description.strip(),
        impact,
        urgency,
    )
    item.full_clean()
    item.save(update_fields=["title", "description", "impact", "urgency"])
    return item


def smartbox_item_remove(*, item: SmartboxItem) -> None:
    item.delete()


@transaction.atomic
def smartbox_submit(*, user, item_ids: Iterable[int], now=None) -> list[Ticket]:
    """Open a ticket for each chosen item of the user's Smartbox and empty those items, all or nothing."""
    _require_smartbox()
    contract = _contract()
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
        _open(
            user=user,
            activity=visible[i.activity_id],
            contract=contract,
            title=i.title,
            description=i.description,
            impact=i.impact,
            urgency=i.urgency,
            now=now,
        )
        for i in items
    ]
    SmartboxItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    return tickets
