"""Who may see and work a ticket: the one gate that every view, service, admin method and policy
of the tickets (and of the apps built on them) goes through.

The rules (docs/domain.md, "Who may do what"):

- **requester**: the ticket's own requester (the portal's pages and row actions).
- **attendant**: a staff member of the ticket's current group, or its responsible when staff, or
  a superuser. Staff status is always required of a non-superuser: being in a group is not enough
  to work its tickets.
- **approver**: a member of the ticket's current group (the activity's approver group while the
  ticket awaits approval), or a superuser. Approvers need not be staff.
- **back-office attendant**: an active staff member of a group that executes or approves some
  activity: who sees the Tickets module of the admin without model permissions.
- **sharer** (issue 27, parameter "Request sharing", ``REQUEST_SHARING``): with ``MANAGERS`` a unit
  manager (``User.is_unit_manager``) for the requests of the members of their unit and of the units
  below it; with ``COLLEAGUES`` also a member of the requester's unit. A sharer reads the ticket,
  adds messages and attachments; cancel, reopen, opinion and survey stay the requester's.
- **person in copy** (``TicketCopy``): reads the ticket and its public history and gets its e-mails.
- **reader**: the requester, a sharer or a person in copy: who opens the ticket's portal pages.

The getters answer ``Http404`` alike for a ticket that does not exist and for one the user may not
see, so nobody learns which numbers exist. :func:`ticket_lock` is the one way a write reads its
ticket under a row lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404

from accounts.models import Unit
from catalog.models import Activity
from parameters import registry as r
from parameters.accessors import param

from .models import Ticket, TicketCopy, TicketQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


# What the portal's pages of one ticket show besides the ticket's own columns.
DETAIL_RELATED = ("service", "activity", "current_group", "responsible")
# What an action's page (no SLA status, no group) shows, such as the Occurrence Register.
ACTION_RELATED = ("service", "activity", "responsible")


def _authenticated(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated)


def _groups(user: User) -> list[Group]:
    """The user's groups, each with ``attends`` (it executes or approves some activity): one query
    per user object (a request's user), kept in Django's prefetch cache of ``user.groups``."""
    attends = Exists(
        Activity.objects.filter(Q(executor_group=OuterRef("pk")) | Q(approver_group=OuterRef("pk")))
    )
    lookup = Prefetch("groups", queryset=Group.objects.annotate(attends=attends).only("id"))
    prefetch_related_objects([user], lookup)
    return list(user.groups.all())


def group_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The ids of the user's groups (see :func:`_groups` for the cost)."""
    if not _authenticated(user):
        return frozenset()
    return frozenset(g.pk for g in _groups(user))


def is_requester(user: User | AnonymousUser, ticket: Ticket) -> bool:
    return _authenticated(user) and ticket.requester_id == user.pk


def is_attendant(user: User | AnonymousUser, ticket: Ticket) -> bool:
    """Staff of the ticket's current group or its staff responsible, or a superuser."""
    if not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    return ticket.responsible_id == user.pk or (
        ticket.current_group_id is not None and ticket.current_group_id in group_ids(user)
    )


def is_approver(user: User | AnonymousUser, ticket: Ticket) -> bool:
    """A member of the ticket's current group (its approver group while it awaits approval). Only
    members: a superuser is not an approver of every group (the rule of
    ``approvals.services.decider_for``, which adds the substitutes)."""
    return (
        _authenticated(user)
        and ticket.current_group_id is not None
        and ticket.current_group_id in group_ids(user)
    )


def is_sharer(user: User | AnonymousUser, ticket: Ticket) -> bool:
    """The ticket is shared with ``user`` by the unit rules (never their own ticket). No query when the
    ticket comes from :func:`with_reader_roles` (the annotation ``access_shared``)."""
    if not _authenticated(user) or ticket.requester_id == user.pk:
        return False
    flag = getattr(ticket, "access_shared", None)
    if flag is None:
        return Ticket.objects.filter(shared_tickets_q(user), pk=ticket.pk).exists()
    return bool(flag)


def is_in_copy(user: User | AnonymousUser, ticket: Ticket) -> bool:
    """``user`` is a person in copy of the ticket (the annotation ``access_copy`` when present)."""
    if not _authenticated(user):
        return False
    flag = getattr(ticket, "access_copy", None)
    if flag is None:
        return TicketCopy.objects.filter(ticket_id=ticket.pk, user=user).exists()
    return bool(flag)


def is_reader(user: User | AnonymousUser, ticket: Ticket) -> bool:
    """Who opens the ticket's portal pages: its requester, a sharer or a person in copy."""
    return is_requester(user, ticket) or is_sharer(user, ticket) or is_in_copy(user, ticket)


def is_back_office_attendant(user: User | AnonymousUser) -> bool:
    """An active staff member of a group that executes or approves some activity."""
    if not (_authenticated(user) and user.is_active and user.is_staff):
        return False
    groups = _groups(user)
    if groups and not hasattr(groups[0], "attends"):  # prefetched elsewhere without the annotation
        return Activity.objects.filter(Q(executor_group__in=groups) | Q(approver_group__in=groups)).exists()
    return any(cast(Any, g).attends for g in groups)


# --- queryset filters -----------------------------------------------------------------------------


def requested_tickets_q(user: User) -> Q:
    return Q(requester=user)


def shared_tickets_q(user: User | AnonymousUser) -> Q:
    """Other requesters' tickets shared with ``user`` by the unit rules (parameter
    ``REQUEST_SHARING``; see the module's docstring), as a filter. The units below a manager's are
    those whose path holds its id (``accounts.Unit.path``): a subquery on the units, no query of its
    own."""
    none = Q(pk__in=[])
    unit_id = getattr(user, "unit_id", None)
    if not _authenticated(user) or unit_id is None:
        return none
    mode = param(r.REQUEST_SHARING)
    if mode == r.SHARING_COLLEAGUES:  # the members of the unit (and, for its manager, below it)
        units = Q(unit_id=unit_id)
    elif mode == r.SHARING_MANAGERS and user.is_unit_manager:
        units = Q(pk__in=[])
    else:
        return none
    if user.is_unit_manager:
        units |= Q(unit__in=Unit.objects.filter(path__contains=f"/{unit_id}/").values("pk"))
    # The requesters as an id subquery (a semi-join on the indexed requester column, no join of
    # the users' rows into the list's query).
    q = Q(requester__in=get_user_model().objects.filter(units).values("pk"))
    return q & ~Q(requester=user)


def copied_tickets_q(user: User | AnonymousUser) -> Q:
    """The tickets ``user`` is in copy of (``Exists``: a ticket never repeats)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    return Q(Exists(TicketCopy.objects.filter(ticket=OuterRef("pk"), user=user)))


def readable_tickets_q(user: User | AnonymousUser) -> Q:
    """The tickets :func:`is_reader` accepts, as a filter."""
    if not _authenticated(user):
        return Q(pk__in=[])
    return requested_tickets_q(user) | shared_tickets_q(user) | copied_tickets_q(user)


def with_reader_roles(qs: TicketQuerySet, user: User | AnonymousUser) -> TicketQuerySet:
    """``qs`` with ``access_shared`` and ``access_copy`` annotated for ``user``, so that
    :func:`is_sharer` and :func:`is_in_copy` (and the policies built on them) cost no query per
    ticket."""
    return qs.annotate(
        access_shared=ExpressionWrapper(shared_tickets_q(user), output_field=BooleanField()),
        access_copy=ExpressionWrapper(copied_tickets_q(user), output_field=BooleanField()),
    )


def tickets_shared_with(user: User | AnonymousUser) -> TicketQuerySet:
    """ "Shared with me" of My Requests: other requesters' tickets ``user`` may read (shared by the
    unit rules or in copy), with the reader roles annotated."""
    if not _authenticated(user):
        return Ticket.objects.none()
    return with_reader_roles(
        Ticket.objects.filter((shared_tickets_q(user) | copied_tickets_q(user)) & ~Q(requester=user)), user
    )


def attended_tickets_q(user: User | AnonymousUser) -> Q:
    """The tickets :func:`is_attendant` accepts, as a filter: every one for a superuser; for staff
    their groups' queue and the ones they are responsible for; none for anybody else."""
    if not _authenticated(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    if not user.is_staff:
        return Q(pk__in=[])
    return Q(responsible=user) | Q(current_group__in=group_ids(user))


def tickets_of_requester(user: User | AnonymousUser) -> TicketQuerySet:
    if not _authenticated(user):
        return Ticket.objects.none()
    return Ticket.objects.filter(requested_tickets_q(user))


def tickets_attended_by(
    user: User | AnonymousUser, queryset: QuerySet[Ticket] | None = None
) -> QuerySet[Ticket]:
    qs = Ticket.objects.all() if queryset is None else queryset
    if not _authenticated(user):
        return qs.none()
    return qs.filter(attended_tickets_q(user))


def tickets_visible_to(user: User | AnonymousUser) -> QuerySet[Ticket]:
    """Every ticket ``user`` may see anywhere: the ones they read (own, shared, in copy) and the ones
    they attend."""
    if not _authenticated(user):
        return Ticket.objects.none()
    if user.is_superuser:
        return Ticket.objects.all()
    return Ticket.objects.filter(readable_tickets_q(user) | attended_tickets_q(user))


def copy_candidates(user: User | AnonymousUser) -> QuerySet[User]:
    """Who ``user`` may put in copy of their requests: the active members of their own unit (the
    colleagues they know of), never themselves; nobody without a unit. Ordered by name."""
    model = get_user_model()
    unit_id = getattr(user, "unit_id", None)
    if not _authenticated(user) or unit_id is None:
        return model.objects.none()
    return (
        model.objects.filter(unit_id=unit_id, is_active=True)
        .exclude(pk=user.pk)
        .order_by("first_name", "last_name", "username", "pk")
    )


# --- getters ----------------------------------------------------------------------------------------


def _get(qs: QuerySet[Ticket], pk: Any) -> Ticket:
    try:
        return qs.get(pk=pk)
    except (Ticket.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _with_requester(ticket: Ticket, user: User) -> Ticket:
    """The ticket with its requester set to ``user`` (it is theirs): ``ticket.requester`` costs no
    query."""
    ticket.requester = user
    return ticket


def ticket_get_for_requester(
    user: User | AnonymousUser,
    pk: Any,
    *,
    sla_status: bool = True,
    related: tuple[str, ...] = DETAIL_RELATED,
    for_update: bool = False,
) -> Ticket:
    """One of ``user``'s own tickets, else ``Http404`` (another user's ticket, a missing one, an
    anonymous user).

    By default with what the portal's pages show (``related``, the SLA status annotated). With
    ``for_update`` the ticket's whole row is read and locked until the caller's transaction ends
    (see :func:`ticket_lock`)."""
    if not _authenticated(user):
        raise Http404
    if for_update:
        try:
            ticket = ticket_lock(pk, requester=user)
        except (Ticket.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        return _with_requester(ticket, user)
    qs = tickets_of_requester(user).select_related(*related)
    if sla_status:
        qs = qs.with_sla_status()
    return _with_requester(_get(qs, pk), user)


def ticket_get_for_reader(
    user: User | AnonymousUser,
    pk: Any,
    *,
    sla_status: bool = True,
    related: tuple[str, ...] = DETAIL_RELATED,
) -> Ticket:
    """A ticket ``user`` reads (:func:`is_reader`: own, shared or in copy), else ``Http404``, with the
    reader roles annotated (:func:`with_reader_roles`) and its requester joined (a shared ticket
    shows whose it is)."""
    if not _authenticated(user):
        raise Http404
    qs = with_reader_roles(
        Ticket.objects.filter(readable_tickets_q(user)).select_related(*related, "requester"), user
    )
    if sla_status:
        qs = qs.with_sla_status()
    return _get(qs, pk)


def ticket_get_for_attendant(user: User, pk: Any, queryset: QuerySet[Ticket] | None = None) -> Ticket:
    """A ticket ``user`` attends (:func:`is_attendant`), else ``Http404``."""
    return _get(tickets_attended_by(user, queryset), pk)


def ticket_get_visible(user: User, pk: Any) -> Ticket:
    """A ticket ``user`` may see anywhere (own or attended), else ``Http404``: for what the portal
    and the back office share, such as attachment downloads."""
    return _get(tickets_visible_to(user), pk)


# --- the row lock ---------------------------------------------------------------------------------


def ticket_lock(
    ticket: Ticket | Any,
    *,
    related: tuple[str, ...] = (),
    requester: User | None = None,
) -> Ticket:
    """Read a ticket under a row lock (``SELECT … FOR UPDATE OF`` the ticket's row only) in the
    caller's transaction, so concurrent writes on one ticket serialize and each sees the other's
    result. The caller must be in a transaction (services are ``@transaction.atomic``).

    ``ticket``: a :class:`Ticket`, refreshed in place (all of its columns, and the ``related`` rows)
    and returned; or a primary key, whose ticket is returned (the whole row: no field read later is
    a deferred query).
    ``requester``: only that user's ticket (``Ticket.DoesNotExist`` for any other).
    """
    qs = Ticket.objects.select_for_update(of=("self",))
    if requester is not None:
        qs = qs.filter(requested_tickets_q(requester))
    if related:
        qs = qs.select_related(*related)
    if not isinstance(ticket, Ticket):
        return qs.get(pk=ticket)
    fresh = qs.get(pk=ticket.pk)
    for field in Ticket._meta.concrete_fields:
        setattr(ticket, field.attname, getattr(fresh, field.attname))
    for name in related:
        setattr(ticket, name, getattr(fresh, name))
    return ticket
