"""The shell's state (what every page's toolbar and menu show of the user's data), cached per user
under the versions the writing services bump (core.versions; docs/architecture.md, "The shell").

- The bell and the after-login dialog's candidate: ``notifications.selectors.notification_bell``,
  under the global notifications version (``notification_upsert``) and the user's version (their
  receipts: view, confirm, close).
- The Approvals menu item: ``approvals.selectors.approver_state``'s menu, under the global approvals
  version (approval entries and decisions, absences declared or ended).
- The Smartbox count: under the user's version (Smartbox changes); computed only when the Smartbox
  parameter is on, so the parameter snapshot's version is part of the stamp.

An entry lives :data:`core.versions.TIMEOUT` seconds (60): what no write announces (a notification
or an absence whose period starts or ends, a group membership changed in the admin, a ticket that
leaves approval through the back office) shows within that bound. No text is cached (labels are
translated when the page renders), so the language is not part of the key.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from approvals.selectors import MenuState, approver_state
from core.versions import GLOBAL_APPROVALS, GLOBAL_NOTIFICATIONS, cached_under_versions, user_version_key
from notifications.selectors import Bell, notification_bell
from parameters import registry as r
from parameters.accessors import param, values

from .selectors import smartbox_count_for_user


@dataclass(frozen=True)
class ShellState:
    bell: Bell
    approvals: MenuState
    smartbox_count: int | None  # None: the Smartbox is off


def shell_state(user) -> ShellState:
    """The shell's state computed from the database (three to five queries)."""
    return ShellState(
        bell=notification_bell(user=user),
        approvals=approver_state(user).menu,
        smartbox_count=smartbox_count_for_user(user=user) if param(r.SMARTBOX) else None,
    )


def parameters_version() -> int:
    """The version of the request's parameter snapshot: a checksum of its values (read anyway)."""
    return zlib.crc32(repr(sorted(values().items())).encode())


def shell_state_cached(user) -> ShellState:
    """:func:`shell_state`, from the cache when no version changed (one cache round trip)."""
    return cached_under_versions(
        f"shell:{user.pk}",
        [GLOBAL_NOTIFICATIONS, GLOBAL_APPROVALS, user_version_key(user.pk)],
        lambda: shell_state(user),
        extra=parameters_version(),
    )


def shell_state_for_request(request) -> ShellState:
    """:func:`shell_state_cached` once per request."""
    state = getattr(request, "shell_state", None)
    if state is None:
        state = request.shell_state = shell_state_cached(request.user)
    return state
