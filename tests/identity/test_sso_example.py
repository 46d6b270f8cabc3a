"""The README's worked example (docker-compose.yml, profile sso) stays consistent with the portal and
with the settings CI tests natively: Keycloak's realm import (deploy/keycloak/smartportal-realm.json)
has the clients at the portal's URLs and the groups the tests' mappings name. Docker does not run
here; these checks read the files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from django.urls import reverse

from identity.services import group_map_parse
from tests.identity.oidc_mock import GROUP_MAP

ROOT = Path(__file__).resolve().parents[2]
SITE = "http://localhost:8000"


def _realm() -> dict:
    return json.loads((ROOT / "deploy" / "keycloak" / "smartportal-realm.json").read_text())


def _readme_env() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    heading = "## Logging in with your directory or identity provider"
    section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^((?:OIDC|SAML)_[A-Z_]+)=(.*)$", section, re.M)
    return dict(lines)


def test_compose_imports_the_realm_behind_the_sso_profile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    keycloak = compose["services"]["keycloak"]
    assert keycloak["profiles"] == ["sso"]
    assert "--import-realm" in keycloak["command"]
    assert "./deploy/keycloak:/opt/keycloak/data/import:ro" in keycloak["volumes"]
    env = compose["services"]["web"]["environment"]
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_GROUP_MAP", "SAML_IDP_METADATA_URL", "SAML_NAME"):
        assert name in env


def test_the_realm_clients_answer_the_portal_urls_and_the_readme_settings():
    env = _readme_env()
    clients = {c["protocol"]: c for c in _realm()["clients"]}
    oidc = clients["openid-connect"]
    assert oidc["clientId"] == env["OIDC_CLIENT_ID"]
    assert oidc["secret"] == env["OIDC_CLIENT_SECRET"]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "oidc"})
    assert oidc["redirectUris"] == [SITE + callback]
    assert oidc["attributes"]["post.logout.redirect.uris"] == SITE + reverse("login")
    assert env["OIDC_ISSUER"].endswith("/realms/" + _realm()["realm"])
    saml = clients["saml"]
    assert saml["clientId"] == SITE + reverse("saml_metadata", args=["idp"])  # the SP's entity id
    assert saml["attributes"]["saml_assertion_consumer_url_post"] == SITE + reverse("saml_acs", args=["idp"])
    assert saml["attributes"]["saml.assertion.signature"] == "true"  # the portal requires it
    # Single logout: Keycloak's LogoutResponse to the portal's single logout service (identity/samlslo.py).
    sls = SITE + reverse("saml_sls", args=["idp"])
    assert saml["attributes"]["saml_single_logout_service_url_redirect"] == sls
    assert env["SAML_IDP_METADATA_URL"].endswith("/realms/smartportal/protocol/saml/descriptor")


def test_the_realm_groups_are_those_the_mappings_of_ci_and_readme_name():
    groups = {g["name"] for g in _realm()["groups"]}
    env = _readme_env()
    assert env["OIDC_GROUP_MAP"] == GROUP_MAP.replace("; ", ";")  # the settings tests/identity uses
    for mapping in (env["OIDC_GROUP_MAP"], env["SAML_GROUP_MAP"]):
        assert set(group_map_parse(mapping)) <= groups
    members = {u["username"]: u["groups"] for u in _realm()["users"]}
    assert members["ana"] == ["/helpdesk"]
