"""Logging in with the directory: django-auth-ldap's search-and-bind, with the portal's rules
(README, "Logging in with your directory or identity provider").

In AUTHENTICATION_BACKENDS only when LDAP_URL is set (smartportal/settings/base.py), after Django's
ModelBackend, so local accounts are checked first and never depend on the directory. Parameter 22
switches it on and off for the next login. A failed directory login is a failed login like any
other: Django's ``authenticate()`` signals it and django-axes counts it against the same limit.
"""

from __future__ import annotations

import logging
from typing import Any

import ldap
from django.conf import settings
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend, ldap_error

from accounts.login import login_unavailable
from parameters.accessors import param
from parameters.registry import AUTHENTICATION_METHOD

from .selectors import is_local_account
from .services import directory_account_sync

logger = logging.getLogger(__name__)

LDAP = 2  # parameter 22: 1 = the portal's passwords only, 2 = the directory too


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend and the portal's rules. Django makes a new instance for every
    ``authenticate()``, so ``request`` is this login's."""

    request = None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if param(AUTHENTICATION_METHOD) != LDAP or not username:
            return None
        if is_local_account(username.strip()):
            return None  # its own password only (ModelBackend, before this one)
        self.request = request
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if user is not None and user.is_active else None

    def authenticate_ldap_user(self, ldap_user, password):
        """The user the directory accepted, with their unit and mapped groups brought up to date.
        If the groups cannot be read now, no login: the portal would keep stale memberships."""
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None or not user.is_active:
            return user
        group_map: dict[str, str] = getattr(settings, "LDAP_GROUP_MAP", {})
        try:
            group_dns = ldap_user.group_dns if group_map else set()
        except ldap.LDAPError as e:
            logger.warning("The directory's groups could not be read: %r", e)
            _report_unavailable(self.request)
            return None
        directory_account_sync(
            user=user,
            dn=ldap_user.dn,
            unit=_first(ldap_user.attrs, _unit_attribute()),
            group_dns=group_dns,
            group_map=group_map,
        )
        return user

    def get_user(self, user_id):
        """A deactivated user's sessions end at their next request, as with ModelBackend."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def _unit_attribute() -> str:
    return getattr(settings, "LDAP_UNIT_ATTRIBUTE", "ou")


def _first(attrs: Any, name: str) -> str:
    values = (attrs or {}).get(name) or []
    return str(values[0]) if values else ""


def _report_unavailable(request) -> None:
    login_unavailable(
        request,
        _(
            "The directory could not be reached to check your password. Directory accounts cannot "
            "log in until it is back; try again in a few minutes. Local accounts can still log in."
        ),
    )


@receiver(ldap_error, sender=DirectoryBackend)
def _directory_error(sender, context, user, request, exception, **kwargs) -> None:
    """django-auth-ldap swallows the LDAP errors of a login (the server is down, the service
    account's password is wrong, the search timed out) and answers "no user": the login page says
    instead that the directory could not be asked (django-auth-ldap has logged the error)."""
    _report_unavailable(request)
