"""The directory's configuration from the environment (directory/conf.py) and parameter 22, without
a directory: these run in every CI run."""

from __future__ import annotations

import os

import environ
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from directory.conf import group_map_parse, ldap_settings
from parameters.accessors import param
from parameters.registry import AUTHENTICATION_METHOD, REGISTRY

from .slapd import needs_ldap


@pytest.fixture
def env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("LDAP_"):
            monkeypatch.delenv(name)

    def _env(**values: str) -> environ.Env:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return environ.Env()

    return _env


def test_without_ldap_url_there_is_no_directory_at_all(env):
    assert ldap_settings(env()) == {}
    assert "directory.backends.DirectoryBackend" not in settings.AUTHENTICATION_BACKENDS
    assert not any(name.startswith("AUTH_LDAP_") for name in dir(settings))


@needs_ldap
def test_the_settings_come_from_the_environment(env):
    values = ldap_settings(
        env(
            LDAP_URL="ldaps://ad.example.org/",
            LDAP_BIND_DN="cn=portal,dc=example,dc=org",
            LDAP_BIND_PASSWORD="s3cret",
            LDAP_USER_SEARCH_BASE="ou=people,dc=example,dc=org",
            LDAP_GROUP_SEARCH_BASE="ou=groups,dc=example,dc=org",
            LDAP_GROUP_MAP="CN=Help Desk, OU=Groups,DC=example,DC=org=Service desk",
        )
    )
    assert values["AUTH_LDAP_SERVER_URI"] == "ldaps://ad.example.org/"
    assert values["AUTH_LDAP_BIND_DN"] == "cn=portal,dc=example,dc=org"
    assert values["AUTH_LDAP_BIND_PASSWORD"] == "s3cret"
    search = values["AUTH_LDAP_USER_SEARCH"]
    assert (search.base_dn, search.filterstr) == ("ou=people,dc=example,dc=org", "(uid=%(user)s)")
    assert values["AUTH_LDAP_GROUP_SEARCH"].base_dn == "ou=groups,dc=example,dc=org"
    assert values["LDAP_GROUP_MAP"] == {"cn=help desk,ou=groups,dc=example,dc=org": "Service desk"}


@needs_ldap
def test_an_active_directory_filter_and_group_type(env):
    values = ldap_settings(
        env(
            LDAP_URL="ldap://ad.example.org/",
            LDAP_USER_SEARCH_BASE="dc=example,dc=org",
            LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
            LDAP_GROUP_SEARCH_BASE="dc=example,dc=org",
            LDAP_GROUP_TYPE="activeDirectory",
        )
    )
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert type(values["AUTH_LDAP_GROUP_TYPE"]).__name__ == "NestedActiveDirectoryGroupType"


@needs_ldap
@pytest.mark.parametrize(
    "values",
    [
        {"LDAP_URL": "ldap://x/"},  # no search base
        {"LDAP_URL": "ldap://x/", "LDAP_USER_SEARCH_BASE": "dc=x", "LDAP_GROUP_MAP": "cn=a,dc=x=A"},
        {
            "LDAP_URL": "ldap://x/",
            "LDAP_USER_SEARCH_BASE": "dc=x",
            "LDAP_GROUP_SEARCH_BASE": "dc=x",
            "LDAP_GROUP_TYPE": "nisNetgroup",
        },
    ],
)
def test_an_incomplete_configuration_is_refused_at_start(env, values):
    with pytest.raises(ImproperlyConfigured):
        ldap_settings(env(**values))


def test_the_group_map():
    text = (
        "cn=approvers,ou=groups,dc=example,dc=org=Approvers;"
        " cn=finance,ou=groups,dc=example,dc=org = Finance;"
    )
    assert group_map_parse(text) == {
        "cn=approvers,ou=groups,dc=example,dc=org": "Approvers",
        "cn=finance,ou=groups,dc=example,dc=org": "Finance",
    }
    assert group_map_parse("") == {}
    for wrong in ("Approvers", "cn=approvers=", "approvers=Approvers"):
        with pytest.raises(ImproperlyConfigured):
            group_map_parse(wrong)


def test_parameter_22_is_1_or_2_and_1_by_default(db, set_param):
    p = REGISTRY[22]
    assert p is AUTHENTICATION_METHOD
    assert param(AUTHENTICATION_METHOD) == 1
    assert p.clean("2") == 2
    with pytest.raises(ValidationError, match="Enter one of: 1, 2"):
        p.clean("3")
    assert p.parse("3") == 1  # a value stored by hand outside the choices counts as the default
    set_param(22, "2")
    assert param(AUTHENTICATION_METHOD) == 2


@needs_ldap
def test_empty_variables_count_as_unset(env):
    """docker-compose.yml passes every LDAP_ variable through, empty when the operator set none."""
    assert ldap_settings(env(LDAP_URL="")) == {}
    values = ldap_settings(
        env(
            LDAP_URL="ldap://x/",
            LDAP_USER_SEARCH_BASE="dc=x",
            LDAP_USER_FILTER="",
            LDAP_TIMEOUT="",
            LDAP_GROUP_MAP="",
            LDAP_GROUP_SEARCH_BASE="",
            LDAP_UNIT_ATTRIBUTE="",
            LDAP_START_TLS="",
        )
    )
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)"
    assert values["LDAP_UNIT_ATTRIBUTE"] == "ou"
    assert values["AUTH_LDAP_START_TLS"] is False
    assert "AUTH_LDAP_GROUP_SEARCH" not in values
