"""The OpenID Connect provider the tests log in through: PyPI's ``oidc-provider-mock`` started as a
real process on loopback (a free port; stopped by the fixture), requiring a nonce."""

from __future__ import annotations

import sys

import pytest
import requests

from tools.bench.procs import Proc, deploy_env, free_port, wait_http

CLIENT_ID = "smart-portal"
GROUP_MAP = "helpdesk=Service desk; it-admins=IT admins"


@pytest.fixture(scope="module", name="issuer")
def issuer_fixture(tmp_path_factory):
    port = free_port()
    # --require-nonce: the provider refuses an authorization request without one.
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    process = Proc("oidc-provider-mock", [*command, "--require-nonce"], deploy_env(), log).start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/.well-known/openid-configuration", process, timeout=10)
        yield url
    finally:
        process.stop()


def providers_setting(issuer_url: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS as smartportal/settings/base.py builds it from OIDC_* ."""
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Mock IdP",
                    "client_id": CLIENT_ID,
                    "secret": "client-secret",
                    "settings": {
                        "server_url": issuer_url,
                        "oauth_pkce_enabled": True,
                        "groups_claim": "groups",
                        "group_map": GROUP_MAP,
                    },
                }
            ],
        }
    }


def claims_set(issuer_url: str, sub: str, **claims) -> None:
    """The claims the provider gives ``sub`` (its user store, over its HTTP API)."""
    requests.put(f"{issuer_url}/users/{sub}", json=claims, timeout=5).raise_for_status()
