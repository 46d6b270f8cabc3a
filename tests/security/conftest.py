"""Fixtures of the security tests: the portal served by ``make run`` (tests/security/helpers.py)."""

from __future__ import annotations

import pytest

from .helpers import PortalServer


@pytest.fixture(scope="module")
def embedded_portal(tmp_path_factory):
    """``make run`` with its embedded defaults (SQLite, no Redis, no DEBUG) on a fresh database file."""
    tmp = tmp_path_factory.mktemp("make-run")
    db = tmp / "db.sqlite3"
    server = PortalServer(tmp, DATABASE_URL=f"sqlite:///{db}")
    server.db_path = db
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def portal_on_postgresql(require_postgres, transactional_db, settings, tmp_path):
    """``make run`` on pytest-django's PostgreSQL database (migrated already; make run seeds it;
    ``transactional_db`` empties it after the test)."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    server = PortalServer(tmp_path, DATABASE_URL=url, CONN_MAX_AGE="0")
    try:
        yield server.start()
    finally:
        server.stop()
