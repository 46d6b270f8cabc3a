"""The embedded defaults as ``make run`` starts them (SQLite, no Redis, tasks in-process, runserver):
a parameter changed by ANOTHER process (``manage.py parameter set``) is followed by the running
server's next request, pages and server-side checks alike (parameters.accessors).

The portal runs as a real separate process on a free port, on a throw-away SQLite file with the
demo data (``seed_demo``); whatever database the suite itself uses, this test uses neither it nor
Redis. About half a minute, most of it migrating the new SQLite file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.topology.conftest import Browser
from tools.bench.procs import ROOT, Proc, free_port, wait_http

from .live import LivePortal, check_changes_are_followed, parameter_set

pytestmark = pytest.mark.timeout(400)


def _embedded_env(tmp_path) -> dict[str, str]:
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="smartportal.settings.dev",
        # The embedded engine on a file of its own (the default is var/db.sqlite3, the developer's).
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedded")
    env = _embedded_env(tmp)
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo", "--force")  # make run does the same: DEBUG is off by default
    port = free_port()
    server = Proc(
        "runserver",
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env,
        tmp / "runserver.log",
    ).start()
    try:
        wait_http(f"http://127.0.0.1:{port}/health/", server, timeout=120)
        yield {"env": env, "db": tmp / "db.sqlite3", "base": f"http://127.0.0.1:{port}", "server": server}
    finally:
        server.stop()


def _rows(db, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_change_from_another_process_is_followed_by_the_next_request(embedded):
    db = embedded["db"]
    [(ticket_id,)] = _rows(
        db,
        "SELECT t.id FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id "
        "WHERE u.username = 'maria' AND t.situation = 'in_progress' ORDER BY t.id LIMIT 1",
    )
    [(category,)] = _rows(db, "SELECT id FROM occurrences_category WHERE active AND code IS NULL LIMIT 1")
    [(origin,)] = _rows(db, "SELECT id FROM occurrences_origin WHERE active LIMIT 1")
    [(activity,)] = _rows(db, "SELECT id FROM catalog_activity ORDER BY id LIMIT 1")
    browser = Browser(embedded["base"])
    browser.login("maria", "maria")
    portal = LivePortal(
        pages=lambda path: [browser.get(path, allow_redirects=False)],
        post=browser.post,
        set_param=lambda number, value: parameter_set(embedded["env"], number, value),
        occurrences=lambda tag: _rows(
            db, "SELECT count(*) FROM occurrences_occurrence WHERE text LIKE ?", (tag + "%",)
        )[0][0],
        attachments=lambda name: _rows(
            db, "SELECT count(*) FROM tickets_attachment WHERE original_name = ?", (name,)
        )[0][0],
        ticket_id=ticket_id,
        category=category,
        origin=origin,
        activity=activity,
    )
    try:
        check_changes_are_followed(portal)
    except AssertionError:
        print(embedded["server"].log_text()[-4000:])
        raise
