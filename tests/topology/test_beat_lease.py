"""smartportal.beat.LeaderScheduler on a private redis-server: of two beats one leads and the other
stands by; the leader gives the lease back when it closes and the standby takes over; a lease
whose holder died expires. (tests/topology/test_scale_out.py runs the same with real beat processes.)
"""

from __future__ import annotations

import shutil
import time

import pytest
from celery import Celery

from smartportal import beat
from tests.conftest import require
from tools.bench.procs import free_port, redis_server

pytestmark = [pytest.mark.integration]


@pytest.fixture
def broker(tmp_path):
    require(shutil.which("redis-server") is not None, "this test needs redis-server on PATH")
    port = free_port()
    proc = redis_server(port, tmp_path, tmp_path / "redis.log")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.stop()


def _scheduler(url: str, path) -> beat.LeaderScheduler:
    app = Celery("lease-test", broker=url)
    app.conf.beat_schedule = {}
    return beat.LeaderScheduler(app=app, schedule_filename=str(path))


def _check(s: beat.LeaderScheduler) -> bool:
    s._checked = 0.0  # check now, not RENEW_EVERY seconds after the last check
    return s._lead()


def test_one_beat_leads_the_other_stands_by_and_takes_over(broker, tmp_path):
    first, second = _scheduler(broker, tmp_path / "a"), _scheduler(broker, tmp_path / "b")
    assert _check(first) is True
    assert _check(second) is False
    assert second.tick() == beat.RENEW_EVERY  # standing by: nothing sent, checks again later
    assert _check(first) is True  # renewed
    first.close()
    assert _check(second) is True
    second.close()


def test_a_dead_leaders_lease_expires(broker, tmp_path, monkeypatch):
    monkeypatch.setattr(beat, "LEASE_SECONDS", 1)
    first, second = _scheduler(broker, tmp_path / "a"), _scheduler(broker, tmp_path / "b")
    assert _check(first) is True
    first._redis = None  # killed: never renews, never releases
    assert _check(second) is False
    time.sleep(1.5)
    assert _check(second) is True
    second.close()


def test_redis_unreachable_means_no_leader(tmp_path):
    s = _scheduler(f"redis://127.0.0.1:{free_port()}/0", tmp_path / "a")
    assert _check(s) is False
