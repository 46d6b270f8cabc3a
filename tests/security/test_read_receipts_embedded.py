"""Read receipts on the embedded default (``make run``: runserver, SQLite) under parallel readers
(issue 21, §3; docs/architecture.md, "Request flow"). The GETs that record a receipt (a notification
opened, messages read) take the write lock when their transaction begins, as a POST does: they wait
their turn behind a writer instead of failing with "database is locked", and each receipt is
recorded once, by the first reader."""

from __future__ import annotations

import secrets
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .helpers import Client, in_parallel, sqlite_rows

# The first test also waits for make run (migrate, seed_demo) on a loaded machine.
pytestmark = pytest.mark.timeout(600)
READERS = ("maria", "joao", "attendant", "admin")


def notification_id(portal, title: str) -> int:
    [(pk,)] = sqlite_rows(
        portal.db_path, "SELECT id FROM notifications_notification WHERE title = ?", (title,)
    )
    return pk


def receipts(portal, notification: int) -> list[tuple[str, str | None]]:
    return sqlite_rows(
        portal.db_path,
        "SELECT u.username, r.viewed_at FROM notifications_notificationreceipt r "
        "JOIN accounts_user u ON u.id = r.user_id WHERE r.notification_id = ? ORDER BY u.username",
        (notification,),
    )


def logged_in(portal, usernames) -> list[Client]:
    clients = [Client(portal.base) for _ in usernames]
    for c, username in zip(clients, usernames, strict=True):
        assert c.login(username, username).status_code == 302
    return clients


def no_server_errors(responses) -> None:
    assert [r.status_code for r in responses] == [200] * len(responses), [
        (r.status_code, r.text[:300]) for r in responses if r.status_code != 200
    ]


def test_a_receipt_waits_for_a_writer_instead_of_failing(embedded_portal):
    """Deterministic: another connection holds the write lock while a notification is opened for
    the first time. A deferred read-then-write transaction would fail at once (a 500); the receipt's
    request waits, then records it."""
    pk = notification_id(embedded_portal, "Approvals close on Friday")
    [client] = logged_in(embedded_portal, ["joao"])
    holder = sqlite3.connect(embedded_portal.db_path, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    try:
        t0 = time.monotonic()
        assert client.get("/my-requests/").status_code == 200  # a plain read does not wait
        assert time.monotonic() - t0 < 10
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(client.get, f"/notifications/{pk}/")
            time.sleep(2)
            assert not pending.done()  # waits its turn…
            holder.execute("COMMIT")
            opened = pending.result(timeout=60)  # …and is answered once the lock is free
        assert opened.status_code == 200, opened.text[:2000]
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    assert [user for user, viewed in receipts(embedded_portal, pk) if viewed] == ["joao"]


def test_parallel_readers_of_a_notification_record_one_receipt_each(embedded_portal):
    pk = notification_id(embedded_portal, "Scheduled maintenance on Saturday")
    # Two browsers (tabs) per user, all opening the notification at the same instant, while the
    # bell of each is counted on the same pages.
    clients = logged_in(embedded_portal, [u for u in READERS for _ in range(2)])
    first = in_parallel([lambda c=c: c.get(f"/notifications/{pk}/") for c in clients])
    no_server_errors(first)
    recorded = receipts(embedded_portal, pk)
    assert [user for user, _viewed in recorded] == sorted(READERS)  # one row per user
    assert all(viewed for _user, viewed in recorded)
    again = in_parallel([lambda c=c: c.get(f"/notifications/{pk}/") for c in clients])
    no_server_errors(again)
    assert receipts(embedded_portal, pk) == recorded  # the first opening is kept


def test_parallel_readers_of_a_message_thread_mark_it_read_once(embedded_portal):
    [(ticket,)] = sqlite_rows(
        embedded_portal.db_path,
        "SELECT t.id FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id "
        "WHERE u.username = 'maria' AND t.situation = 'in_progress' AND t.responsible_id IS NOT NULL "
        "ORDER BY t.id LIMIT 1",
    )
    staff, staff_tab = logged_in(embedded_portal, ["attendant", "attendant"])
    admin_page = f"/admin/tickets/ticket/{ticket}/messages/"
    marker = f"[receipt-{secrets.token_hex(4)}]"
    for i in range(3):
        assert staff.get(admin_page).status_code == 200
        assert staff.post(admin_page, {"text": f"{marker} {i}"}).status_code == 302
    readers = logged_in(embedded_portal, ["maria"] * 6)
    page, poll = f"/my-requests/{ticket}/messages/", f"/my-requests/{ticket}/messages/poll/?after=0"
    calls = [lambda c=c: c.get(page) for c in readers[:4]] + [lambda c=c: c.get(poll) for c in readers[4:]]
    # the attendant's own page and poll read the thread at the same time (and mark maria's messages)
    calls += [
        lambda: staff.get(admin_page),
        lambda: staff_tab.get(f"/admin/tickets/ticket/{ticket}/messages/poll/?after=0"),
    ]
    responses = in_parallel(calls)
    no_server_errors(responses)
    assert all(marker in r.text for r in responses[:6])
    sql = "SELECT id, read_at FROM tickets_message WHERE text LIKE ? ORDER BY id"
    rows = sqlite_rows(embedded_portal.db_path, sql, (marker + "%",))
    assert len(rows) == 3
    assert all(read_at for _pk, read_at in rows)
    no_server_errors(in_parallel(calls))
    assert sqlite_rows(embedded_portal.db_path, sql, (marker + "%",)) == rows  # read once
