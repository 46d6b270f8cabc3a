"""Substitutes across processes: an absence that begins later is noticed by beat, its copies of the
pending approval requests are written and sent by the worker to the SMTP server on loopback, once,
and the substitute then decides the ticket over HTTP (approvals.services.absence_copies_due)."""

import time

import pytest

from .conftest import Browser, marker, psql

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(240)]

APPROVER = "bench_approver"
SUBSTITUTE = "bench_small"


def test_beat_sends_the_substitute_the_pending_requests_once_the_absence_begins(topology):
    topology.start_redis()
    topology.sink.start()
    topology.start_web()
    topology.start_worker()
    topology.start_beat()
    db = topology.db_url
    tag = marker("absence")
    ((approver, group),) = psql(
        db,
        "SELECT u.id, m.group_id FROM accounts_user u JOIN accounts_user_groups m ON m.user_id = u.id "
        "WHERE u.username = %s ORDER BY m.group_id LIMIT 1",
        (APPROVER,),
    )
    ((substitute,),) = psql(db, "SELECT id FROM accounts_user WHERE username = %s", (SUBSTITUTE,))
    # A ticket that entered approval in bulk (no Approval row), awaiting the approver's group.
    ((ticket,),) = psql(
        db,
        "UPDATE tickets_ticket SET situation = 'registered', current_task = 'approval', "
        "current_group_id = %s, title = %s WHERE id = (SELECT min(id) FROM tickets_ticket "
        "WHERE title NOT LIKE 'Bench %%' AND situation = 'in_progress') RETURNING id",
        (group, tag),
    )
    # The absence begins a few seconds from now: beat must notice it on its own.
    psql(
        db,
        "INSERT INTO approvals_absence (user_id, substitute_id, starts_at, ends_at, created_at) "
        "VALUES (%s, %s, now() + interval '4 seconds', now() + interval '1 day', now())",
        (approver, substitute),
    )
    assert topology.sink.wait_for(lambda m: tag in str(m), timeout=3) is None  # not begun yet

    msg = topology.sink.wait_for(lambda m: tag in str(m), timeout=60)
    assert msg is not None, f"no copy arrived\n{topology.logs()}"
    assert msg["To"] == f"{SUBSTITUTE}@bench.local"
    assert str(ticket) in msg["Subject"]
    time.sleep(6)  # several more beat runs: still one copy
    assert len([m for m in topology.delivered(tag)]) == 1
    ((sent_at,),) = psql(db, "SELECT copies_sent_at FROM approvals_absence WHERE user_id = %s", (approver,))
    assert sent_at is not None

    # The substitute sees the ticket on behalf of the approver, and decides it.
    browser = Browser(topology.base)
    browser.login(SUBSTITUTE)
    page = browser.get("/approvals/")
    assert page.status_code == 200
    assert tag in page.text
    assert 'class="badge text-bg-info on-behalf"' in page.text
    form = browser.get(f"/approvals/{ticket}/")
    assert form.status_code == 200
    r = browser.post(f"/approvals/{ticket}/", {"decision": "approved", "observations": tag})
    assert r.status_code == 302, r.text[:500]
    ((situation, by, behalf),) = psql(
        db,
        "SELECT t.situation, d.decided_by_id, d.on_behalf_of_id FROM tickets_ticket t "
        "JOIN approvals_decision d ON d.ticket_id = t.id WHERE t.id = %s",
        (ticket,),
    )
    assert (situation, by, behalf) == ("in_progress", substitute, approver)
