"""Fault tests of the production topology (each with its own redis-server, SMTP sink, gunicorn,
worker and beat; PostgreSQL restarts on a private cluster): nothing lost, nothing twice."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import require
from tools.bench.procs import deploy, deploy_env, free_port, wait_for, wait_http

from .conftest import Browser, marker, message_ids, prepare_database, register_occurrence

pytestmark = [pytest.mark.integration, pytest.mark.topology]


def assert_exactly_once(topology, tag: str, n: int, timeout: float = 90) -> None:
    def done():
        return (
            len(topology.delivered(tag)) >= n
            and topology.outbox(tag) == {"sent": n}
            and topology.emails_pending(tag) == 0
        )

    wait_for(
        done,
        timeout=timeout,
        interval=0.5,
        what=lambda: (
            f"{n} e-mails delivered (got {len(topology.delivered(tag))}, outbox {topology.outbox(tag)})\n"
            f"{topology.logs()}"
        ),
    )
    time.sleep(3)  # a duplicate would arrive now
    delivered = topology.delivered(tag)
    ids = message_ids(delivered)
    assert len(delivered) == n, f"{len(delivered)} messages for {n} e-mails"
    assert len(set(ids)) == n, f"delivered twice: {[i for i, c in Counter(ids).items() if c > 1]}"
    assert topology.occurrences(tag) == n


def register_many(topology, browser: Browser, tag: str, n: int) -> list[int]:
    ticket_id = topology.ticket_id()
    category, origin = topology.form_ids()
    statuses = []
    for i in range(n):
        r = register_occurrence(browser, ticket_id, category, origin, f"{tag} occurrence {i}")
        statuses.append(r.status_code)
    return statuses


@pytest.mark.timeout(300)
def test_redis_down_while_registering_then_up_delivers_each_once(topology):
    topology.start_redis()
    topology.sink.start()
    topology.start_web()
    topology.start_worker()
    topology.start_beat()
    browser = Browser(topology.base)
    browser.login()

    topology.stop_redis()
    tag = marker("redis-down")
    t0 = time.monotonic()
    statuses = register_many(topology, browser, tag, 100)
    elapsed = time.monotonic() - t0
    assert statuses == [302] * 100, Counter(statuses)
    assert topology.occurrences(tag) == 100
    # Saved, each with its e-mail pending: the task could not be published, nothing is lost.
    assert topology.emails_pending(tag) == 100
    assert topology.outbox(tag) == {}
    assert topology.delivered(tag) == []
    health = Browser(topology.base).get("/health/")
    assert health.status_code == 503
    assert health.json()["redis"] == "unavailable"

    topology.start_redis()  # empty: the messages published before the stop are gone too
    t1 = time.monotonic()
    assert_exactly_once(topology, tag, 100)
    print(
        f"Redis down: 100 occurrences saved in {elapsed:.1f} s; 100 e-mails delivered "
        f"{time.monotonic() - t1:.1f} s after Redis came back"
    )


@pytest.mark.timeout(300)
def test_smtp_down_for_a_while_retries_then_delivers_each_once(topology):
    topology.start_redis()
    topology.start_web()
    topology.start_worker()
    topology.start_beat()
    browser = Browser(topology.base)
    browser.login()
    tag = marker("smtp-down")
    statuses = register_many(topology, browser, tag, 50)
    assert statuses == [302] * 50
    # Every e-mail is tried and fails while the SMTP server is down; they wait PENDING to retry.
    wait_for(
        lambda: psql_attempts(topology, tag) >= 50,
        timeout=60,
        what=lambda: f"a first attempt on every e-mail\n{topology.logs()}",
    )
    time.sleep(5)
    assert "sent" not in topology.outbox(tag)
    topology.sink.start()
    t0 = time.monotonic()
    assert_exactly_once(topology, tag, 50)
    retried = topology_retried(topology, tag)
    assert retried == 50, f"{retried} of 50 e-mails needed more than one attempt"
    print(f"SMTP down: 50 e-mails delivered once {time.monotonic() - t0:.1f} s after it came up")


def psql_attempts(topology, tag: str) -> int:
    from .conftest import psql

    return psql(
        topology.db_url,
        """
        SELECT count(*) FROM notifications_outboundemail e
        JOIN occurrences_occurrence o ON e.idempotency_key LIKE 'occurrence:' || o.id || ':%%'
        WHERE o.text LIKE %s AND e.attempts >= 1 AND e.last_error <> ''""",
        (tag + "%",),
    )[0][0]


def topology_retried(topology, tag: str) -> int:
    from .conftest import psql

    return psql(
        topology.db_url,
        """
        SELECT count(*) FROM notifications_outboundemail e
        JOIN occurrences_occurrence o ON e.idempotency_key LIKE 'occurrence:' || o.id || ':%%'
        WHERE o.text LIKE %s AND e.attempts > 1""",
        (tag + "%",),
    )[0][0]


@pytest.mark.timeout(300)
def test_worker_killed_mid_batch_nothing_lost_nothing_twice(topology):
    topology.start_redis()
    topology.sink.delay = 0.1  # 100 e-mails take > 5 s with 2 worker processes
    topology.sink.start()
    topology.start_web()
    first = topology.start_worker()
    topology.start_beat()
    browser = Browser(topology.base)
    browser.login()
    tag = marker("worker-kill")
    statuses = register_many(topology, browser, tag, 100)
    assert statuses == [302] * 100
    wait_for(lambda: len(topology.delivered(tag)) >= 10, timeout=60, what="the batch to be under way")
    # Kill while both worker processes are in the middle of a send: each has claimed its row
    # (SENDING) and is talking to the server, which holds them at MAIL FROM. Killing at a random
    # instant could also land in the one moment no outbox can close over SMTP, between the
    # server's acceptance of a message and the SENT commit; that copy would go out twice, with the
    # same Message-ID (see outbox.services.email_send).
    topology.sink.hold()
    wait_for(lambda: topology.sink.held >= 2, timeout=30, what="both worker processes mid-send")
    at_kill = len(topology.delivered(tag))
    in_flight = topology.outbox(tag).get("sending", 0)
    first.signal(signal.SIGKILL)  # master and prefork children, mid-batch
    first.proc.wait(timeout=10)
    topology.sink.release()
    assert at_kill < 100, "the batch finished before the kill; make the sink slower"
    assert in_flight == 2, f"expected the two killed sends in SENDING, got {topology.outbox(tag)}"
    topology.start_worker()
    assert_exactly_once(topology, tag, 100, timeout=120)
    print(
        f"worker SIGKILLed with {in_flight} sends in flight after {at_kill} of 100 e-mails; "
        "the second worker delivered the rest once"
    )


# --- PostgreSQL restart -------------------------------------------------------------------------

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def as_postgres(*args: str, **kw) -> subprocess.CompletedProcess:
    cmd = list(args)
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(
        cmd, check=True, capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw
    )


@pytest.fixture
def own_postgres(tmp_path_factory):
    """A private PostgreSQL cluster on a free port (initdb into a temp dir), stopped at the end."""
    require((PG_BIN / "initdb").exists(), f"the PostgreSQL restart test needs {PG_BIN}/initdb")
    if os.geteuid() == 0:
        require(shutil.which("runuser") is not None, "runuser is needed to run PostgreSQL as root")
    base = Path(f"/tmp/sp_topo_pg_{os.getpid()}")
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(mode=0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", free_port()
    as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    opts = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"

    class Pg:
        url = f"postgres://postgres@127.0.0.1:{port}/sp_topo_pgrestart"

        def ctl(self, *args: str):
            return as_postgres(
                str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(base / "pg.log"), "-w", "-o", opts, *args
            )

    pg = Pg()
    pg.ctl("start")
    try:
        as_postgres(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "sp_topo_pgrestart",
        )
        yield pg
    finally:
        try:
            pg.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(base, ignore_errors=True)


@pytest.mark.timeout(300)
def test_postgres_restart_under_load_styled_errors_then_recovers(own_postgres, tmp_path):
    prepare_database(own_postgres.url, tmp_path, tmp_path / "static")
    port = free_port()
    env = deploy_env(
        DJANGO_SETTINGS_MODULE="smartportal.settings.production",
        SECRET_KEY="topology-pg-restart-" + "x" * 40,
        DATABASE_URL=own_postgres.url,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        LOG_LEVEL="INFO",
    )
    env.pop("REDIS_URL", None)
    web = deploy("web", env, tmp_path / "web.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/health/", web)
        browser = Browser(base)
        browser.login()
        results: list[tuple[float, int, str]] = []
        stop = threading.Event()

        def load():
            while not stop.is_set():
                try:
                    r = browser.get("/my-requests/", timeout=10)
                    results.append((time.monotonic(), r.status_code, r.text))
                except Exception as exc:  # a connection error would be a failure of gunicorn itself
                    results.append((time.monotonic(), -1, repr(exc)))

        threads = [threading.Thread(target=load, daemon=True) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(2)
        own_postgres.ctl("stop", "-m", "fast")
        down_at = time.monotonic()
        time.sleep(3)  # requests during the outage
        starting_at = time.monotonic()
        own_postgres.ctl("start")
        up_at = time.monotonic()
        time.sleep(4)
        stop.set()
        for t in threads:
            t.join(timeout=15)

        statuses = Counter(s for _, s, _ in results)
        during = [(s, body) for t, s, body in results if down_at + 0.5 < t < starting_at]
        after = [s for t, s, _ in results if t > up_at + 1.5]
        assert -1 not in statuses, f"gunicorn itself failed: {[b for _, s, b in results if s == -1][:2]}"
        assert during, "no request ran while PostgreSQL was down"
        assert all(s in (500, 503) for s, _ in during), Counter(s for s, _ in during)
        assert all("temporarily unavailable" in body for _, body in during), during[0][1][:500]
        assert after, "no request ran after the restart"
        assert all(s == 200 for s in after), Counter(after)
        assert web.alive(), "gunicorn was restarted or died"
        print(
            f"PostgreSQL restart: {dict(statuses)}; {len(during)} styled error pages while down, "
            f"{len(after)} successes after, gunicorn not restarted"
        )
    finally:
        web.stop()
