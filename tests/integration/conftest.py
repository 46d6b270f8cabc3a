"""A real Celery worker (subprocess) on Redis, PostgreSQL and an SMTP server on loopback.

The fixtures skip without PostgreSQL / Redis (``require_postgres``, ``redis_url``) and fail in CI.
The worker reads pytest-django's test database, so the tests use ``transactional_db`` (rows are
really committed) and the worker is always stopped before the database is flushed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

import pytest

from tests.smtp import SmtpSink, free_port

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
INTEGRATION_REDIS_DB = int(os.environ.get("INTEGRATION_REDIS_DB", "14"))


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")


@pytest.fixture
def smtp_sink():
    """Not started: call ``smtp_sink.start()`` (the port is reserved for the worker's EMAIL_URL)."""
    sink = SmtpSink(free_port())
    yield sink
    sink.stop()


@pytest.fixture
def integration_broker_url(redis_url):
    """REDIS_URL with the dedicated DB number, flushed before and after."""
    import redis

    u = urlparse(redis_url)
    url = urlunparse(u._replace(path=f"/{INTEGRATION_REDIS_DB}"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def use_broker(app, url: str | None, *, eager: bool = False) -> None:
    """Point the test process's Celery app at ``url`` (the Django settings were read once)."""
    from kombu import pools

    pools.reset()  # closes the pooled connections and forgets the pools (kombu keys them globally)
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.task_always_eager = eager
    if url is not None:
        app.conf.broker_url = url
        app.conf.broker_read_url = None
        app.conf.broker_write_url = None


@pytest.fixture
def celery_web(settings, integration_broker_url):
    """The test process (the "web side") publishes to the real broker instead of running eagerly.
    ``celery_web.point_at(url)`` switches the broker (e.g. to a closed port)."""
    from smartportal.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = integration_broker_url

    class Web:
        broker_url = integration_broker_url

        @staticmethod
        def point_at(url):
            use_broker(app, url)

    use_broker(app, integration_broker_url)
    yield Web
    use_broker(app, saved[0], eager=saved[1])


def _test_database_url(settings) -> str:
    db = settings.DATABASES["default"]
    auth = quote(db.get("USER") or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, proc: subprocess.Popen, log: Path):
        self.proc = proc
        self.log = log

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self):
        if self.proc.poll() is not None:
            return
        # The whole process group: the prefork children too.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


def _worker_env(request) -> dict[str, str]:
    """More environment for the worker: a ``worker_env`` fixture where a test module defines one (the
    webhook settings, tests/integration/test_webhooks_worker.py); modules that import
    ``celery_worker`` from here need not define it."""
    try:
        return request.getfixturevalue("worker_env")
    except pytest.FixtureLookupError:
        return {}


def start_worker(
    settings, broker_url: str, log: Path, *, smtp_port: int, extra_env: dict | None = None
) -> Worker:
    """A real ``celery worker`` (prefork, 2 processes) on the test database, ``broker_url`` and an SMTP
    server on ``smtp_port``, ready; ``extra_env`` adds settings (push's VAPID keys). The caller stops it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartportal.settings.worker_test",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
        "DATABASE_URL": _test_database_url(settings),
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "5",
        "LOG_LEVEL": "INFO",
        **(extra_env or {}),
    }
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "smartportal",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                "notif-test@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(proc, log)
    try:
        wait_for(
            lambda: proc.poll() is not None or " ready." in worker.log_text(),
            timeout=30,
            what="the Celery worker to be ready",
        )
        if proc.poll() is not None:
            pytest.fail(f"the Celery worker exited ({proc.returncode}):\n{worker.log_text()[-4000:]}")
    except BaseException:
        worker.stop()
        raise
    return worker


@pytest.fixture
def celery_worker(request, transactional_db, require_postgres, settings, celery_web, smtp_sink, tmp_path):
    """A real ``celery worker`` (:func:`start_worker`) on the test database, the dedicated Redis DB
    and ``smtp_sink``'s port, with the module's ``worker_env`` (:func:`_worker_env`). Always stopped at
    teardown (before the database is flushed)."""
    worker = start_worker(
        settings,
        celery_web.broker_url,
        tmp_path / "worker.log",
        smtp_port=smtp_sink.port,
        extra_env=_worker_env(request),
    )
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture(autouse=True)
def _outbox_breaker_reset():
    """Each test starts with the web side's broker circuit breaker closed."""
    from outbox.services import broker_breaker_reset

    broker_breaker_reset()
    yield
    broker_breaker_reset()
