"""The production topology, started natively from the scripts of ``deploy/`` (as docker-compose.yml
runs them): gunicorn (2 workers), a Celery worker and beat, each test with its own redis-server,
SMTP sink and processes, on a throw-away PostgreSQL database ``sp_topo_<pid>`` (migrated once by
``deploy/migrate.sh``, seeded by ``seed_bench``: ``bench_owner`` / ``bench`` owns an In Progress
ticket captured by ``bench_attendant``, template 253 set, so each occurrence with Notify
Responsible queues one e-mail).

Needs PostgreSQL (``DATABASE_URL=postgres://…``, used only to reach the server) and
``redis-server``: skipped locally without them, a failure when CI=true (``require``).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import require, tcp_open
from tests.smtp import SmtpSink
from tools.bench.procs import (
    Proc,
    deploy,
    deploy_env,
    free_port,
    redis_server,
    run_deploy,
    wait_for,
    wait_http,
)
from tools.bench.procs import worker_ready as _worker_ready

PASSWORD = "bench"
OWNER = "bench_owner"
TICKET_TITLE = "Bench register ticket"


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    require(
        url.startswith("postgres") and tcp_open(url, 5432),
        "the topology tests need PostgreSQL (set DATABASE_URL=postgres://...)",
    )
    require(shutil.which("redis-server") is not None, "the topology tests need redis-server on PATH")
    return url


def psql(url: str, sql: str, params=(), *, autocommit: bool = False):
    import psycopg

    with psycopg.connect(url, autocommit=autocommit) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


def create_database(server_url: str, name: str) -> str:
    u = urlparse(server_url)
    admin = u._replace(path="/postgres").geturl()
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)
    psql(admin, f'CREATE DATABASE "{name}"', autocommit=True)
    return u._replace(path=f"/{name}").geturl()


def drop_database(server_url: str, name: str) -> None:
    admin = urlparse(server_url)._replace(path="/postgres").geturl()
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)


def prepare_database(db_url: str, workdir: Path, static_root: Path) -> None:
    """deploy/migrate.sh (migrations + collectstatic), then a small seed_bench data set."""
    import subprocess
    import sys

    env = deploy_env(
        DJANGO_SETTINGS_MODULE="tools.bench.settings",
        SECRET_KEY="topology-" + secrets.token_hex(24),
        DATABASE_URL=db_url,
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    run_deploy("migrate", env, workdir / "migrate.log")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "seed_bench",
            "--tickets=400",
            "--users=5",
            "--owner-tickets=120",
            "--small-tickets=20",
            "--occurrences=5",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def topo_db(tmp_path_factory):
    server = _server_url()
    name = f"{os.environ.get('TOPO_DB_PREFIX', 'sp_topo')}_{os.getpid()}"
    work = tmp_path_factory.mktemp("topo-db")
    url = create_database(server, name)
    try:
        prepare_database(url, work, work / "static")
        yield {"url": url, "static": work / "static"}
    finally:
        drop_database(server, name)


class SlowSink(SmtpSink):
    """An SMTP sink that waits ``delay`` seconds at MAIL FROM (before any message exists), so a
    batch takes a while and a worker can be killed in the middle of it.

    :meth:`hold` keeps every new transaction waiting at MAIL FROM until :meth:`release`;
    :attr:`held` counts the clients waiting there (their messages do not exist yet)."""

    delay = 0.0

    def __init__(self, port: int | None = None):
        super().__init__(port)
        self._open = threading.Event()
        self._open.set()
        self.held = 0

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not self._open.is_set():
            with self._lock:
                self.held += 1
            try:
                while not self._open.is_set():
                    await asyncio.sleep(0.01)
            finally:
                with self._lock:
                    self.held -= 1
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"


class Topology:
    """One test's processes: redis-server, SMTP sink, gunicorn, Celery worker(s) and beat."""

    def __init__(self, db: dict, tmp: Path):
        self.db_url = db["url"]
        self.tmp = tmp
        self.redis_port = free_port()
        self.web_port = free_port()
        self.sink = SlowSink(free_port())
        self.procs: list[Proc] = []
        self.redis: Proc | None = None
        self.env = deploy_env(
            DJANGO_SETTINGS_MODULE="smartportal.settings.production",
            SECRET_KEY="topology-" + secrets.token_hex(24),
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=self.db_url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            EMAIL_URL=f"smtp://127.0.0.1:{self.sink.port}",
            DEFAULT_FROM_EMAIL="Smart Portal <no-reply@topology.test>",
            SITE_URL=f"http://127.0.0.1:{self.web_port}",
            # Plain HTTP on loopback.
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            SECURE_HSTS_SECONDS="0",
            STATIC_ROOT=str(db["static"]),
            GUNICORN_BIND=f"127.0.0.1:{self.web_port}",
            WEB_CONCURRENCY="2",
            CELERY_CONCURRENCY="2",
            CELERY_BEAT_SCHEDULE_FILE=str(tmp / "celerybeat-schedule"),
            # Short clocks so the recovery paths run within the test.
            OUTBOX_DISPATCH_EVERY="2",
            OUTBOX_STALE_AFTER_SECONDS="3",
            OUTBOX_RETRY_BACKOFF_MAX="3",
            OUTBOX_MAX_ATTEMPTS="30",
            OUTBOX_SENDING_STUCK_AFTER_SECONDS="8",
            OUTBOX_BROKER_RETRY_AFTER_SECONDS="2",
            EMAIL_TIMEOUT="3",
            LOG_LEVEL="INFO",
        )
        self._workers = 0
        self.reset_outbox()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    # --- processes --------------------------------------------------------------------------
    def start_redis(self) -> Proc:
        self.redis = redis_server(self.redis_port, self.tmp, self.tmp / "redis.log")
        return self.redis

    def stop_redis(self) -> None:
        if self.redis is not None:
            self.redis.stop()
            self.redis = None

    def start_web(self) -> Proc:
        p = deploy("web", self.env, self.tmp / "web.log")
        self.procs.append(p)
        wait_http(f"{self.base}/health/", p, timeout=60)
        return p

    def start_worker(self, wait: bool = True) -> Proc:
        self._workers += 1
        p = deploy(
            "worker",
            self.env,
            self.tmp / f"worker{self._workers}.log",
            "--hostname",
            f"topo{self._workers}-{os.getpid()}@%h",
        )
        self.procs.append(p)
        if wait:
            wait_for(lambda: _worker_ready(p), timeout=60, what="the Celery worker to be ready")
        return p

    def start_beat(self) -> Proc:
        p = deploy("beat", self.env, self.tmp / "beat.log")
        self.procs.append(p)
        return p

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.stop()
        self.stop_redis()
        self.sink.stop()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.log_text()[-2500:]}" for p in self.procs)

    # --- data -------------------------------------------------------------------------------
    def reset_outbox(self) -> None:
        """Rows another test left unsent are put aside, so they cannot reach this test's sink."""
        psql(
            self.db_url,
            "UPDATE notifications_outboundemail SET status = 'failed' WHERE status IN ('pending', 'sending')",
        )
        psql(self.db_url, "UPDATE occurrences_occurrence SET emails_pending = false WHERE emails_pending")

    def ticket_id(self) -> int:
        return psql(
            self.db_url,
            "SELECT t.id FROM tickets_ticket t "
            "JOIN accounts_user u ON u.id = t.requester_id "
            "WHERE u.username = %s AND t.title = %s",
            (OWNER, TICKET_TITLE),
        )[0][0]

    def form_ids(self) -> tuple[int, int]:
        cat = psql(self.db_url, "SELECT id FROM occurrences_category WHERE name = 'Customer follow-up'")[0][0]
        origin = psql(self.db_url, "SELECT id FROM occurrences_origin WHERE name = 'Portal'")[0][0]
        return cat, origin

    def occurrences(self, marker: str) -> int:
        return psql(
            self.db_url, "SELECT count(*) FROM occurrences_occurrence WHERE text LIKE %s", (marker + "%",)
        )[0][0]

    def emails_pending(self, marker: str) -> int:
        """Occurrences whose e-mails the worker has not written to the outbox yet."""
        return psql(
            self.db_url,
            "SELECT count(*) FROM occurrences_occurrence WHERE text LIKE %s AND emails_pending",
            (marker + "%",),
        )[0][0]

    def outbox(self, marker: str) -> dict[str, int]:
        rows = psql(
            self.db_url,
            """
            SELECT e.status, count(*) FROM notifications_outboundemail e
            JOIN occurrences_occurrence o ON e.idempotency_key LIKE 'occurrence:' || o.id || ':%%'
            WHERE o.text LIKE %s GROUP BY e.status""",
            (marker + "%",),
        )
        return dict(rows)

    def delivered(self, marker: str) -> list:
        with self.sink._lock:
            messages = list(self.sink.messages)
        return [m for m in messages if marker in _body(m)]


def _body(msg) -> str:
    part = msg.get_body(("plain",)) if hasattr(msg, "get_body") else None
    if msg.is_multipart():
        for p in msg.walk():
            if p.get_content_type() == "text/plain":
                return p.get_payload(decode=True).decode(errors="replace")
        return ""
    return (part or msg).get_payload(decode=True).decode(errors="replace")


@pytest.fixture
def topology(topo_db, tmp_path):
    topo = Topology(topo_db, tmp_path)
    try:
        yield topo
    finally:
        topo.stop()


# --- the HTTP client side ------------------------------------------------------------------------


class Browser:
    """A user's browser: a requests session with cookies and CSRF tokens."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.s = requests.Session()

    def get(self, path: str, **kw):
        return self.s.get(self.base + path, timeout=kw.pop("timeout", 30), **kw)

    def post(self, path: str, data: dict, **kw):
        data = {"csrfmiddlewaretoken": self.s.cookies.get("csrftoken", ""), **data}
        return self.s.post(
            self.base + path,
            data=data,
            timeout=kw.pop("timeout", 30),
            allow_redirects=kw.pop("allow_redirects", False),
            **kw,
        )

    def login(self, username: str = OWNER, password: str = PASSWORD):
        r = self.get("/accounts/login/")
        assert r.status_code == 200, r.status_code
        r = self.post("/accounts/login/", {"username": username, "password": password})
        assert r.status_code == 302, f"login failed: {r.status_code} {r.text[:500]}"
        return r


def register_occurrence(browser: Browser, ticket_id: int, category: int, origin: int, text: str):
    return browser.post(
        f"/my-requests/{ticket_id}/occurrences/new/",
        {"category": category, "origin": origin, "text": text, "notify_responsible": "on", "next": ""},
    )


def message_ids(messages) -> list[str]:
    return [m["Message-ID"] for m in messages]


_lock = threading.Lock()


def marker(name: str) -> str:
    return f"[{name}-{secrets.token_hex(4)}]"


TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
