"""Reads of the directory's side of the portal's users."""

from __future__ import annotations

from accounts.models import User


def is_local_account(username: str) -> bool:
    """A portal account with a password of its own (the admin, the demo users, anyone an administrator
    gave a password): it logs in with that password only, never through a directory entry of the
    same name. Directory users have no usable password (django-auth-ldap creates them so)."""
    user = User.objects.filter(username__iexact=username).only("password").first()
    return user is not None and user.has_usable_password()
