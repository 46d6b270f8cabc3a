"""The LDAP / Active Directory settings, read from the environment by smartportal/settings/base.py
(README, "Logging in with your directory or identity provider").

Without ``LDAP_URL`` this returns nothing: no directory backend, no import of python-ldap, and the
portal logs in with its own passwords only (``make run``)."""

from __future__ import annotations

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

# LDAP_GROUP_TYPE -> (django-auth-ldap group type, the filter that finds such groups)
GROUP_TYPES = {
    "groupOfNames": ("GroupOfNamesType", "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": ("GroupOfUniqueNamesType", "(objectClass=groupOfUniqueNames)"),
    "posixGroup": ("PosixGroupType", "(objectClass=posixGroup)"),
    # Active Directory: groups of groups count (the LDAP_MATCHING_RULE_IN_CHAIN search).
    "activeDirectory": ("NestedActiveDirectoryGroupType", "(objectClass=group)"),
}


def group_map_parse(text: str) -> dict[str, str]:
    """``LDAP_GROUP_MAP`` (``group DN=portal group name;…``) as {normalised DN: portal group name}.

    A DN contains ``=`` itself, so each entry splits at its last one; DNs compare without case and
    without spaces around commas, as directories treat them."""
    mapping: dict[str, str] = {}
    for entry in text.split(";"):
        if not entry.strip():
            continue
        dn, sep, name = entry.rpartition("=")
        if not sep or "=" not in dn or not name.strip():
            raise ImproperlyConfigured(
                f"LDAP_GROUP_MAP: {entry.strip()!r} is not 'group DN=portal group name'"
            )
        mapping[dn_normalise(dn)] = name.strip()
    return mapping


def dn_normalise(dn: str) -> str:
    return ",".join(part.strip() for part in dn.split(",")).lower()


def ldap_settings(env: environ.Env) -> dict[str, Any]:
    """The ``AUTH_LDAP_*`` settings of django-auth-ldap and the portal's own ``LDAP_*`` ones.

    A variable set to an empty value counts as unset (docker-compose.yml passes them all through)."""

    def get(name: str, default: str = "") -> str:
        return env.str(name, default="") or default

    url = get("LDAP_URL")
    if not url:
        return {}
    try:
        import ldap
        from django_auth_ldap import config
    except ImportError:
        raise ImproperlyConfigured(
            "LDAP_URL is set but django-auth-ldap is not installed: `make install-ldap` "
            "(python-ldap builds with a C compiler, libldap2-dev and libsasl2-dev)"
        ) from None

    search_base = get("LDAP_USER_SEARCH_BASE")
    if not search_base:
        raise ImproperlyConfigured("LDAP_URL is set: LDAP_USER_SEARCH_BASE is required too")
    try:
        timeout = float(get("LDAP_TIMEOUT", "5"))
    except ValueError:
        raise ImproperlyConfigured("LDAP_TIMEOUT must be a number of seconds") from None
    values: dict[str, Any] = {
        "AUTH_LDAP_SERVER_URI": url,
        "AUTH_LDAP_BIND_DN": get("LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": get("LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(
            search_base, ldap.SCOPE_SUBTREE, get("LDAP_USER_FILTER", "(uid=%(user)s)")
        ),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_START_TLS": get("LDAP_START_TLS").lower() in {"1", "true", "yes", "on"},
        # An unreachable directory answers within the timeout (a clear message, not a hung login);
        # no referral chasing (Active Directory's referrals need credentials of their own).
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
            ldap.OPT_REFERRALS: 0,
        },
        "LDAP_UNIT_ATTRIBUTE": get("LDAP_UNIT_ATTRIBUTE", "ou"),
        "LDAP_GROUP_MAP": group_map_parse(get("LDAP_GROUP_MAP")),
    }
    group_base = get("LDAP_GROUP_SEARCH_BASE")
    if values["LDAP_GROUP_MAP"] and not group_base:
        raise ImproperlyConfigured("LDAP_GROUP_MAP is set: LDAP_GROUP_SEARCH_BASE is required too")
    if group_base:
        kind = get("LDAP_GROUP_TYPE", "groupOfNames")
        if kind not in GROUP_TYPES:
            raise ImproperlyConfigured(f"LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}")
        type_name, group_filter = GROUP_TYPES[kind]
        values["AUTH_LDAP_GROUP_SEARCH"] = config.LDAPSearch(group_base, ldap.SCOPE_SUBTREE, group_filter)
        values["AUTH_LDAP_GROUP_TYPE"] = getattr(config, type_name)()
    return values
