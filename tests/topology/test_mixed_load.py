"""A mixed load on the production topology: 8 concurrent users browsing My Requests, filtering and
registering occurrences with Notify Responsible for TOPO_LOAD_SECONDS (60; CI runs 20). No 5xx, and
occurrences and e-mails in the database (and at the SMTP sink) match the POSTs that succeeded."""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter

import pytest

from .conftest import Browser, marker, register_occurrence
from .test_faults import assert_exactly_once

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(420)]

USERS = 8
SECONDS = float(os.environ.get("TOPO_LOAD_SECONDS", "60"))


def test_mixed_load_no_errors_and_counts_match(topology):
    topology.start_redis()
    topology.sink.start()
    topology.start_web()
    topology.start_worker()
    topology.start_beat()
    ticket_id = topology.ticket_id()
    category, origin = topology.form_ids()
    tag = marker("load")
    browsers = []
    for _ in range(USERS):
        b = Browser(topology.base)
        b.login()
        browsers.append(b)

    results: Counter = Counter()
    errors: list[str] = []
    posted = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def user(n: int, browser: Browser):
        rng = random.Random(n)
        i = 0
        while time.monotonic() < deadline:
            i += 1
            roll = rng.random()
            try:
                if roll < 0.45:
                    kind, r = "browse", browser.get(f"/my-requests/?page={rng.randint(1, 6)}")
                elif roll < 0.75:
                    query = rng.choice(
                        ["search=printer", "situation=in_progress", "search=vpn&sort=priority"]
                    )
                    kind, r = "filter", browser.get(f"/my-requests/?{query}")
                else:
                    kind = "register"
                    r = register_occurrence(browser, ticket_id, category, origin, f"{tag} user {n} #{i}")
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                results[(kind, r.status_code)] += 1
                if kind == "register" and r.status_code == 302:
                    posted[0] += 1

    threads = [threading.Thread(target=user, args=(n, b)) for n, b in enumerate(browsers)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 60)
    elapsed = time.monotonic() - t0

    total = sum(results.values())
    server_errors = {k: v for k, v in results.items() if k[1] >= 500}
    assert not errors, errors[:5]
    assert not server_errors, f"{server_errors}\n{topology.logs()}"
    assert all(status in (200, 302) for _, status in results), results
    n = posted[0]
    assert n > 0
    assert topology.occurrences(tag) == n
    assert_exactly_once(topology, tag, n, timeout=120)
    assert sum(topology.outbox(tag).values()) == n
    print(
        f"mixed load {elapsed:.0f} s, {USERS} users: {total} requests ({total / elapsed:.1f}/s), "
        f"{dict(results)}; {n} occurrences = {n} rows = {n} e-mails delivered once; 0 5xx"
    )
