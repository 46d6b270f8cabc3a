"""The portal as ``make run`` serves it (runserver, DEBUG off, demo data), on a database of the test's
own: the embedded default (a fresh SQLite file) or, in the PostgreSQL run, pytest-django's database;
clients that talk to it over HTTP, many at once, as the attacks of issue 11 did."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.bench.procs import Proc, free_port, wait_http

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PortalServer:
    """``make run`` on a free port, its environment reduced to what a fresh shell has plus ``env``."""

    def __init__(self, tmp: Path, **env: str):
        self.tmp = tmp
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
        self.env.update(MEDIA_ROOT=str(tmp / "media"), PYTHONUNBUFFERED="1", **env)
        self.proc: Proc | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> PortalServer:
        self.proc = Proc(
            "make run",
            ["make", "--no-print-directory", "run", f"PORT={self.port}", f"VENV={VENV}"],
            self.env,
            self.tmp / "make-run.log",
        ).start()
        wait_http(f"{self.base}/health/", self.proc, timeout=180)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()

    def log(self) -> str:
        return self.proc.log_text()[-6000:] if self.proc else ""


class Client:
    """One browser: cookies, and the CSRF token of the last form it was served."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.s = requests.Session()
        self.token = ""

    def get(self, path: str, **kw):
        r = self.s.get(self.base + path, timeout=kw.pop("timeout", 60), **kw)
        m = CSRF_INPUT.search(r.text)
        if m:
            self.token = m.group(1)
        return r

    def post(self, path: str, data: dict | None = None, **kw):
        data = {"csrfmiddlewaretoken": self.token or self.s.cookies.get("csrftoken", ""), **(data or {})}
        return self.s.post(
            self.base + path,
            data=data,
            timeout=kw.pop("timeout", 60),
            allow_redirects=kw.pop("allow_redirects", False),
            headers={"Referer": self.base + path},
            **kw,
        )

    def login(self, username: str, password: str):
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"username": username, "password": password})


def in_parallel(calls: list) -> list:
    """Run the callables at the same instant (a barrier), each in its own thread; their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def sqlite_rows(path: Path, sql: str, params=()) -> list:
    with sqlite3.connect(path, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


LOCKED = "Too many failed login attempts"
BURSTS, PER_BURST = 3, 8


def burst_of_wrong_passwords(base: str, username: str) -> list[int]:
    """``BURSTS`` times ``PER_BURST`` wrong passwords for ``username`` at the same instant; the statuses."""
    statuses: list[int] = []
    for _ in range(BURSTS):
        clients = [Client(base) for _ in range(PER_BURST)]
        for c in clients:
            assert c.get("/accounts/login/").status_code == 200
        responses = in_parallel(
            [
                lambda c=c: c.post("/accounts/login/", {"username": username, "password": "wrong"})
                for c in clients
            ]
        )
        statuses += [r.status_code for r in responses]
        for r in responses:
            assert r.status_code < 500, r.text[:2000]
            assert "sessionid" not in r.cookies
    return statuses


def assert_locked_even_with_the_right_password(base: str, username: str, password: str) -> None:
    c = Client(base)
    r = c.login(username, password)
    assert r.status_code == 429, r.status_code
    assert LOCKED in r.text
    assert 'name="username"' in r.text  # the login page itself, with the reason
    assert "sessionid" not in c.s.cookies
    assert c.get("/", allow_redirects=False).status_code == 302  # still anonymous: to the login page
