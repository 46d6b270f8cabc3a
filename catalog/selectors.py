"""Catalog reads for the portal: the one place that decides what a user may see (docs/domain.md).

An item is visible in the portal when it is ``available_in_portal``, it has no units or one of
them is the user's unit or above it (``accounts.Unit``: restricting to a unit includes the units
below it), and, with parameter 293 = Y, it has no groups or one of the user's groups — and so is
everything above it: a service of a hidden
portfolio is hidden, an activity of a hidden service is hidden. Home, portfolio and service pages,
search, the request form and the Smartbox all read through these functions; a hidden item answers
404 on its direct URL. Each function returns a QuerySet with what its page shows already joined or
annotated, so a page runs a fixed number of queries whatever the catalog's size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.search import search_words
from parameters import registry as r
from parameters.accessors import param, param_object

from .models import (
    Activity,
    Contract,
    Portfolio,
    Service,
    ServiceEvaluation,
    catalog_language_suffix,
    groups_visible_q,
    units_visible_q,
)

if TYPE_CHECKING:
    from accounts.models import User


EVALUATIONS_SHOWN = 10
SEARCH_MIN_LENGTH = 2


# --- visibility ------------------------------------------------------------------------------


def _item_q(model, user: User, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}available_in_portal": True}) & units_visible_q(model, user, prefix)
    if param(r.CATALOG_BY_GROUP):
        q &= groups_visible_q(model, user, prefix)
    return q


def portfolio_visible_q(user: User, prefix: str = "") -> Q:
    return _item_q(Portfolio, user, prefix)


def service_visible_q(user: User, prefix: str = "") -> Q:
    return _item_q(Service, user, prefix) & portfolio_visible_q(user, f"{prefix}portfolio__")


def activity_visible_q(user: User, prefix: str = "") -> Q:
    return _item_q(Activity, user, prefix) & service_visible_q(user, f"{prefix}service__")


# --- the contract of portal tickets -----------------------------------------------------------


def portal_contract() -> Contract | None:
    """The contract tickets opened in the portal (catalog, Smartbox, chat) go under (parameter 118),
    or None when it is not set, does not exist, is inactive or is outside its dates — then they cannot
    be opened."""
    contract = param_object(r.DEFAULT_CONTRACT)
    if contract is None or not contract.active:
        return None
    today = timezone.localdate()
    if (contract.start_date and contract.start_date > today) or (
        contract.end_date and contract.end_date < today
    ):
        return None
    return contract


# --- portfolios ------------------------------------------------------------------------------


def portfolio_list_visible(*, user: User) -> QuerySet[Portfolio]:
    return Portfolio.objects.filter(portfolio_visible_q(user))


def portfolio_get_visible(*, user: User, pk) -> Portfolio:
    return get_object_or_404(portfolio_list_visible(user=user), pk=pk)


# --- services --------------------------------------------------------------------------------


def _with_rating(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.annotate(rating_avg=Avg("evaluations__stars"), rating_count=Count("evaluations"))


def service_list_visible(*, user: User, portfolio: Portfolio | None = None) -> QuerySet[Service]:
    qs = Service.objects.filter(service_visible_q(user)).select_related("portfolio")
    if portfolio is not None:
        qs = qs.filter(portfolio=portfolio)
    return _with_rating(qs)


def service_get_visible(*, user: User, pk) -> Service:
    return get_object_or_404(service_list_visible(user=user), pk=pk)


# --- activities ------------------------------------------------------------------------------


def activity_list_visible(*, user: User, service: Service | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.filter(activity_visible_q(user)).select_related("service__portfolio")
    if service is not None:
        qs = qs.filter(service=service)
    return qs


def activity_get_visible(*, user: User, pk) -> Activity:
    return get_object_or_404(activity_list_visible(user=user), pk=pk)


# --- evaluations -----------------------------------------------------------------------------


def evaluation_list_for_service(
    *, service: Service, limit: int = EVALUATIONS_SHOWN
) -> QuerySet[ServiceEvaluation]:
    """The most recent evaluations of a (visible) service, with their authors."""
    return ServiceEvaluation.objects.filter(service=service).select_related("user")[:limit]


def evaluation_get_for_user(*, service: Service, user: User) -> ServiceEvaluation | None:
    return ServiceEvaluation.objects.filter(service=service, user=user).first()


# --- search (docs/domain.md, element 7) -----------------------------------------------------------


def _text_q(words: list[str]) -> Q:
    """Every word appears in the name or description, in the default text or the current language's."""
    fields = ["name", "description"]
    suffix = catalog_language_suffix()
    if suffix:
        fields += [f"name_{suffix}", f"description_{suffix}"]
    q = Q()
    for word in words:
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": word})
        q &= any_field
    return q


def catalog_search(*, user: User, text: str) -> tuple[QuerySet[Service], QuerySet[Activity]]:
    """Visible services and activities matching ``text``; empty when it is shorter than 2 characters."""
    words = search_words(text)
    if len("".join(words)) < SEARCH_MIN_LENGTH:
        return Service.objects.none(), Activity.objects.none()
    q = _text_q(words)
    services = (
        service_list_visible(user=user)
        .filter(q)
        .order_by("portfolio__type", "portfolio__order", "order", "name", "pk")
    )
    activities = (
        activity_list_visible(user=user)
        .filter(q)
        .order_by("service__order", "service__name", "order", "name", "pk")
    )
    return services, activities
