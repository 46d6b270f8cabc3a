"""What the portal shell (every page's toolbar) shows of notifications, evaluated lazily: a page that
does not draw the bell (the admin, JSON) runs no query for it.

- ``notification_bell``: the bell's numbers and latest notifications, and the after-login dialog's
  candidate: one query, whatever the number of notifications and receipts
  (notifications.selectors.notification_bell).
- ``notification_prompt``: after login, the notification to show in a dialog, once per notification.
  At login (:func:`login_prompt_arm`, on Django's ``user_logged_in``) one query looks for an unviewed
  notification that requires confirmation and whose dialog the user has not closed; only then the
  session is marked, and its pages show the oldest such notification until none is left (Close and
  Preview each settle one). It comes from the bell's query: no query of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import Bell, BellItem, notification_bell, notification_login_prompt

if TYPE_CHECKING:
    from accounts.models import User

PROMPT_SESSION_KEY = "notifications_login_prompt"


def login_prompt_arm(
    sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any
) -> None:
    """``user_logged_in`` receiver: mark the new session when a dialog is due (its login request
    writes the session anyway)."""
    session = getattr(request, "session", None)
    if session is not None and user is not None and notification_login_prompt(user=user) is not None:
        session[PROMPT_SESSION_KEY] = True


def login_prompt(request: HttpRequest, bell: Bell) -> BellItem | None:
    session = getattr(request, "session", None)
    if session is None or not session.get(PROMPT_SESSION_KEY):
        return None
    if bell.prompt is None:
        del session[PROMPT_SESSION_KEY]
    return bell.prompt


def shell_context(request: HttpRequest, bell: Callable[[], Bell] | None = None) -> dict[str, object]:
    """``bell``: where the bell comes from (the portal's cached shell state); by default its query."""
    user = request.user
    read = bell or (lambda: notification_bell(user=user))

    @functools.cache
    def bell_once() -> Bell:  # one read for both, and only when the page draws either
        return read()

    return {
        "notification_bell": SimpleLazyObject(bell_once),
        "notification_prompt": SimpleLazyObject(lambda: login_prompt(request, bell_once())),
    }
