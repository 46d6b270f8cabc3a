"""``make bench``: the portal under load against the bare-Django limit (PostgreSQL, gunicorn, wrk).

    BENCH_SIZE=full  DATABASE_URL=postgres://…/sp_bench_full  python -m bench.run   # 1,000,000 tickets
    BENCH_SIZE=small DATABASE_URL=postgres://…/sp_topo_bench  python -m bench.run   # CI

1. ``deploy/migrate.sh`` (migrations, collectstatic) and ``manage.py seed_bench`` with the size's
   numbers (idempotent: a seeded database is reused);
2. the portal (``bench.settings``: production settings over plain HTTP) and a bare Django view doing
   one primary-key query (``bench.bare_urls``), both served by ``deploy/web.sh`` — gunicorn with
   ``deploy/gunicorn.conf.py``, 2 sync workers, DEBUG off — and a private redis-server (the
   portal's cache and broker: the POST publishes its e-mail task, no worker consumes it);
3. Debian's ``wrk`` with 4 connections for a fixed time per URL; the SQL queries of each URL are
   counted separately, in-process, with Django's test client;
4. a table (requests/s, p50, p99, queries, % of bare) and the targets; exit status 1 when one is
   missed (BENCH_STRICT=0 only reports). The GET pages are then loaded again on a third server
   with the page cache off (``PORTAL_PAGE_CACHE_SECONDS=0``, ``tickets/pagecache.py``): what a
   page costs when it has to be rendered, shown below the targets' rows, without a target.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

from bench.procs import ROOT, deploy, deploy_env, free_port, redis_server, run_deploy, wait_http

SIZES = {
    "full": {
        "tickets": 1_000_000,
        "users": 10_000,
        "owner": 100_000,
        "small": 1_000,
        "occurrences": 50,
        "seconds": 15,
    },
    "small": {
        "tickets": 20_000,
        "users": 200,
        "owner": 5_000,
        "small": 1_000,
        "occurrences": 50,
        "seconds": 5,
    },
}
CONNECTIONS = 4
SEARCH_WORD = "printer"
CSRF = "benchbenchbenchbenchbenchbench00"  # a 32-character CSRF secret: cookie and form field
POST_SESSIONS = 64  # the POSTs rotate over these sessions, so no session grows with flash messages


@dataclass
class Result:
    name: str
    path: str
    rps: float
    p50: float
    p99: float
    errors: int
    requests: int
    queries: int | None = None


def ensure_database(url: str) -> None:
    import psycopg

    u = urlparse(url)
    name = u.path.lstrip("/")
    admin = u._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", file=sys.stderr)


def to_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(
    name: str,
    base: str,
    path: str,
    seconds: int,
    *,
    cookie: str = "",
    lua: Path | None = None,
    env: dict | None = None,
) -> Result:
    args = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    if lua:
        args += ["-s", str(lua)]
    out = subprocess.run(
        [*args, base + path],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
        timeout=seconds + 60,
    ).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sock:
        errors += sum(int(x) for x in sock.groups())
    return Result(name, path, rps, to_ms(lat["50"]), to_ms(lat["99"]), errors, total)


def main() -> int:
    size_name = os.environ.get("BENCH_SIZE", "full")
    size = SIZES[size_name]
    seconds = int(os.environ.get("BENCH_SECONDS", size["seconds"]))
    db_url = os.environ.get("DATABASE_URL", "")
    if not db_url.startswith("postgres"):
        print("make bench needs DATABASE_URL=postgres://… (a throw-away database)", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("make bench needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    ensure_database(db_url)
    tmp = Path(tempfile.mkdtemp(prefix="sp-bench-"))
    redis_port, web_port, bare_port, raw_port = free_port(), free_port(), free_port(), free_port()
    secret = secrets.token_urlsafe(50)
    env = deploy_env(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secret,
        DATABASE_URL=db_url,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        LOG_LEVEL="INFO",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        WEB_CONCURRENCY="2",
    )
    os.environ.update(
        {k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "REDIS_URL", "STATIC_ROOT")}
    )
    print(
        f"== bench size {size_name}: {size}; {seconds} s per URL, {CONNECTIONS} connections; logs in {tmp}",
        file=sys.stderr,
        flush=True,
    )
    procs = []
    try:
        procs.append(redis_server(redis_port, tmp, tmp / "redis.log"))
        run_deploy("migrate", env, tmp / "migrate.log")
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "seed_bench",
                f"--tickets={size['tickets']}",
                f"--users={size['users']}",
                f"--owner-tickets={size['owner']}",
                f"--small-tickets={size['small']}",
                f"--occurrences={size['occurrences']}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        web = deploy("web", {**env, "GUNICORN_BIND": f"127.0.0.1:{web_port}"}, tmp / "web.log")
        procs.append(web)
        bare = deploy(
            "web",
            {**env, "GUNICORN_BIND": f"127.0.0.1:{bare_port}", "WSGI_APP": "bench.bare_wsgi:application"},
            tmp / "bare.log",
        )
        procs.append(bare)
        # The same portal with the page cache off: what a page costs when it is rendered.
        raw = deploy(
            "web",
            {**env, "GUNICORN_BIND": f"127.0.0.1:{raw_port}", "PORTAL_PAGE_CACHE_SECONDS": "0"},
            tmp / "web-nocache.log",
        )
        procs.append(raw)
        wait_http(f"http://127.0.0.1:{web_port}/health/", web)
        wait_http(f"http://127.0.0.1:{bare_port}/bare/1/", bare)
        wait_http(f"http://127.0.0.1:{raw_port}/health/", raw)
        return measure(
            size,
            seconds,
            f"http://127.0.0.1:{web_port}",
            f"http://127.0.0.1:{bare_port}",
            f"http://127.0.0.1:{raw_port}",
        )
    finally:
        for p in reversed(procs):
            p.stop()


def measure(size: dict, seconds: int, web: str, bare: str, raw: str) -> int:
    import django

    os.environ["LOG_LEVEL"] = "WARNING"  # this process only measures; the servers log every request
    sys.path.insert(0, str(ROOT))
    django.setup()
    import requests
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.management.commands.seed_bench import DETAIL_TITLE, OWNER, PASSWORD, REGISTER_TITLE, SMALL
    from occurrences.models import Category, Origin
    from tickets.models import Ticket

    owner, small = User.objects.get(username=OWNER), User.objects.get(username=SMALL)
    detail = Ticket.objects.get(requester=owner, title=DETAIL_TITLE)
    register = Ticket.objects.get(requester=owner, title=REGISTER_TITLE)
    pages = (Ticket.objects.filter(requester=owner).count() + 19) // 20
    form = {
        "csrfmiddlewaretoken": CSRF,
        "category": Category.objects.get(name="Customer follow-up").pk,
        "origin": Origin.objects.get(name="Portal").pk,
        "text": "Any news on this?",
        "notify_responsible": "on",
        "next": "",
    }

    # A real login over HTTP (axes, CSRF, session) for the GET pages; the POST rotates over sessions.
    def login(username: str) -> str:
        s = requests.Session()
        s.get(f"{web}/accounts/login/", timeout=30)
        r = s.post(
            f"{web}/accounts/login/",
            timeout=30,
            allow_redirects=False,
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        )
        assert r.status_code == 302, f"login of {username} failed: {r.status_code}"
        return f"sessionid={s.cookies['sessionid']}; csrftoken={s.cookies['csrftoken']}"

    owner_cookie, small_cookie = login(OWNER), login(SMALL)
    post_cookies = []
    for _ in range(POST_SESSIONS):
        c = Client()
        c.force_login(owner)
        post_cookies.append(f"sessionid={c.cookies['sessionid'].value}; csrftoken={CSRF}")

    bare_path = f"/bare/{ContentType.objects.order_by('pk').values_list('pk', flat=True).first()}/"
    post_path = f"/my-requests/{register.pk}/occurrences/new/"
    gets = [
        # Diagnostic, no target: a logged-in page of the portal shell with no data (the full
        # middleware stack, session, user, parameters, base template) — the floor of any page.
        ("portal shell floor (logged-in, no data)", "/accounts/password/done/", owner_cookie),
        ("My Requests, first page", "/my-requests/", owner_cookie),
        (f"My Requests, deep page {pages // 2}", f"/my-requests/?page={pages // 2}", owner_cookie),
        (f"My Requests, search '{SEARCH_WORD}'", f"/my-requests/?search={SEARCH_WORD}", owner_cookie),
        (
            f"Occurrences of a ticket ({size['occurrences']})",
            f"/my-requests/{detail.pk}/occurrences/",
            owner_cookie,
        ),
        (f"My Requests, first page, {size['small']:,}-ticket owner", "/my-requests/", small_cookie),
    ]

    # The pages again on the server without page cache ("rendered"): diagnostics, no target.
    rendered = [(f"{name} [rendered]", path, cookie) for name, path, cookie in gets[1:]]

    # Queries per request, counted in-process (same settings, same database): a reload, served
    # from the page cache when it can be, or with the cache off for the rendered rows.
    def count(user, method: str, path: str, *, page_cache: bool = True) -> int:
        with override_settings(**({} if page_cache else {"PORTAL_PAGE_CACHE_SECONDS": 0})):
            client = Client()
            client.force_login(user)
            call = client.post if method == "POST" else client.get
            kwargs = {"data": form} if method == "POST" else {}
            call(path, **kwargs)  # warm: parameters, caches
            with CaptureQueriesContext(connection) as ctx:
                r = call(path, **kwargs)
        assert r.status_code in (200, 302), (path, r.status_code)
        return len(ctx.captured_queries)

    # Warm every gunicorn worker on every URL.
    for _ in range(8):
        requests.get(bare + bare_path, timeout=30)
        for _name, path, cookie in gets:
            requests.get(web + path, headers={"Cookie": cookie}, timeout=30)
            requests.get(raw + path, headers={"Cookie": cookie}, timeout=30)

    results = [wrk("bare Django view (1 query by pk)", bare, bare_path, seconds)]
    results[0].queries = 1
    for name, path, cookie in gets:
        res = wrk(name, web, path, seconds, cookie=cookie)
        res.queries = count(small if cookie == small_cookie else owner, "GET", path)
        results.append(res)
    res = wrk(
        "Register occurrence (POST, notify)",
        web,
        post_path,
        seconds,
        lua=ROOT / "bench" / "post.lua",
        env={"BENCH_COOKIES": "|".join(post_cookies), "BENCH_BODY": urlencode(form)},
    )
    res.queries = count(owner, "POST", post_path)
    results.append(res)
    diagnostics = []
    for name, path, cookie in rendered:
        res = wrk(name, raw, path, seconds, cookie=cookie)
        res.queries = count(small if cookie == small_cookie else owner, "GET", path, page_cache=False)
        diagnostics.append(res)

    base = results[0].rps
    print()
    print(f"{'URL':60} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'SQL/req':>7} {'of bare':>8} {'errors':>6}")
    for r in [*results, *diagnostics]:
        if r is diagnostics[0]:
            print("-- the same pages rendered (page cache off): diagnostics, no target")
        print(
            f"{r.name:60} {r.rps:8.1f} {r.p50:8.2f} {r.p99:8.2f} {r.queries!s:>7} {r.rps / base:8.1%} "
            f"{r.errors:6d}"
        )
    _shell, first, deep, search, detail_r, small_r, post = results[1:]
    targets = [
        ("My Requests first page >= 20% of bare (req/s)", first.rps / base, ">=", 0.20),
        ("deep page p50 <= 1.5x first page p50", deep.p50 / first.p50, "<=", 1.5),
        ("search page p50 <= 1.5x first page p50", search.p50 / first.p50, "<=", 1.5),
        (f"occurrences of a ticket ({size['occurrences']}) >= 15% of bare", detail_r.rps / base, ">=", 0.15),
        ("Register occurrence POST >= 10% of bare", post.rps / base, ">=", 0.10),
        (
            f"first page p50 at {size['owner']:,} tickets <= 1.5x at {size['small']:,}",
            first.p50 / small_r.p50,
            "<=",
            1.5,
        ),
        ("no error responses", sum(r.errors for r in [*results, *diagnostics]), "<=", 0),
    ]
    print()
    missed = 0
    for label, value, op, limit in targets:
        ok = value >= limit if op == ">=" else value <= limit
        missed += not ok
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        print(f"{'met   ' if ok else 'MISSED'} {label:62} {shown:>8} (target {op} {limit})")
    print(f"\nbench: {len(targets) - missed}/{len(targets)} targets met", flush=True)
    strict = os.environ.get("BENCH_STRICT", "1") != "0"
    return 1 if missed and strict else 0


if __name__ == "__main__":
    sys.exit(main())
