"""Capacity on the production topology (issue 22 §3): Locust (tests/topology/locustfile.py) against
gunicorn (deploy/web.sh), a Celery worker, beat, PostgreSQL, Redis and an SMTP sink, all on loopback.

``LOAD_USERS`` logged-in users follow a realistic mix with think time while ``LOAD_RATE`` requests
per minute are opened, for ``LOAD_SECONDS``; then: no failed request, p95 under ``LOAD_P95_MS``
(500) for every page kind, and every e-mail (one per occurrence registered with Notify
Responsible) delivered exactly once: as many messages at the SMTP sink as OutboundEmail rows, all
sent, one per occurrence, Message-IDs unique and equal to the rows'.

CI runs LOAD_USERS=50, LOAD_RATE=100, LOAD_SECONDS=60; ``make loadtest`` runs the full size
(500 users, 1,000 requests per minute, 600 s: five times CITSmart's published limits). The
figures are printed (pytest -s) and written to ``LOAD_REPORT`` (JSON) when set.

The users (``bench_u…`` of seed_bench, run again on the topology tests' database for ~40 tickets
each; one in ten made an approver) get
sessions made server-side, as the chat load test does: 500 password logins would only measure the
password hasher.
"""

from __future__ import annotations

import csv
import json
import math
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.bench.procs import deploy_env, wait_for

from .conftest import Topology, psql

USERS = int(os.environ.get("LOAD_USERS", "50"))
RATE = float(os.environ.get("LOAD_RATE", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
P95_MS = float(os.environ.get("LOAD_P95_MS", "500"))
THINK = os.environ.get("LOAD_THINK", "5,15")
OPENERS = int(os.environ.get("LOAD_OPENERS", str(max(2, USERS // 25))))
WEB_WORKERS = os.environ.get("LOAD_WEB_WORKERS", "3")
WARMUP = int(os.environ.get("LOAD_WARMUP_SECONDS", "20"))
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(SECONDS + 1200)]

SETUP = r"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth.models import Group
from accounts.models import User
from datetime import time as clock
from catalog.models import Activity, Contract, WorkingPeriod
from parameters.services import parameter_set
from tickets.models import Situation, Ticket

store = import_module(settings.SESSION_ENGINE).SessionStore

def session(user):
    s = store()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s.create()
    return s.session_key

n, openers = %(users)d, %(openers)d
accounts = list(User.objects.filter(username__startswith="bench_u").order_by("username")[: n + openers])
assert len(accounts) == n + openers, len(accounts)
approvers = Group.objects.get(name="Bench group 0")
users = []
for i, u in enumerate(accounts[:n]):
    mine = Ticket.objects.filter(requester=u)
    tickets = list(mine.order_by("-id").values_list("id", flat=True)[:20])
    register = list(
        mine.filter(situation=Situation.IN_PROGRESS, responsible__isnull=False)
        .values_list("id", flat=True)[:10]
    )
    approver = i %% 10 == 0
    if approver:
        u.groups.add(approvers)
    users.append({"username": u.username, "session": session(u), "tickets": tickets or [0],
                  "register": register, "approver": approver})
activity = Activity.objects.filter(approver_group__isnull=True).order_by("id").first()
contract = Contract.objects.get(number="BENCH-1")
parameter_set(p=118, value=contract.pk)  # the request form's contract
if not contract.calendar.periods.exists():  # seed_bench's calendar has none: the SLA needs hours
    WorkingPeriod.objects.bulk_create(
        [WorkingPeriod(calendar=contract.calendar, weekday=d, start=clock(0), end=clock(23, 59))
         for d in range(7)]
    )
print("SETUP" + json.dumps({
    "users": users,
    "openers": [{"username": u.username, "session": session(u)} for u in accounts[n:]],
    "activity": activity.pk,
}))
"""


@pytest.fixture(scope="module")
def load_db(topo_db):
    """The topology tests' database (migrated, static collected, seeded small), grown for
    LOAD_USERS: seed_bench again with the accounts needed and ~40 tickets each (it only adds)."""
    env = deploy_env(
        DJANGO_SETTINGS_MODULE="tools.bench.settings",
        SECRET_KEY="load-" + secrets.token_hex(24),
        DATABASE_URL=topo_db["url"],
        STATIC_ROOT=str(topo_db["static"]),
        LOG_LEVEL="WARNING",
    )
    accounts = USERS + OPENERS
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "seed_bench",
            f"--tickets={400 + 40 * accounts}",
            f"--users={accounts}",
            # As tests/topology/conftest.py seeded them: nothing more for these.
            "--owner-tickets=120",
            "--small-tickets=20",
            "--occurrences=5",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return topo_db


def _setup(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP % {"users": USERS, "openers": OPENERS}],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(next(x for x in out.stdout.splitlines() if x.startswith("SETUP"))[5:])


def _stats(prefix: Path) -> dict[str, dict]:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = row
    return rows


def _failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return [f"{r['Method']} {r['Name']}: {r['Error']} (x{r['Occurrences']})" for r in csv.DictReader(f)]


def test_capacity_mix_p95_and_every_email_once(load_db, tmp_path):
    topo = Topology(load_db, tmp_path)
    try:
        _run(topo, tmp_path)
    finally:
        topo.stop()


def _run(topo: Topology, tmp: Path) -> None:
    topo.env.update(WEB_CONCURRENCY=WEB_WORKERS, LOG_LEVEL="WARNING", CELERY_CONCURRENCY="2")
    topo.start_redis()
    topo.sink.start()
    data = _setup(topo.env)
    data["category"], data["origin"] = topo.form_ids()  # by table: the models' app may move
    (tmp / "load.json").write_text(json.dumps(data))
    topo.start_web()
    topo.start_worker()
    topo.start_beat()
    # Warm-up: every gunicorn worker's first requests of each page kind (imports, compiled templates,
    # connections) are not what a user meets at steady state, and at CI's size they would be the p95
    # of the rarer kinds. A short run of ten users with little think time is discarded; its e-mails
    # are all sent before the measured run starts.
    _locust(topo, tmp, tmp / "warm", WARMUP, f"[warm-{secrets.token_hex(4)}]", think="0.2,0.5", users=10)
    unsent = "SELECT 1 FROM notifications_outboundemail WHERE status <> 'sent' LIMIT 1"
    wait_for(lambda: not psql(topo.db_url, unsent), timeout=120, interval=1, what="warm-up e-mails sent")
    time.sleep(2)
    base = topo.sink.count()  # the measured run's messages come after these
    t0 = psql(topo.db_url, "SELECT now()")[0][0]
    tag = f"[load-{secrets.token_hex(4)}]"
    prefix = tmp / "locust"
    elapsed = _locust(topo, tmp, prefix, SECONDS, tag, think=THINK)
    stats = _stats(prefix)
    failures = _failures(prefix)
    agg = stats.pop("Aggregated")

    # E-mails: every occurrence's row sent, one message each at the sink, Message-IDs unique.
    def tagged() -> int:
        # Counted again once settled: a request still queued when Locust stopped (cut on the
        # client side) may yet be saved.
        return psql(
            topo.db_url, "SELECT count(*) FROM occurrences_occurrence WHERE text LIKE %s", (tag + "%",)
        )[0][0]

    occurrences = tagged()

    def outbox() -> dict[str, int]:
        return dict(
            psql(
                topo.db_url,
                "SELECT status, count(*) FROM notifications_outboundemail "
                "WHERE created_at >= %s GROUP BY status",
                (t0,),
            )
        )

    def settled() -> bool:
        rows = outbox()
        return (
            set(rows) <= {"sent"}
            and rows.get("sent", 0) >= occurrences
            and topo.sink.count() - base >= rows["sent"]
        )

    wait_for(
        settled,
        timeout=300,
        interval=1,
        what=lambda: f"{occurrences} e-mails sent (outbox {outbox()}, sink {topo.sink.count() - base})",
    )
    time.sleep(3)  # a duplicate would arrive now
    occurrences = tagged()
    ids = topo.sink.message_ids()[base:]
    db_ids = {
        r[0]
        for r in psql(
            topo.db_url, "SELECT message_id FROM notifications_outboundemail WHERE created_at >= %s", (t0,)
        )
    }
    for_occurrences = psql(
        topo.db_url,
        "SELECT count(*) FROM notifications_outboundemail WHERE created_at >= %s AND idempotency_key LIKE %s",
        (t0, "occurrence:%"),
    )[0][0]
    registered = int(stats.get("register-occurrence", {}).get("Request Count", 0))
    opened = int(stats.get("open-request", {}).get("Request Count", 0))
    report = {
        "users": USERS,
        "openers": OPENERS,
        "rate_per_min_asked": RATE,
        "seconds": SECONDS,
        "think": THINK,
        "warmup_s": WARMUP,
        "web_workers": WEB_WORKERS,
        "requests": int(agg["Request Count"]),
        "failures": int(agg["Failure Count"]),
        "requests_per_s": round(int(agg["Request Count"]) / SECONDS, 1),
        "opened_per_min": round(opened / SECONDS * 60, 1),
        "occurrences": occurrences,
        "emails": {
            "rows": sum(outbox().values()),
            "rows_of_occurrences": for_occurrences,
            "sink": len(ids),
            "unique_ids": len(set(ids)),
        },
        "pages": {
            name: {
                "n": int(r["Request Count"]),
                "fail": int(r["Failure Count"]),
                "p50": float(r["50%"]),
                "p95": float(r["95%"]),
                "max": float(r["Max Response Time"]),
            }
            for name, r in sorted(stats.items())
        },
        "wall_s": round(elapsed, 1),
    }
    print("\ncapacity: " + json.dumps(report, indent=1))
    if os.environ.get("LOAD_REPORT"):
        Path(os.environ["LOAD_REPORT"]).write_text(json.dumps(report, indent=1))

    assert not failures, failures[:10]
    assert report["failures"] == 0
    slow = {n: p["p95"] for n, p in report["pages"].items() if p["p95"] >= P95_MS}
    assert not slow, f"p95 ≥ {P95_MS:.0f} ms: {slow}"
    assert registered > 0
    assert opened > 0
    assert registered <= occurrences, (occurrences, registered)  # more: requests cut at the stop
    assert for_occurrences == occurrences, report["emails"]
    assert len(ids) == sum(outbox().values()) == outbox().get("sent"), report["emails"]
    assert len(set(ids)) == len(ids), "a message delivered twice"
    assert set(ids) == db_ids, "the sink's Message-IDs are not the outbox rows'"


def _locust(
    topo: Topology, tmp: Path, prefix: Path, seconds: int, tag: str, *, think: str, users: int = USERS
) -> float:
    """One headless Locust run of the mix against the topology; its wall time in seconds."""
    total = users + OPENERS
    cmd = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--users",
        str(total),
        "--spawn-rate",
        str(max(1, math.ceil(total / 10))),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "15",
        "--host",
        topo.base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "LOAD_DATA": str(tmp / "load.json"),
        "LOAD_THINK": think,
        "LOAD_OPENERS": str(OPENERS),
        "LOAD_RATE": str(RATE),
        "LOAD_TAG": tag,
    }
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 300)
    assert done.returncode == 0, done.stderr[-3000:]
    return time.monotonic() - started
