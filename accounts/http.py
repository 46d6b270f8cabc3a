"""The request of a logged-in user, for typing the views that only such a user reaches."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that ``LoginRequiredMiddleware`` let through: every page but the few marked
    ``login_not_required``, so ``user`` is a :class:`~accounts.models.User`. Typing only: Django
    still builds a plain ``HttpRequest``; annotate ``request`` with it where the view is not
    ``login_not_required``."""

    user: User
