"""A per-user cache of the rendered requester pages that are read most: My Requests and a ticket's
occurrence list.

Why: these pages are reloaded all day long by the same users, and rendering them (13 columns,
up to 9 buttons a row, counts over 100,000 tickets) costs ten times what a page of the portal shell
does (``make bench``). A page served from here costs a cache read on top of the session and the
user: no ticket query, no rendering.

What keeps it right — a cached page is served only when all of this still holds:

- **Same reader, same settings**: the key holds the user, the session key (the page carries the
  session's CSRF token), the language, the time zone, the page and its filters, and the values of
  the parameters (read once per request anyway), so a parameter change is a new key.
- **Nothing it shows has changed**: each page is stored with the versions it was rendered under,
  read *before* the page's queries: the user's version (bumped when one of their tickets or
  Smartbox items is saved or deleted, or the user record itself changes), the ticket's version for
  an occurrence list (bumped by every occurrence saved on it), and the portal-wide version (bumped
  by any change to catalog names, groups, occurrence categories and origins, or other
  users' names). A change during the rendering leaves the page stored under old versions, so it is
  never served.
- **Time has not changed it**: a page expires at the first instant one of its rows changes by the
  clock alone (a ticket turning "To expire" or "Expired", a reopen window closing), and after
  ``PORTAL_PAGE_CACHE_SECONDS`` at the most. Sorting by SLA status is never cached: a ticket not
  on the page could move onto it when its status changes.
- **Nothing is pending for the reader**: a request with flash messages to show is rendered.

If the cache server is down, every page is rendered (a miss) and a version bump is lost; a page
stored before the outage can then be served until it expires (``PORTAL_PAGE_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation

from parameters.accessors import values as parameter_values

from .models import FINAL_SITUATIONS, Situation, Ticket

PREFIX = "tickets:page:"
PORTAL_VERSION_KEY = PREFIX + "v:portal"


def _user_version_key(user_id: int) -> str:
    return f"{PREFIX}v:user:{user_id}"


def _ticket_version_key(ticket_id: int) -> str:
    return f"{PREFIX}v:ticket:{ticket_id}"


def max_seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0))


# --- invalidation ----------------------------------------------------------------------------


def _bump(*keys: str) -> None:
    """New versions once the transaction commits (at once outside one).

    Once is enough: a page is stored with the versions read *before* its queries, so a page
    rendered from data older than the commit carries versions older than this bump and is not
    served after it. (Bumping before the commit too would only close the microseconds between the
    commit and this hook, at the price of one more cache write per save.)"""

    def stamp():
        stamp_now(*keys)

    transaction.on_commit(stamp)


def stamp_now(*keys: str) -> None:
    for k in keys:  # one SET each: cheaper than set_many's MULTI/EXEC pipeline for 1-2 keys
        cache.set(k, time.time_ns(), timeout=None)


def bump_user(user_id: int | None) -> None:
    if user_id is not None and max_seconds():
        _bump(_user_version_key(user_id))


def bump_ticket(ticket_id: int | None) -> None:
    if ticket_id is not None and max_seconds():
        _bump(_ticket_version_key(ticket_id))


def bump_portal() -> None:
    if max_seconds():
        _bump(PORTAL_VERSION_KEY)


# --- reading and storing ---------------------------------------------------------------------


@dataclass
class CachedPage:
    """A page lookup: ``content`` when the cache can answer, else what to store the page under."""

    key: str | None
    versions: tuple = ()
    content: bytes | None = None

    def response(self) -> HttpResponse:
        return HttpResponse(self.content)

    def store(self, response: HttpResponse, *, expires: datetime | None = None) -> HttpResponse:
        """Keep a freshly rendered page until ``expires`` (None: the maximum age)."""
        if self.key is None or response.status_code != 200 or response.streaming:
            return response
        seconds = max_seconds()
        if expires is not None:
            seconds = min(seconds, int((expires - timezone.now()).total_seconds()))
        if seconds >= 1:
            cache.set(self.key, (self.versions, response.content), timeout=seconds)
        return response


def _has_pending_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(messages.get_messages(request)) > 0


def lookup(request, page: str, *, ticket_id: int | None = None, canonical: str = "") -> CachedPage:
    """The cached page ``page`` (``canonical`` names its filters) for this request, if still valid."""
    user = request.user
    if not max_seconds() or not user.is_authenticated or _has_pending_messages(request):
        return CachedPage(key=None)
    parameters = hashlib.blake2b(repr(sorted(parameter_values().items())).encode(), digest_size=8).hexdigest()
    raw = "|".join(
        [
            page,
            str(user.pk),
            request.session.session_key or "",
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            str(ticket_id or ""),
            canonical,
            parameters,
        ]
    )
    key = PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    version_keys = [PORTAL_VERSION_KEY, _user_version_key(user.pk)]
    if ticket_id is not None:
        version_keys.append(_ticket_version_key(ticket_id))
    found = cache.get_many([key, *version_keys])
    versions = tuple(found.get(k) for k in version_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == versions:
        return CachedPage(key=key, versions=versions, content=stored[1])
    return CachedPage(key=key, versions=versions)


def next_change(tickets, *, now: datetime | None = None) -> datetime | None:
    """The first future instant at which one of ``tickets`` looks different by the clock alone:
    its SLA status turns "To expire" or "Expired", or its reopen window closes."""
    from .policies import reopen_deadline

    now = now or timezone.now()
    instants = []
    for t in tickets:
        if t.situation == Situation.SUSPENDED:
            continue
        if t.situation not in FINAL_SITUATIONS:
            instants += [t.sla_warning_at, t.time_limit]
        elif t.situation == Situation.CLOSED:
            instants.append(reopen_deadline(t))
    future = [i for i in instants if i is not None and i > now]
    return min(future) if future else None


# --- what bumps the versions -----------------------------------------------------------------


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import post_delete, post_save

    from catalog.models import Activity, Service
    from occurrences.models import Category, Occurrence, Origin
    from portal.models import SmartboxItem

    def ticket_changed(sender, instance: Ticket, **kwargs):
        bump_user(instance.requester_id)
        bump_ticket(instance.pk)

    def occurrence_changed(sender, instance, **kwargs):
        bump_ticket(instance.ticket_id)

    def smartbox_changed(sender, instance, **kwargs):
        bump_user(instance.user_id)

    def user_changed(sender, instance, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return  # every login saves it; no page shows it
        bump_user(instance.pk)
        bump_portal()  # names of authors and attendants show on other users' pages

    def portal_changed(sender, **kwargs):
        bump_portal()

    receivers = [
        (ticket_changed, Ticket),
        (occurrence_changed, Occurrence),
        (smartbox_changed, SmartboxItem),
        (user_changed, get_user_model()),
    ]
    # Parameters need no receiver: their values are part of every page's key (lookup).
    receivers += [(portal_changed, model) for model in (Service, Activity, Group, Category, Origin)]
    for name, signal in (("save", post_save), ("delete", post_delete)):
        for receiver, model in receivers:
            # weak=False: the receivers are local functions, kept alive only by the signal.
            signal.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"pagecache-{name}-{model._meta.label_lower}"
            )
