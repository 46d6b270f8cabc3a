"""Reads of in-portal notifications: the one place that decides who sees which notification.

A notification is visible to a user while it is **active** and its publication period runs
(``starts_at <= now`` and no end or ``now < ends_at``), when the user is one of its target users,
a member of one of its target groups, or it has no target at all (then it is for every user).
``Exists`` subqueries on the two target tables, never a join, so a notification is never repeated.

Every list carries the user's own receipt through one ``LEFT JOIN`` (a ``FilteredRelation`` on the
unique ``(notification, user)`` index): ``my_viewed_at`` / ``my_confirmed_at`` say the state, and the
bell's two numbers come from one aggregate query whatever the number of notifications or receipts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationState, notification_state

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

BELL_LIMIT = 5


State = NotificationState


# --- visibility --------------------------------------------------------------------------------


def notification_running_q(now: datetime) -> Q:
    return Q(active=True, starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def notification_targets_q(user: User) -> Q:
    """For every user (no target), for this user, or for one of the user's groups."""
    users = Notification.target_users.through.objects.filter(notification_id=OuterRef("pk"))
    groups = Notification.target_groups.through.objects.filter(notification_id=OuterRef("pk"))
    user_groups = get_user_model().groups.through.objects.filter(user_id=user.pk).values("group_id")
    return (
        (~Exists(users) & ~Exists(groups))
        | Exists(users.filter(user_id=user.pk))
        | Exists(groups.filter(group_id__in=user_groups))
    )


def notification_list_visible(
    *, user: User | AnonymousUser, now: datetime | None = None
) -> QuerySet[Notification]:
    """The notifications ``user`` may see now, newest first, each with ``my_viewed_at`` and
    ``my_confirmed_at`` (None when not done)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    now = now or timezone.now()
    return (
        Notification.objects.filter(notification_running_q(now))
        .filter(notification_targets_q(user))
        .annotate(
            mine=FilteredRelation("receipts", condition=Q(receipts__user_id=user.pk)),
            my_viewed_at=F("mine__viewed_at"),
            my_confirmed_at=F("mine__confirmed_at"),
            my_dialog_closed_at=F("mine__dialog_closed_at"),
        )
        .order_by("-starts_at", "-id")
    )


def notification_get_visible(*, user: User | AnonymousUser, pk: int) -> Notification:
    """A notification ``user`` may see now, annotated like the lists; ``Http404`` otherwise (also for
    one that exists but is not theirs, inactive or out of its period)."""
    notification = notification_list_visible(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


# --- My notifications -----------------------------------------------------------------------------


class Filter:
    ALL = "all"
    NOT_VIEWED = "not-viewed"
    AWAITING = "awaiting-confirmation"

    CHOICES = (
        (ALL, _("All")),
        (NOT_VIEWED, _("Not viewed")),
        (AWAITING, _("Awaiting confirmation")),
    )


def notification_list_for_page(
    *, user: User | AnonymousUser, show: str = Filter.ALL
) -> QuerySet[Notification]:
    qs = notification_list_visible(user=user)
    if show == Filter.NOT_VIEWED:
        qs = qs.filter(Q(my_viewed_at__isnull=True))
    elif show == Filter.AWAITING:
        qs = qs.filter(Q(requires_confirmation=True, my_confirmed_at__isnull=True))
    return qs


# --- the bell ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BellCounts:
    """``pending``: require confirmation and not yet confirmed (the bell's number). ``unviewed``: how
    many of the others are not viewed yet (shown as a mark, not a number)."""

    pending: int = 0
    unviewed: int = 0

    @property
    def badge(self) -> str:
        """The number on the bell: "99+" beyond 99 (the shell counts within :data:`SHELL_WINDOW`)."""
        return "99+" if self.pending > 99 else str(self.pending)

    @property
    def label(self) -> str:
        """The bell's accessible name: "Notifications (1)", or "Notifications (new)" with only the mark."""
        if self.pending:
            return str(_("Notifications (%(count)s)") % {"count": self.badge})
        if self.unviewed:
            return str(_("Notifications (new)"))
        return str(_("Notifications"))

    def as_json(self) -> dict[str, object]:
        return {"pending": self.pending, "unviewed": self.unviewed, "badge": self.badge, "label": self.label}


# The shell (the bell on every page, the after-login dialog) looks at the user's latest
# ``SHELL_WINDOW`` visible notifications only, so its one query costs the same whatever the number of
# notifications: the bell counts within them ("99+" beyond 99), and the dialog offers the oldest of
# them still to be confirmed. My notifications lists every one (docs/architecture.md, "The shell").
SHELL_WINDOW = 100


@dataclass(frozen=True)
class BellItem:
    """One notification as the shell shows it (the bell's list, the after-login dialog)."""

    pk: int
    title: str
    short_description: str
    starts_at: datetime
    requires_confirmation: bool
    viewed: bool
    confirmed: bool
    dialog_closed: bool

    @property
    def state(self) -> str:
        return notification_state(self.requires_confirmation, viewed=self.viewed, confirmed=self.confirmed)

    @property
    def promptable(self) -> bool:
        return self.requires_confirmation and not (self.viewed or self.confirmed or self.dialog_closed)


@dataclass(frozen=True)
class Bell:
    counts: BellCounts
    latest: Sequence[BellItem]
    prompt: BellItem | None = None  # the after-login dialog's notification, when one is due


def notification_bell(*, user: User | AnonymousUser, limit: int = BELL_LIMIT) -> Bell:
    """What the shell shows on every page, in one query over the latest :data:`SHELL_WINDOW`
    visible notifications (:func:`notification_list_visible`, the one rule): the bell's numbers,
    the latest ``limit`` and the after-login dialog's candidate (the oldest of them that requires
    confirmation, is neither viewed nor confirmed and whose dialog was not closed).
    Reading it records nothing."""
    if not getattr(user, "is_authenticated", False):
        return Bell(counts=BellCounts(), latest=[])
    visible = notification_list_visible(user=user)
    rows = visible.values_list(  # type: ignore[misc]  # the stubs do not see the annotations
        "pk",
        "title",
        "short_description",
        "starts_at",
        "requires_confirmation",
        "my_viewed_at",
        "my_confirmed_at",
        "my_dialog_closed_at",
    )[:SHELL_WINDOW]
    window = [
        BellItem(pk, title, short, starts, confirm, seen is not None, done is not None, closed is not None)
        for pk, title, short, starts, confirm, seen, done, closed in rows
    ]
    pending = sum(1 for n in window if n.requires_confirmation and not n.confirmed)
    unviewed = sum(1 for n in window if not n.requires_confirmation and not n.viewed)
    prompt = next((n for n in reversed(window) if n.promptable), None)
    return Bell(counts=BellCounts(pending=pending, unviewed=unviewed), latest=window[:limit], prompt=prompt)


def notification_counts(*, user: User | AnonymousUser) -> BellCounts:
    """The bell's numbers for ``user`` (the counter the page polls): as :func:`notification_bell`."""
    if not getattr(user, "is_authenticated", False):
        return BellCounts()
    return notification_bell(user=user, limit=0).counts


# --- after login ------------------------------------------------------------------------------------------


def notification_login_prompt(*, user: User) -> BellItem | None:
    """The notification the after-login dialog shows (:func:`notification_bell`'s ``prompt``)."""
    return notification_bell(user=user, limit=0).prompt


# --- e-mail and admin ------------------------------------------------------------------------------------


def notification_recipients(*, notification: Notification, with_email: bool = True) -> QuerySet:
    """The active users a notification is for (those with an e-mail address unless ``with_email`` is
    off): its target users and the members of its target groups, or every active user when it has no
    target."""
    User = get_user_model()
    users = User.objects.filter(is_active=True)
    if with_email:
        users = users.exclude(email="")
    user_ids = notification.target_users.through.objects.filter(notification_id=notification.pk)
    group_ids = notification.target_groups.through.objects.filter(notification_id=notification.pk)
    if not user_ids.exists() and not group_ids.exists():
        return users.order_by("pk")
    members = User.groups.through.objects.filter(group_id__in=group_ids.values("group_id"))
    return users.filter(Q(pk__in=user_ids.values("user_id")) | Q(pk__in=members.values("user_id"))).order_by(
        "pk"
    )
