"""A real directory for the LDAP tests: Debian's slapd, started by deploy/openldap/slapd.sh (the
script the ``sso`` profile of docker-compose.yml runs) on a free loopback port in a temporary
directory, loaded from deploy/openldap/directory.ldif, and stopped after the test.

``slapd`` is the running server (``stop()`` it to take the directory down; ``modify``/``delete``
change it as its administrator); ``directory`` also configures the portal for it the way an operator
does, through the environment names of the README (``EXAMPLE_ENV``), and sets parameter 22 to 2.
Import both fixtures (``slapd_fixture``, ``directory_fixture``) where they are used
(tests/directory/conftest.py, tests/e2e)."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import environ
import pytest

from directory.conf import ldap_settings
from tests.conftest import IN_CI, require

# python-ldap is an optional install (`make install-ldap`, pyproject.toml's extra "ldap"): without
# it the directory's tests are skipped on a developer's machine and fail in CI, which installs it.
LDAP_INSTALLED = (
    importlib.util.find_spec("ldap") is not None and importlib.util.find_spec("django_auth_ldap") is not None
)
needs_ldap = pytest.mark.skipif(
    not LDAP_INSTALLED and not IN_CI, reason="django-auth-ldap is not installed (make install-ldap)"
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "openldap" / "slapd.sh"
SLAPD = "/usr/sbin/slapd"
BASE = "dc=example,dc=org"
ROOT_DN, ROOT_PASSWORD = f"cn=admin,{BASE}", "admin-secret"

# The settings of the README's worked example, with the directory's address filled in by the fixture.
EXAMPLE_ENV = {
    "LDAP_BIND_DN": f"cn=portal,ou=services,{BASE}",
    "LDAP_BIND_PASSWORD": "portal-secret",
    "LDAP_USER_SEARCH_BASE": f"ou=people,{BASE}",
    "LDAP_USER_FILTER": "(uid=%(user)s)",
    "LDAP_GROUP_SEARCH_BASE": f"ou=groups,{BASE}",
    "LDAP_GROUP_MAP": f"cn=approvers,ou=groups,{BASE}=Approvers;cn=finance,ou=groups,{BASE}=Finance",
    "LDAP_TIMEOUT": "3",
}


def person(uid: str) -> str:
    return f"uid={uid},ou=people,{BASE}"


def group(cn: str) -> str:
    return f"cn={cn},ou=groups,{BASE}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Slapd:
    run_dir: Path
    url: str
    process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.run_dir / "slapd.log").open("ab")
        self.process = subprocess.Popen(
            [str(SCRIPT), str(self.run_dir / "run"), self.url], stdout=log, stderr=log
        )
        import ldap

        deadline = time.monotonic() + 20
        while True:
            try:
                self._admin().unbind_s()
                return
            except ldap.SERVER_DOWN:  # not listening yet
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"slapd did not start: {(self.run_dir / 'slapd.log').read_text()}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _admin(self):
        import ldap

        conn = ldap.initialize(self.url, bytes_mode=False)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
        conn.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return conn

    def modify(self, dn: str, changes: list[tuple[int, str, list[bytes] | None]]) -> None:
        """``ldapmodify`` as the directory's administrator: ``[(ldap.MOD_ADD, "member", [b"uid=…"])]``."""
        conn = self._admin()
        try:
            conn.modify_s(dn, changes)
        finally:
            conn.unbind_s()

    def disable(self, uid: str) -> None:
        """Lock the account, as a directory administrator disables someone (ppolicy)."""
        import ldap

        self.modify(person(uid), [(ldap.MOD_ADD, "pwdAccountLockedTime", [b"000001010000Z"])])

    def delete(self, uid: str) -> None:
        conn = self._admin()
        try:
            conn.delete_s(person(uid))
        finally:
            conn.unbind_s()


@pytest.fixture(name="slapd")
def slapd_fixture(tmp_path):
    require(
        Path(SLAPD).exists() and Path(SLAPD).with_name("slapadd").exists(),
        "this test needs Debian's slapd (apt-get install slapd ldap-utils)",
    )
    server = Slapd(run_dir=tmp_path, url=f"ldap://127.0.0.1:{free_port()}/")
    server.start()
    yield server
    server.stop()


@pytest.fixture(name="directory")
def directory_fixture(slapd, settings, monkeypatch, set_param):
    """The portal configured for ``slapd`` from the environment, parameter 22 = 2 (LDAP)."""
    for name, value in {**EXAMPLE_ENV, "LDAP_URL": slapd.url}.items():
        monkeypatch.setenv(name, value)
    for name, value in ldap_settings(environ.Env()).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "directory.backends.DirectoryBackend",
    ]
    set_param(22, 2)
    return slapd
