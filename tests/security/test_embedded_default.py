"""The embedded default (``make run``: runserver, SQLite, DEBUG off) under parallel users (issue 11):
readers never wait for a writer, writers wait their turn instead of failing, every parallel save is
kept, parallel wrong passwords lock the account, and an error shows the styled page.

The tests share one server and run in this order; the last one breaks its database on purpose."""

from __future__ import annotations

import re
import secrets
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .helpers import (
    BURSTS,
    PER_BURST,
    Client,
    assert_locked_even_with_the_right_password,
    burst_of_wrong_passwords,
    in_parallel,
    sqlite_rows,
)

# The first test also waits for make run (migrate, seed_demo) on a loaded machine.
pytestmark = pytest.mark.timeout(600)
OPTION = re.compile(r'<option value="(\d+)"')


def in_progress_tickets(portal, username: str = "maria") -> list[int]:
    return [
        pk
        for (pk,) in sqlite_rows(
            portal.db_path,
            "SELECT t.id FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id "
            "WHERE u.username = ? AND t.situation = 'in_progress' ORDER BY t.id",
            (username,),
        )
    ]


def register_form(client: Client, ticket: int) -> dict[str, str]:
    """Category and origin chosen from the register page of ``ticket``, as a user would."""
    html = client.get(f"/my-requests/{ticket}/occurrences/new/").text
    category = OPTION.search(html[html.index('name="category"') :]).group(1)
    origin = OPTION.search(html[html.index('name="origin"') :]).group(1)
    return {"category": category, "origin": origin}


def test_a_reader_never_waits_for_a_writer_and_a_writer_waits_its_turn(embedded_portal):
    client = Client(embedded_portal.base)
    assert client.login("maria", "maria").status_code == 302
    ticket = in_progress_tickets(embedded_portal)[0]
    form = register_form(client, ticket)
    marker = f"[lock-{secrets.token_hex(4)}]"
    holder = sqlite3.connect(embedded_portal.db_path, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        t0 = time.monotonic()
        r = client.get("/my-requests/")
        assert r.status_code == 200
        assert time.monotonic() - t0 < 10  # not waiting for the lock (the busy timeout is 20 s)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(
                client.post,
                f"/my-requests/{ticket}/occurrences/new/",
                {**form, "text": marker + " while locked"},
            )
            time.sleep(2)
            assert not pending.done()  # the save waits for the lock…
            holder.execute("COMMIT")
            saved = pending.result(timeout=60)  # …and is made once it is free
        assert saved.status_code == 302, saved.text[:2000]
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    assert sqlite_rows(
        embedded_portal.db_path,
        "SELECT count(*) FROM occurrences_occurrence WHERE text LIKE ?",
        (marker + "%",),
    ) == [(1,)]


def test_parallel_occurrence_saves_uploads_and_requests_are_all_kept(embedded_portal):
    tickets = in_progress_tickets(embedded_portal)[:3]
    users = [Client(embedded_portal.base) for _ in range(8)]
    for c in users:
        assert c.login("maria", "maria").status_code == 302
    form = register_form(users[0], tickets[0])
    marker = f"[burst-{secrets.token_hex(4)}]"
    [(activity,)] = sqlite_rows(
        embedded_portal.db_path,
        "SELECT id FROM catalog_activity WHERE available_in_portal AND NOT asks_impact_urgency "
        "AND approver_group_id IS NULL ORDER BY id LIMIT 1",
    )
    for c in users:
        c.get(f"/my-requests/{tickets[0]}/attachments/")  # the form's CSRF token
    calls = []
    for i, c in enumerate(users):
        ticket = tickets[i % len(tickets)]
        calls.append(
            lambda c=c, ticket=ticket, i=i: c.post(
                f"/my-requests/{ticket}/occurrences/new/",
                {**form, "text": f"{marker} occurrence {i}", "notify_responsible": "on"},
            )
        )
        calls.append(
            lambda c=c, ticket=ticket, i=i: c.post(
                f"/my-requests/{ticket}/attachments/",
                files={
                    "file": (
                        f"{marker}-{i}.pdf",
                        b"%PDF-1.4\n" + secrets.token_bytes(2048),
                        "application/pdf",
                    )
                },
            )
        )
        calls.append(
            lambda c=c, i=i: c.post(
                f"/catalog/activity/{activity}/new/",
                {"title": f"{marker} request {i}", "description": "Sent with many others"},
                files={
                    "attachments": (
                        f"{marker}-r{i}.pdf",
                        b"%PDF-1.4\n" + secrets.token_bytes(512),
                        "application/pdf",
                    )
                },
            )
        )
    responses = in_parallel(calls) + in_parallel(calls)
    assert [r.status_code for r in responses] == [302] * len(responses), [
        (r.status_code, r.text[:300]) for r in responses if r.status_code != 302
    ]
    [(occurrences,)] = sqlite_rows(
        embedded_portal.db_path,
        "SELECT count(*) FROM occurrences_occurrence WHERE text LIKE ?",
        (marker + "%",),
    )
    [(files,)] = sqlite_rows(
        embedded_portal.db_path,
        "SELECT count(*) FROM tickets_attachment WHERE original_name LIKE ?",
        (marker + "%",),
    )
    [(requests,)] = sqlite_rows(
        embedded_portal.db_path, "SELECT count(*) FROM tickets_ticket WHERE title LIKE ?", (marker + "%",)
    )
    assert (occurrences, files, requests) == (16, 32, 16)  # a file per request too


def test_parallel_wrong_passwords_lock_the_account(embedded_portal):
    statuses = burst_of_wrong_passwords(embedded_portal.base, "maria")
    assert set(statuses) <= {200, 429}, statuses
    assert 429 in statuses
    # Every failure was counted, the ones refused during the lockout too (they restart the cool-off).
    [(failures,)] = sqlite_rows(
        embedded_portal.db_path,
        "SELECT sum(failures_since_start) FROM axes_accessattempt WHERE username = 'maria'",
    )
    assert failures == BURSTS * PER_BURST
    assert_locked_even_with_the_right_password(embedded_portal.base, "maria", "maria")
    # Another user from the same address is not affected.
    assert Client(embedded_portal.base).login("joao", "joao").status_code == 302


def test_an_error_shows_the_styled_page_not_the_debug_page(embedded_portal):
    client = Client(embedded_portal.base)
    assert client.login("joao", "joao").status_code == 302
    # The database goes away under the running server: the next request fails.
    for suffix in ("", "-wal", "-shm"):
        path = embedded_portal.db_path.with_name(embedded_portal.db_path.name + suffix)
        if path.exists():
            path.unlink()
    r = client.get("/my-requests/")
    assert r.status_code == 500
    assert "The portal is temporarily unavailable" in r.text
    for leak in ("Traceback", "DEBUG", "SECRET_KEY", "OperationalError", "django_session", "sqlite"):
        assert leak not in r.text
    css = re.search(r'href="(/static/[^"]+\.css)"', r.text).group(1)
    assert client.get(css).status_code == 200  # styled: the static files are served with DEBUG off
