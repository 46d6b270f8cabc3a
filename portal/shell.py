"""The shell's state (what every page's toolbar and menu show of the user's data), cached per user
under the versions the writing services bump (core.versions; docs/architecture.md, "The shell").

- The bell and the after-login dialog's candidate: ``notifications.selectors.notification_bell``,
  under the global notifications version (``notification_upsert``) and the user's version (their
  receipts: view, confirm, close).
- The Approvals menu item: ``approvals.selectors.approver_menu`` of the user's approver scope
  (itself cached under the user's version: ``approver_scope_cached``), under the version of each
  group of the scope (approval entries and decisions in that group).
- The Smartbox count: under the user's version (Smartbox changes); computed only when the Smartbox
  parameter is on, so the parameter snapshot's version is part of the stamp.

An entry lives :data:`core.versions.TIMEOUT` seconds (60): what no write announces (a notification
or an absence whose period starts or ends, a group membership changed in the admin, a ticket that
leaves approval through the back office) shows within that bound. The state holds no text (labels
are translated when the page renders), so the language is not part of its key.

The toolbar and menu's HTML (:func:`shell_html_cached`) is cached under the same versions, keyed by
user, language and the page's section (the menu item it is under), so one fragment serves every
page of a section. It holds nothing of one request: the forms' CSRF inputs and ``next`` are in
``templates/includes/_shell_forms.html``, outside it, and its buttons name their form (``form=``).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from approvals.selectors import (
    ApproverScope,
    MenuState,
    approval_version_keys,
    approver_menu,
    approver_scope_for_request,
)
from core.versions import GLOBAL_NOTIFICATIONS, cached_under_versions, user_version_key
from notifications.selectors import Bell, notification_bell
from parameters import registry as r
from parameters.accessors import param, values

from .selectors import smartbox_count_for_user


@dataclass(frozen=True)
class ShellState:
    bell: Bell
    approvals: MenuState
    smartbox_count: int | None  # None: the Smartbox is off


def shell_state(user, scope: ApproverScope) -> ShellState:
    """The shell's state computed from the database (one to four queries)."""
    return ShellState(
        bell=notification_bell(user=user),
        approvals=approver_menu(scope),
        smartbox_count=smartbox_count_for_user(user=user) if param(r.SMARTBOX) else None,
    )


def parameters_version() -> int:
    """The version of the request's parameter snapshot: a checksum of its values (read anyway)."""
    return zlib.crc32(repr(sorted(values().items())).encode())


def _shell_versions(user, scope: ApproverScope) -> list[str]:
    return [GLOBAL_NOTIFICATIONS, user_version_key(user.pk), *approval_version_keys(scope)]


def shell_state_cached(user, scope: ApproverScope) -> ShellState:
    """:func:`shell_state`, from the cache when no version changed (one cache round trip)."""
    return cached_under_versions(
        f"shell:{user.pk}",
        _shell_versions(user, scope),
        lambda: shell_state(user, scope),
        extra=parameters_version(),
    )


def shell_state_for_request(request) -> ShellState:
    """:func:`shell_state_cached` once per request: two cache round trips (the approver scope, then
    the entry with its versions, which depend on the scope's groups)."""
    state = getattr(request, "shell_state", None)
    if state is None:
        scope = approver_scope_for_request(request)
        state = request.shell_state = shell_state_cached(request.user, scope)
    return state


def shell_html_cached(request, section: str, render: Callable[[], str], *, search_q: str = "") -> SafeString:
    """The toolbar and menu's HTML (``render()``), cached like the state it shows. Besides the versions,
    the stamp holds what the fragment shows of the user row and the request (staff or not, name,
    colour mode, the search box's text), so changing them needs no bump."""
    user = request.user
    scope = approver_scope_for_request(request)
    return SafeString(
        cached_under_versions(
            f"shell:html:{user.pk}:{get_language()}:{section}",
            _shell_versions(user, scope),
            render,
            extra=(parameters_version(), user.is_staff, user.display_name, user.color_mode, search_q),
        )
    )
