#!/usr/bin/env python
"""Benchmark of My Requests on the configured database (meant for PostgreSQL).

Bulk-creates N tickets (default 100000) for one requester (plus, by default, as many for other users
so the requester indexes have to do their job), then requests My Requests through the full Django
stack (middleware, templates) and prints, per scenario, the number of SQL queries and the timings.

    createdb -h 127.0.0.1 -U postgres sp_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_bench .venv/bin/python scripts/bench_my_requests.py

Idempotent: the data set is created once and topped up to N on later runs. ``--explain`` prints the
PostgreSQL plan of each scenario's page query.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartportal.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from catalog.models import (  # noqa: E402
    Activity,
    AttendanceTime,
    Calendar,
    Contract,
    Portfolio,
    Service,
    TimeOfAttendance,
)
from parameters.services import parameter_set  # noqa: E402
from tickets.models import Situation, Task, Ticket  # noqa: E402

REQUESTER = "bench_requester"
OTHER = "bench_other_{}"
WORDS = (
    "printer",
    "laptop",
    "password",
    "e-mail",
    "VPN",
    "monitor",
    "access",
    "badge",
    "license",
    "phone",
    "network",
    "folder",
    "backup",
    "install",
    "keyboard",
    "invoice",
    "report",
    "server",
    "wifi",
    "mouse",
)
SITUATIONS = (
    [Situation.IN_PROGRESS] * 4
    + [Situation.CLOSED] * 4
    + [Situation.REGISTERED, Situation.SUSPENDED, Situation.RESOLVED, Situation.CANCELED, Situation.REOPENED]
)
TASKS = [Task.CAPTURE, Task.EXECUTION, Task.APPROVAL, Task.VALIDATION, Task.NONE]


def catalog():
    calendar, _ = Calendar.objects.get_or_create(name="Bench calendar")
    toa, created = TimeOfAttendance.objects.get_or_create(name="Bench SLA")
    if created:
        AttendanceTime.objects.bulk_create(
            [
                AttendanceTime(
                    time_of_attendance=toa, priority=p, capture_minutes=60, resolution_minutes=h * 60
                )
                for p, h in {1: 4, 2: 8, 3: 16, 4: 24, 5: 40}.items()
            ]
        )
    contract, _ = Contract.objects.get_or_create(
        number="BENCH-1", defaults={"name": "Bench contract", "calendar": calendar, "time_of_attendance": toa}
    )
    groups = [Group.objects.get_or_create(name=f"Bench group {i}")[0] for i in range(5)]
    portfolio, _ = Portfolio.objects.get_or_create(name="Bench portfolio")
    activities = []
    for s in range(10):
        service, _ = Service.objects.get_or_create(portfolio=portfolio, name=f"Bench service {WORDS[s]}")
        for a in range(3):
            act, _ = Activity.objects.get_or_create(
                service=service,
                name=f"Bench {WORDS[(s + a + 7) % len(WORDS)]} activity {a}",
                defaults={
                    "executor_group": groups[(s + a) % len(groups)],
                    "type": Activity.Type.INCIDENT if a == 2 else Activity.Type.REQUEST,
                },
            )
            activities.append(act)
    return contract, groups, activities


def top_up(
    user, n: int, contract, groups, activities, attendant, rng: random.Random, batch: int = 5000
) -> int:
    have = Ticket.objects.filter(requester=user).count()
    missing = n - have
    now = timezone.now()
    made = 0
    while made < missing:
        objs = []
        for _ in range(min(batch, missing - made)):
            act = rng.choice(activities)
            created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            situation = rng.choice(SITUATIONS)
            priority = rng.randint(1, 5)
            sla = {1: 4, 2: 8, 3: 16, 4: 24, 5: 40}[priority] * 60
            limit = created + timedelta(minutes=sla * 2)
            w1, w2 = rng.sample(WORDS, 2)
            objs.append(
                Ticket(
                    requester=user,
                    contract=contract,
                    service_id=act.service_id,
                    activity=act,
                    type=act.type,
                    title=f"{w1.capitalize()} {w2} problem",
                    priority=priority,
                    description=f"The {w1} does not work with the {w2}. " * rng.randint(1, 6),
                    situation=situation,
                    current_task=rng.choice(TASKS),
                    current_group=rng.choice(groups),
                    responsible=attendant if rng.random() < 0.6 else None,
                    created_at=created,
                    sla_minutes=sla,
                    time_limit=limit,
                    sla_warning_at=limit - timedelta(minutes=sla * 0.4),
                    closed_at=created + timedelta(hours=3) if situation == Situation.CLOSED else None,
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(objs, batch_size=1000)
        made += len(objs)
        print(f"  {user.username}: {have + made}/{n}", flush=True)
    return made


def measure(client: Client, url: str, repeat: int):
    client.get(url)  # warm: parameter cache, template cache, connection
    times, sql_times, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
        queries = len(ctx.captured_queries)
        sql_times.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    return queries, statistics.median(times), max(times), statistics.median(sql_times), ctx.captured_queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--tickets", type=int, default=100_000, help="tickets of the requester")
    ap.add_argument(
        "--others", type=int, default=None, help="tickets of other users (default: as many as --tickets)"
    )
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each page query")
    args = ap.parse_args()
    others = args.tickets if args.others is None else args.others

    # The test client's host. (No setup_test_environment(): its template instrumentation copies the
    # context on every render and would inflate the timings.)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    rng = random.Random(42)
    contract, groups, activities = catalog()
    attendant, _ = User.objects.get_or_create(
        username="bench_attendant", defaults={"first_name": "Bench", "is_staff": True}
    )
    user, _ = User.objects.get_or_create(username=REQUESTER, defaults={"first_name": "Bench"})
    t0 = time.perf_counter()
    created = top_up(user, args.tickets, contract, groups, activities, attendant, rng)
    per_other = max(others // 10, 1) if others else 0
    for i in range(10 if others else 0):
        other, _ = User.objects.get_or_create(username=OTHER.format(i))
        created += top_up(other, per_other, contract, groups, activities, attendant, rng)
    if created and connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load: statistics and the visibility map (so the
        # count can be an index-only scan).
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE tickets_ticket")
    print(
        f"created {created} tickets in {time.perf_counter() - t0:.1f}s; "
        f"table has {Ticket.objects.count()}, requester has {Ticket.objects.filter(requester=user).count()}"
    )

    for number in (252, 298, 301):  # every column and the actions that exist
        parameter_set(p=number, value=True)
    cache.clear()

    client = Client()
    client.force_login(user)
    total = Ticket.objects.filter(requester=user).count()
    deep = max(total // 20 // 2, 1)
    last = max((total + 19) // 20, 1)
    some_pk = Ticket.objects.filter(requester=user).order_by("pk").values_list("pk", flat=True)[total // 3]
    scenarios = [
        ("first page (default sort, 20 rows)", "/my-requests/"),
        (f"deep page {deep} (20 rows)", f"/my-requests/?page={deep}"),
        (f"last page {last}", f"/my-requests/?page={last}"),
        ("first page, 100 rows", "/my-requests/?per_page=100"),
        ("situation In Progress", "/my-requests/?situation=in_progress"),
        ("search 'printer' (title/description/service/activity)", "/my-requests/?search=printer"),
        (
            "search 'printer' + In Progress, deep page 50",
            "/my-requests/?search=printer&situation=in_progress&page=50",
        ),
        ("search by ticket number", f"/my-requests/?search={some_pk}"),
        ("search with no match", "/my-requests/?search=zzzz-no-match"),
        ("sort by service asc", "/my-requests/?sort=service&order=asc"),
        ("sort by SLA status desc", "/my-requests/?sort=sla_status"),
        ("sort by time limit asc", "/my-requests/?sort=time_limit&order=asc"),
        ("sort by priority asc, deep page", f"/my-requests/?sort=priority&order=asc&page={deep}"),
    ]
    print(f"\n{'scenario':58} {'queries':>7} {'median ms':>10} {'max ms':>8} {'SQL ms':>8}")
    for name, url in scenarios:
        q, med, mx, sql, captured = measure(client, url, args.repeat)
        print(f"{name:58} {q:7d} {med:10.1f} {mx:8.1f} {sql:8.1f}", flush=True)
        if args.explain and connection.vendor == "postgresql":
            page_sql = [x["sql"] for x in captured if x["sql"].startswith('SELECT "tickets_ticket"."id"')]
            count_sql = [x["sql"] for x in captured if x["sql"].startswith("SELECT COUNT(*)")]
            for sql in count_sql[:1] + page_sql[:1]:
                with connection.cursor() as c:
                    c.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
                    print("    " + "\n    ".join(row[0] for row in c.fetchall()))


if __name__ == "__main__":
    main()
