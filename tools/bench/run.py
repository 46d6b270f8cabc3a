"""``make bench``: the portal under load against the bare-Django limit (PostgreSQL, gunicorn, wrk).

    BENCH_SIZE=full  DATABASE_URL=postgres://…/sp_bench_full  python -m tools.bench.run   # 1,000,000 tickets
    BENCH_SIZE=small DATABASE_URL=postgres://…/sp_topo_bench  python -m tools.bench.run   # CI

1. ``deploy/migrate.sh`` (migrations, collectstatic) and ``manage.py seed_bench`` with the size's
   numbers (idempotent: a seeded database is reused);
2. the portal (``tools.bench.settings``: production settings over plain HTTP) and a bare Django view doing
   one primary-key query (``tools.bench.bare_urls``), both served by ``deploy/web.sh`` — gunicorn with
   ``deploy/gunicorn.conf.py``, 2 sync workers, DEBUG off — and a private redis-server (the
   portal's cache and broker: the POST publishes its e-mail task, no worker consumes it);
3. Debian's ``wrk`` with 4 connections for a fixed time per URL, in rounds (3 by default,
   ``BENCH_ROUNDS``): each round loads the bare view and every URL once, interleaved, and the table
   keeps each URL's median round (by requests/s), so a noisy moment of the machine moves every row
   alike; the SQL queries of each URL are counted separately, in-process, with Django's test client;
4. a table (requests/s, p50, p99, queries, % of bare, % of the logged-in floor) and the targets of
   the performance issue (ratios to the bare view and to the floor); exit status 1 when one is
   missed (BENCH_STRICT=0 only reports: CI runs the small size, whose ratios are not the targets').

Every page is rendered for every request (the portal keeps no rendered pages). The pages are the
table ``PAGES`` and the checks the table ``TARGETS``: a new list page adds a row to each.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

from tools.bench.procs import ROOT, deploy, deploy_env, free_port, redis_server, run_deploy, wait_http

SIZES = {
    "full": {
        "tickets": 1_000_000,
        "users": 10_000,
        "owner": 100_000,
        "small": 1_000,
        "occurrences": 50,
        "seconds": 10,
        "rounds": 3,
    },
    "small": {
        "tickets": 20_000,
        "users": 200,
        "owner": 5_000,
        "small": 1_000,
        "occurrences": 50,
        "seconds": 3,
        "rounds": 3,
    },
}
CONNECTIONS = 4
SEARCH_WORD = "printer"
CSRF = "benchbenchbenchbenchbenchbench00"  # a 32-character CSRF secret: cookie and form field
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
POST_SESSIONS = 64  # the POSTs rotate over these sessions, so no session grows with flash messages


@dataclass(frozen=True)
class Page:
    """A GET page of the bench. ``name`` and ``path`` are formatted with the data set's values:
    ``{detail}`` (the ticket with occurrences), ``{deep}`` (the middle page of the owner's list),
    ``{occurrences}``, ``{owner}`` and ``{small}`` (sizes); ``user`` is "owner", "small" or
    "approver"."""

    key: str
    name: str
    path: str
    user: str = "owner"


PAGES: tuple[Page, ...] = (
    # Not a page: the whole middleware stack (session, user, …) answering a logged-in request with
    # no template and no other query (tools/bench/urls.py). No target: the floor under every page.
    Page("floor", "logged-in floor: middleware, session, user", "/bench/floor/"),
    # The floor of any page: a logged-in page of the portal shell with no data (the middleware
    # stack, session, user, parameters, menu, base template).
    Page("shell", "logged-in shell, no data", "/accounts/password/done/"),
    Page("home", "Portal home (the catalog)", "/"),
    Page("first", "My Requests, page 1 ({owner:,} tickets)", "/my-requests/"),
    Page("deep", "My Requests, deep page {deep}", "/my-requests/?page={deep}"),
    Page("search", f"My Requests, search '{SEARCH_WORD}'", f"/my-requests/?search={SEARCH_WORD}"),
    Page("small", "My Requests, page 1 ({small:,} tickets)", "/my-requests/", user="small"),
    Page("description", "Description of a ticket", "/my-requests/{detail}/"),
    Page("occurrences", "Occurrences of a ticket ({occurrences})", "/my-requests/{detail}/occurrences/"),
    # Approvals: the tickets awaiting bench_approver's group (seed_bench), with My Requests' targets.
    Page("approvals", "Approvals, page 1", "/approvals/", user="approver"),
    Page(
        "approvals_search",
        f"Approvals, search '{SEARCH_WORD}'",
        f"/approvals/?search={SEARCH_WORD}",
        user="approver",
    ),
    Page("news", "News, page 1 (2,000 news)", "/news/"),
    Page("notifications", "My notifications, page 1 (2,000)", "/notifications/"),
)
POST = "post"  # the key of the Register occurrence POST's result
API_LIST = "api_list"  # GET /api/v1/tickets/ with a personal token (api/views.py)
API_POST = "api_post"  # the REST API's occurrence POST with a personal token


@dataclass(frozen=True)
class Target:
    """A check on the results (``r``: key -> Result, ``bare``: the bare view's Result)."""

    label: str
    value: Callable[[dict[str, Result], Result], float]
    op: str  # ">=" or "<="
    limit: float


def of_bare(key: str) -> Callable[[dict[str, Result], Result], float]:
    return lambda r, bare: r[key].rps / bare.rps


def of_floor(key: str) -> Callable[[dict[str, Result], Result], float]:
    return lambda r, bare: r[key].rps / r["floor"].rps


def _ratio_targets(keys: tuple[str, ...], label: str, bare: float, floor: float) -> tuple[Target, ...]:
    targets: list[Target] = []
    for key in keys:
        targets.append(Target(f"{label.format(key=key)} >= {bare:.0%} of bare", of_bare(key), ">=", bare))
        targets.append(Target(f"{label.format(key=key)} >= {floor:.0%} of floor", of_floor(key), ">=", floor))
    return tuple(targets)


# The table of the performance issue (§2), at full size; `make bench BENCH_SIZE=full`.
TARGETS: tuple[Target, ...] = (
    Target("logged-in floor >= 55% of bare", of_bare("floor"), ">=", 0.55),
    *_ratio_targets(("shell",), "{key}", 0.33, 0.55),
    *_ratio_targets(("first", "approvals"), "{key} page 1", 0.07, 0.12),
    *_ratio_targets(("description",), "{key}", 0.14, 0.24),
    *_ratio_targets(("occurrences", "news", "notifications", "home"), "{key}", 0.11, 0.19),
    *_ratio_targets((POST,), "Register occurrence POST", 0.18, 0.30),
    Target("search p50 <= 1.3x page 1 p50", lambda r, b: r["search"].p50 / r["first"].p50, "<=", 1.3),
    Target("deep page p50 <= 1.3x page 1 p50", lambda r, b: r["deep"].p50 / r["first"].p50, "<=", 1.3),
    Target(
        "Approvals search p50 <= 1.3x Approvals page 1 p50",
        lambda r, b: r["approvals_search"].p50 / r["approvals"].p50,
        "<=",
        1.3,
    ),
    Target(
        "page 1 p50 at {owner:,} tickets <= 1.2x at {small:,}",
        lambda r, b: r["first"].p50 / r["small"].p50,
        "<=",
        1.2,
    ),
    Target("SQL queries per page <= 6", lambda r, b: max(x.queries or 0 for x in r.values()), "<=", 6),
    Target("the shell's SQL queries on a cache hit <= 2", lambda r, b: r["shell"].queries or 0, "<=", 2),
    Target(
        "SQL queries of page 1 independent of data size (difference)",
        lambda r, b: abs((r["first"].queries or 0) - (r["small"].queries or 0)),
        "<=",
        0,
    ),
    Target("no error responses", lambda r, b: sum(x.errors for x in [b, *r.values()]), "<=", 0),
)


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


def _group(pattern: str, text: str) -> str:
    m = re.search(pattern, text)
    if m is None:
        raise ValueError(f"wrk printed no {pattern!r}:\n{text}")
    return m.group(1)


def wrk(
    name: str,
    base: str,
    path: str,
    seconds: int,
    *,
    cookie: str = "",
    headers: tuple[str, ...] = (),
    lua: Path | None = None,
    env: dict | None = None,
) -> Result:
    args = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    for header in headers:
        args += ["-H", header]
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
    rps = float(_group(r"Requests/sec:\s+([\d.]+)", out))
    total = int(_group(r"(\d+) requests in", out))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sock:
        errors += sum(int(x) for x in sock.groups())
    return Result(name, path, rps, to_ms(lat["50"]), to_ms(lat["99"]), errors, total)


def main() -> int:
    size_name = os.environ.get("BENCH_SIZE", "full")
    size = SIZES[size_name]
    seconds = int(os.environ.get("BENCH_SECONDS", size["seconds"]))
    rounds = int(os.environ.get("BENCH_ROUNDS", size["rounds"]))
    db_url = os.environ.get("DATABASE_URL", "")
    if not db_url.startswith("postgres"):
        print("make bench needs DATABASE_URL=postgres://… (a throw-away database)", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("make bench needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    ensure_database(db_url)
    tmp = Path(tempfile.mkdtemp(prefix="sp-bench-"))
    redis_port, web_port, bare_port = free_port(), free_port(), free_port()
    secret = secrets.token_urlsafe(50)
    env = deploy_env(
        DJANGO_SETTINGS_MODULE="tools.bench.settings",
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
        f"== bench size {size_name}: {size}; {rounds} rounds of {seconds} s per URL,"
        f" {CONNECTIONS} connections; logs in {tmp}",
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
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{bare_port}",
                "WSGI_APP": "tools.bench.bare_wsgi:application",
            },
            tmp / "bare.log",
        )
        procs.append(bare)
        wait_http(f"http://127.0.0.1:{web_port}/health/", web)
        wait_http(f"http://127.0.0.1:{bare_port}/bare/1/", bare)
        return measure(size, seconds, rounds, f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{bare_port}")
    finally:
        for p in reversed(procs):
            p.stop()


def _median(results: list[Result]) -> Result:
    """The median round by requests/s (its p50 and p99 come with it); errors of every round."""
    ranked = sorted(results, key=lambda r: r.rps)
    mid = ranked[len(ranked) // 2]
    return Result(
        mid.name,
        mid.path,
        mid.rps,
        mid.p50,
        mid.p99,
        sum(r.errors for r in results),
        mid.requests,
        mid.queries,
    )


def measure(size: dict, seconds: int, rounds: int, web: str, bare: str) -> int:
    import django

    os.environ["LOG_LEVEL"] = "WARNING"  # this process only measures; the servers log every request
    sys.path.insert(0, str(ROOT))
    django.setup()
    import requests
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from tickets.models import Category, Origin, Ticket
    from tools.bench.management.commands.seed_bench import (
        APPROVER,
        DETAIL_TITLE,
        OWNER,
        PASSWORD,
        REGISTER_TITLE,
        SMALL,
    )

    users = {
        key: User.objects.get(username=name)
        for key, name in (("owner", OWNER), ("small", SMALL), ("approver", APPROVER))
    }
    detail = Ticket.objects.get(requester=users["owner"], title=DETAIL_TITLE)
    register = Ticket.objects.get(requester=users["owner"], title=REGISTER_TITLE)
    pages = (Ticket.objects.filter(requester=users["owner"]).count() + 19) // 20
    values = {
        "detail": detail.pk,
        "deep": pages // 2,
        "occurrences": size["occurrences"],
        "owner": size["owner"],
        "small": size["small"],
    }
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

    cookies = {key: login(user.username) for key, user in users.items()}
    post_cookies = []
    for _ in range(POST_SESSIONS):
        c = Client()
        c.force_login(users["owner"])
        post_cookies.append(f"sessionid={c.cookies['sessionid'].value}; csrftoken={CSRF}")

    bare_path = f"/bare/{ContentType.objects.order_by('pk').values_list('pk', flat=True).first()}/"
    post_path = f"/my-requests/{register.pk}/occurrences/new/"
    # BENCH_ONLY=first,small,post measures some rows only (the targets on the others are skipped).
    only = {k for k in os.environ.get("BENCH_ONLY", "").split(",") if k}
    gets = [(p, p.name.format(**values), p.path.format(**values)) for p in PAGES if not only or p.key in only]

    # Queries per request, counted in-process (same settings, same database).
    def count(user: User, method: str, path: str) -> int:
        client = Client()
        client.force_login(user)

        def call():
            return client.post(path, data=form) if method == "POST" else client.get(path)

        call()  # warm: parameters, caches
        with CaptureQueriesContext(connection) as ctx:
            r = call()
        assert r.status_code in (200, 302), (path, r.status_code)
        # Statements: BEGIN, COMMIT and savepoints are the transaction's bracket, not queries.
        return sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in ctx.captured_queries)

    # Warm every gunicorn worker on every URL.
    for _ in range(8):
        requests.get(bare + bare_path, timeout=30)
        for page, _name, path in gets:
            requests.get(web + path, headers={"Cookie": cookies[page.user]}, timeout=30)

    post_body = {"BENCH_COOKIES": "|".join(post_cookies), "BENCH_BODY": urlencode(form)}
    runs: dict[str, list[Result]] = {}
    for _round in range(rounds):  # interleaved: every URL once per round
        runs.setdefault("bare", []).append(wrk("bare Django view (1 query by pk)", bare, bare_path, seconds))
        for page, name, path in gets:
            runs.setdefault(page.key, []).append(wrk(name, web, path, seconds, cookie=cookies[page.user]))
        if not only or POST in only:
            lua = ROOT / "tools" / "bench" / "post.lua"
            runs.setdefault(POST, []).append(
                wrk("Register occurrence (POST, notify)", web, post_path, seconds, lua=lua, env=post_body)
            )
    base = _median(runs.pop("bare"))
    base.queries = 1
    results = {key: _median(found) for key, found in runs.items()}
    for page, _name, path in gets:
        results[page.key].queries = count(users[page.user], "GET", path)
    if POST in results:
        results[POST].queries = count(users["owner"], "POST", post_path)
    measure_api(results, only, web=web, seconds=seconds, owner=users["owner"], register=register, form=form)

    return report(results, base, rounds, values)


def report(results: dict[str, Result], base: Result, rounds: int, values: dict) -> int:
    """The table and the targets; 1 when a target is missed and BENCH_STRICT is not 0."""
    print()
    floor = results.get("floor", base)
    print(f"medians of {rounds} rounds")
    header = (
        f"{'URL':60} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'SQL/req':>7} {'of bare':>8} {'of floor':>8}"
    )
    print(f"{header} {'errors':>6}")
    for r in [base, *results.values()]:
        print(
            f"{r.name:60} {r.rps:8.1f} {r.p50:8.2f} {r.p99:8.2f} {r.queries!s:>7} {r.rps / base.rps:8.1%} "
            f"{r.rps / floor.rps:8.1%} {r.errors:6d}"
        )
    print()
    missed = 0
    skipped = 0
    for t in TARGETS:
        try:
            value = t.value(results, base)
        except KeyError:  # a row left out by BENCH_ONLY
            skipped += 1
            continue
        ok = value >= t.limit if t.op == ">=" else value <= t.limit
        missed += not ok
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        label = t.label.format(**values)
        print(f"{'met   ' if ok else 'MISSED'} {label:66} {shown:>8} (target {t.op} {t.limit})")
    checked = len(TARGETS) - skipped
    print(f"\nbench: {checked - missed}/{checked} targets met", flush=True)
    strict = os.environ.get("BENCH_STRICT", "1") != "0"
    return 1 if missed and strict else 0


def measure_api(results: dict, only: set, *, web: str, seconds: int, owner, register, form: dict) -> None:
    """The REST API rows: the owner's tickets (page 1, keyset) and the occurrence POST, each with a
    personal token (``Authorization: Bearer``), as a script or app calls them; one round, after the
    pages' rounds (no target of their own but the SQL count)."""
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from api.services import api_token_create

    token = api_token_create(user=owner, name="bench", days=1)[1]
    auth = f"Authorization: Bearer {token}"
    body = json.dumps({k: form[k] for k in ("category", "origin", "text")} | {"notify_responsible": True})
    post_path = f"/api/v1/tickets/{register.pk}/occurrences/"

    def count(method: str, path: str) -> int:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        def call():
            if method == "POST":
                return client.post(path, data=body, content_type="application/json")
            return client.get(path)

        call()  # warm: the token's "last used", parameters
        with CaptureQueriesContext(connection) as ctx:
            r = call()
        assert r.status_code in (200, 201), (path, r.status_code)
        return sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in ctx.captured_queries)

    if not only or API_LIST in only:
        res = wrk("API GET /api/v1/tickets/ (token)", web, "/api/v1/tickets/", seconds, headers=(auth,))
        res.queries = count("GET", "/api/v1/tickets/")
        results[API_LIST] = res
    if not only or API_POST in only:
        res = wrk(
            "API occurrence POST (token, notify)",
            web,
            post_path,
            seconds,
            lua=ROOT / "tools" / "bench" / "post_api.lua",
            env={"BENCH_TOKEN": token, "BENCH_BODY": body},
        )
        res.queries = count("POST", post_path)
        results[API_POST] = res


if __name__ == "__main__":
    sys.exit(main())
