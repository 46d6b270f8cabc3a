"""Portal reads: the Smartbox, the submission summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parameters import registry as r
from tickets.access import tickets_of_requester
from tickets.models import Ticket

from .models import SmartboxItem

if TYPE_CHECKING:
    from accounts.models import User


def smartbox_list_for_user(*, user: User) -> QuerySet[SmartboxItem]:
    return SmartboxItem.objects.filter(user=user).select_related("activity__service__portfolio")


def smartbox_item_get_for_user(*, user: User, pk) -> SmartboxItem:
    """The user's own item; another user's answers 404."""
    return get_object_or_404(smartbox_list_for_user(user=user), pk=pk)


def smartbox_count_for_user(*, user: User) -> int:
    return SmartboxItem.objects.filter(user=user).count()


def tickets_submitted_for_user(*, user: User, ids) -> QuerySet[Ticket]:
    """The summary after a submission: only the user's own tickets among ``ids``."""
    return tickets_of_requester(user).filter(pk__in=ids).select_related("service", "activity").order_by("pk")


def portal_home_url(user: User) -> str:
    """Where "Portal" (docs/domain.md, element 8) leads: "/" when the portal is the home screen
    (parameter 46 = Y, or for staff); otherwise "/" sends end users to My Requests and the catalog
    lives at /catalog/."""
    from django.urls import reverse

    from parameters.accessors import param

    if param(r.PORTAL_AS_HOME) or user.is_staff:
        return reverse("portal:home")
    return reverse("catalog:home")
