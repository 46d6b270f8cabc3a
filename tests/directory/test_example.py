"""The README's worked example is the directory CI tests: docker-compose.yml's openldap service runs
the script the tests start (deploy/openldap/slapd.sh), the app services take every LDAP_ variable,
and the README's settings are the tests' (tests/directory/slapd.py, ``EXAMPLE_ENV``)."""

from __future__ import annotations

import re

import yaml

from .slapd import EXAMPLE_ENV, ROOT, SCRIPT

NAMES = {"LDAP_URL", *EXAMPLE_ENV} - {"LDAP_TIMEOUT"}


def test_the_openldap_service_runs_the_tests_directory_under_the_sso_profile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["openldap"]
    assert service["profiles"] == ["sso"]
    assert service["command"][:2] == ["bash", "/openldap/slapd.sh"]
    assert "./deploy/openldap:/openldap:ro" in service["volumes"]
    assert SCRIPT.stat().st_mode & 0o111
    for name in ("web", "worker", "beat", "events", "migrate"):
        assert set(compose["services"][name]["environment"]) >= NAMES, name


def test_the_readme_example_uses_the_tested_settings():
    readme = (ROOT / "README.md").read_text()
    example = dict(re.findall(r"^(LDAP_\w+)=(.*)$", readme, re.M))
    assert example.pop("LDAP_URL") == "ldap://openldap:389/"
    assert example == {k: v for k, v in EXAMPLE_ENV.items() if k in example}
    assert set(example) >= NAMES - {"LDAP_URL", "LDAP_USER_FILTER"}
    for name in NAMES | {"LDAP_TIMEOUT", "LDAP_UNIT_ATTRIBUTE", "LDAP_GROUP_TYPE", "LDAP_START_TLS"}:
        assert f"| `{name}` |" in readme, f"{name} is not in the README's configuration table"
