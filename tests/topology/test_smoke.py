"""Smoke test of the production topology: gunicorn (2 workers) + Celery worker + beat, started from
deploy/, on PostgreSQL, a private Redis and an SMTP sink; a user's journey over real HTTP."""

import time

import pytest

from .conftest import Browser, marker, register_occurrence

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(240)]


def test_user_journey_over_http_delivers_the_email(topology):
    topology.start_redis()
    topology.sink.start()
    topology.start_web()
    topology.start_worker()
    topology.start_beat()

    health = Browser(topology.base).get("/health/")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "redis": "ok"}

    browser = Browser(topology.base)
    assert browser.get("/my-requests/", allow_redirects=False).status_code == 302  # to the login page
    browser.login()
    page = browser.get("/my-requests/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    ticket_id = topology.ticket_id()
    assert f"/my-requests/{ticket_id}/occurrences/new/" in page.text

    form = browser.get(f"/my-requests/{ticket_id}/occurrences/new/")
    assert form.status_code == 200
    tag = marker("smoke")
    category, origin = topology.form_ids()
    r = register_occurrence(browser, ticket_id, category, origin, f"{tag} Is there any news?")
    assert r.status_code == 302, r.text[:1000]
    assert topology.occurrences(tag) == 1

    t0 = time.monotonic()
    msg = topology.sink.wait_for(lambda m: tag in str(m), timeout=60)
    assert msg is not None, f"no e-mail arrived; outbox {topology.outbox(tag)}\n{topology.logs()}"
    assert msg["To"] == "bench_attendant@bench.local"
    assert f"Ticket {ticket_id}" in msg["Subject"]
    time.sleep(1)
    assert len(topology.delivered(tag)) == 1
    assert topology.outbox(tag) == {"sent": 1}
    # One JSON line per request in the web log.
    assert '"logger": "smartportal.request"' in topology.procs[0].log_text()
    print(f"e-mail delivered {time.monotonic() - t0:.1f} s after the POST")
