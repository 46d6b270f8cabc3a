"""Why a login could not be checked, told to the login page by an authentication backend.

A backend answers only "this user" or "no user"; when it could not ask its source at all (the
directory is unreachable: directory/backends.py) it leaves a message on the request, and the login
form shows it instead of "wrong user name or password" (identity/forms.py)."""

from __future__ import annotations

from django.http import HttpRequest

ATTRIBUTE = "login_unavailable"


def login_unavailable(request: HttpRequest | None, message: str) -> None:
    if request is not None:
        setattr(request, ATTRIBUTE, message)


def login_unavailable_message(request: HttpRequest | None) -> str | None:
    return getattr(request, ATTRIBUTE, None)
