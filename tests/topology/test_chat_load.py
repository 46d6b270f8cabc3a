"""The chat under load on the production topology: gunicorn (2 sync workers), the events process
(deploy/events.sh: uvicorn, server-sent events over Redis pub/sub), Redis and PostgreSQL, started
from deploy/ like every other topology test.

200 chats are open at once: 200 users and 10 attendants (20 chats each) hold an event stream each
(400 streams); for TOPO_CHAT_SECONDS (60; CI runs fewer) every chat exchanges a message about every
TOPO_CHAT_PERIOD seconds (30), alternately from each side, each one a real POST to gunicorn. The test
asserts what the issue asks: every message reaches the other side once, in order, p95 of the delivery
(from the moment the sender's POST starts to the moment the other side's stream has it) ≤ 2 s, no
error (every POST answered 200, no stream dropped), and My Requests' p50 while the chats run ≤ 1.3 times
its p50 without them (sampled before they start and after they end). The figures are printed (pytest -s).

The simulated browsers are light on purpose (raw asyncio streams, a few threads for the POSTs): the
sessions are created in the database rather than through 210 password logins, which would only
measure the password hasher.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.bench.procs import deploy, free_port, wait_http

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(600)]

CHATS = int(os.environ.get("TOPO_CHATS", "200"))
ATTENDANTS = 10
SECONDS = float(os.environ.get("TOPO_CHAT_SECONDS", "60"))
PERIOD = float(os.environ.get("TOPO_CHAT_PERIOD", "30"))
PROBES = 40
ROOT = Path(__file__).resolve().parents[2]

SETUP = r"""
import json
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
from catalog.models import Activity, Contract, Portfolio, Service
from chat.models import Chat
from chat.services import chat_accept, chat_start
from tickets.models import Origin
from parameters.services import parameter_set

def session(user):
    s = SessionStore()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s.create()
    return s.session_key

desk, _ = Group.objects.get_or_create(name="Chat load desk")
from datetime import time as clock
from catalog.models import Calendar, WorkingPeriod
bench = Contract.objects.get(number="BENCH-1")
calendar, created = Calendar.objects.get_or_create(name="Chat load calendar")
if created:
    WorkingPeriod.objects.bulk_create(
        [WorkingPeriod(calendar=calendar, weekday=d, start=clock(0), end=clock(23, 59)) for d in range(7)]
    )
contract, _ = Contract.objects.get_or_create(
    number="CHAT-LOAD",
    defaults={"name": "Chat load", "calendar": calendar, "time_of_attendance": bench.time_of_attendance},
)
portfolio, _ = Portfolio.objects.get_or_create(name="Chat load", defaults={"available_via_chat": True})
service, _ = Service.objects.get_or_create(
    portfolio=portfolio, name="Chat load service", defaults={"available_via_chat": True}
)
activity, _ = Activity.objects.get_or_create(
    service=service, name="Chat load question", defaults={"available_via_chat": True, "executor_group": desk}
)
origin, _ = Origin.objects.get_or_create(name="Chat")
for number, value in ((118, contract.pk), (316, True), (315, origin.pk), (317, activity.pk)):
    parameter_set(p=number, value=value)
Chat.objects.filter(closed_at__isnull=True).update(closed_at="2000-01-01T00:00:00Z")
attendants = []
for i in range(%(attendants)d):
    a, _ = User.objects.get_or_create(
        username=f"chat_att{i}", defaults={"is_staff": True, "email": f"chat_att{i}@load.test"}
    )
    a.groups.add(desk)
    attendants.append(a)
chats = []
for i in range(%(chats)d):
    u, _ = User.objects.get_or_create(username=f"chat_user{i}", defaults={"email": f"chat_user{i}@load.test"})
    chat = chat_start(user=u, activity=activity, text=f"hello {i}")
    a = attendants[i %% len(attendants)]
    chat_accept(chat=chat, actor=a)
    chats.append({"ticket": chat.ticket_id, "user": session(u), "attendant_index": i %% len(attendants)})
owner = User.objects.get(username="bench_owner")
sessions = {"chats": chats, "attendants": [session(a) for a in attendants], "owner": session(owner)}
print("SETUP" + json.dumps(sessions))
"""


def _setup(env: dict) -> dict:
    code = SETUP % {"chats": CHATS, "attendants": ATTENDANTS}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**env, "CHAT_EVENTS_URL": "", "LOG_LEVEL": "WARNING"},
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("SETUP"))
    return json.loads(line[5:])


class Stream:
    """One browser's event stream (server-sent events over chunked HTTP/1.1), parsed as it comes."""

    def __init__(self, name: str, port: int, ticket: int, session: str, origin: str, results: Results):
        self.name, self.port, self.ticket, self.session, self.origin = name, port, ticket, session, origin
        self.results = results
        self.last_id = 0
        self.open = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(
            (
                f"GET /chat/{self.ticket}/events/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Cookie: sessionid={self.session}\r\nOrigin: {self.origin}\r\n"
                "Accept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            self.results.error(f"{self.name}: {status!r}")
            return
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        self.open.set()
        buffer = b""
        reader_task = None
        try:
            while not stop.is_set():
                reader_task = asyncio.ensure_future(self._chunk(reader))
                stopper = asyncio.ensure_future(stop.wait())
                done, _pending = await asyncio.wait(
                    {reader_task, stopper}, return_when=asyncio.FIRST_COMPLETED
                )
                stopper.cancel()
                if reader_task not in done:
                    reader_task.cancel()
                    break
                chunk = reader_task.result()
                if chunk is None:
                    if not stop.is_set():
                        self.results.error(f"{self.name}: the stream ended")
                    break
                buffer += chunk
                while b"\n\n" in buffer:
                    raw, buffer = buffer.split(b"\n\n", 1)
                    self._event(raw.decode())
        finally:
            writer.close()

    @staticmethod
    async def _chunk(reader) -> bytes | None:
        size_line = await reader.readline()
        if not size_line:
            return None
        size = int(size_line.strip() or b"0", 16)
        if size == 0:
            return None
        data = await reader.readexactly(size + 2)
        return data[:-2]

    def _event(self, raw: str) -> None:
        fields: dict[str, str] = {}
        for line in raw.splitlines():
            if line.startswith(":") or ":" not in line:
                continue
            key, value = line.split(":", 1)
            fields[key] = value.lstrip()
        if fields.get("event") != "message":
            return
        m = json.loads(fields["data"])
        if m["id"] <= self.last_id:
            self.results.error(f"{self.name}: message {m['id']} after {self.last_id} (twice or out of order)")
            return
        self.last_id = m["id"]
        self.results.received(self.name, m["text"])


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent: dict[str, tuple[float, str]] = {}  # token -> (sent at, receiving stream)
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.wrong_side: list[str] = []

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def received(self, stream: str, text: str) -> None:
        now = time.monotonic()
        token = text.split(" ", 1)[0]
        with self.lock:
            entry = self.sent.get(token)
            if entry is None:
                return  # the stream's own messages, and the chats' first messages
            sent_at, target = entry
            if target == stream:
                self.latencies.append(now - sent_at)
                del self.sent[token]


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def _probe(session, url: str, n: int, pause: float, errors: list, until: float | None = None) -> list[float]:
    """``n`` sequential renders of ``url`` (or as many as fit before the monotonic instant ``until``)."""
    times = []
    while len(times) < n if until is None else time.monotonic() < until:
        t0 = time.monotonic()
        r = session.get(url, timeout=30)
        times.append(time.monotonic() - t0)
        if r.status_code != 200:
            errors.append(f"My Requests: {r.status_code}")
        time.sleep(pause)
    return times


def test_200_chats_deliver_within_2_s_and_my_requests_keeps_its_pace(topology):
    import requests

    events_port = free_port()
    topology.env["CHAT_EVENTS_URL"] = f"http://127.0.0.1:{events_port}"
    topology.env["EVENTS_BIND"] = f"127.0.0.1:{events_port}"
    topology.env["LOG_LEVEL"] = "WARNING"
    topology.start_redis()
    data = _setup(topology.env)
    topology.start_web()
    events = deploy("events", topology.env, topology.tmp / "events.log")
    topology.procs.append(events)
    wait_http(f"http://127.0.0.1:{events_port}/health/", events, timeout=60)

    def browser(session_key: str):
        s = requests.Session()
        csrf = secrets.token_hex(16)
        s.cookies.set("sessionid", session_key, domain="127.0.0.1")
        s.cookies.set("csrftoken", csrf, domain="127.0.0.1")
        s.headers.update({"X-CSRFToken": csrf, "Accept": "application/json"})
        return s

    owner = browser(data["owner"])
    owner.headers["Accept"] = "text/html"
    probe_errors: list[str] = []
    my_requests = topology.base + "/my-requests/"
    _probe(owner, my_requests, 5, 0.05, probe_errors)  # warm up
    baseline = _probe(owner, my_requests, PROBES, 0.1, probe_errors)

    results = Results()
    users = [browser(c["user"]) for c in data["chats"]]
    attendants = [browser(k) for k in data["attendants"]]
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    streams: list[Stream] = []
    for i, c in enumerate(data["chats"]):
        streams.append(Stream(f"u{i}", events_port, c["ticket"], c["user"], topology.base, results))
        a = data["attendants"][c["attendant_index"]]
        streams.append(Stream(f"a{i}", events_port, c["ticket"], a, topology.base, results))

    async def run_streams():
        tasks = [asyncio.ensure_future(s.run(stop)) for s in streams]
        await asyncio.gather(*tasks, return_exceptions=True)

    def stream_thread():
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(run_streams())
        except Exception as exc:
            results.error(f"streams: {exc!r}")

    t_streams = threading.Thread(target=stream_thread, daemon=True)
    t_streams.start()
    t0 = time.monotonic()
    while not all(s.open.is_set() for s in streams) and time.monotonic() - t0 < 60:
        time.sleep(0.2)
    opened = sum(s.open.is_set() for s in streams)
    connect_seconds = time.monotonic() - t0
    assert opened == len(streams), f"{opened}/{len(streams)} streams open; {results.errors[:5]}"

    posts = {"ok": 0}
    rng = random.Random(16)

    def send(i: int, side: str) -> None:
        chat = data["chats"][i]
        token = f"[{i}-{secrets.token_hex(4)}]"
        sender = users[i] if side == "u" else attendants[chat["attendant_index"]]
        target = f"a{i}" if side == "u" else f"u{i}"
        with results.lock:
            results.sent[token] = (time.monotonic(), target)
        try:
            r = sender.post(
                f"{topology.base}/chat/{chat['ticket']}/messages/",
                data={"text": f"{token} hello"},
                timeout=30,
            )
        except Exception as exc:
            results.error(f"POST: {exc!r}")
            return
        if r.status_code != 200:
            results.error(f"POST {r.status_code}: {r.text[:200]}")
        else:
            with results.lock:
                posts["ok"] += 1

    deadline = time.monotonic() + SECONDS
    due = [(time.monotonic() + rng.uniform(0, PERIOD), i, "u") for i in range(len(data["chats"]))]
    during: list[float] = []
    probe_thread = threading.Thread(
        target=lambda: during.extend(_probe(owner, my_requests, 0, 0.5, probe_errors, until=deadline)),
        daemon=True,
    )
    warm = min(PERIOD / 2, SECONDS / 4)  # every chat's first message is due within PERIOD
    with ThreadPoolExecutor(max_workers=8) as pool:
        started_probe = False
        while time.monotonic() < deadline:
            due.sort()
            at, i, side = due[0]
            wait = at - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, 0.05))
                continue
            if not started_probe and time.monotonic() - (deadline - SECONDS) > warm:
                probe_thread.start()  # once every chat is exchanging messages
                started_probe = True
            due[0] = (at + rng.uniform(0.5 * PERIOD, 1.5 * PERIOD), i, "a" if side == "u" else "u")
            pool.submit(send, i, side)
    if started_probe:
        probe_thread.join(timeout=60)
    # Let the last messages arrive, then close the streams.
    t_end = time.monotonic()
    while results.sent and time.monotonic() - t_end < 10:
        time.sleep(0.1)
    loop.call_soon_threadsafe(stop.set)
    t_streams.join(timeout=30)
    # The pace without chats is sampled again once they have ended: on a shared 2-core machine a
    # single sample before them has been seen 30% off (27 to 40 ms) from one run to the next.
    baseline += _probe(owner, my_requests, PROBES, 0.1, probe_errors)

    undelivered = len(results.sent)
    lat = results.latencies
    p50_base, p50_load = statistics.median(baseline), statistics.median(during)
    p50, p95, worst = _percentile(lat, 0.5), _percentile(lat, 0.95), max(lat)
    print(
        f"\nchat load: {len(data['chats'])} chats, {ATTENDANTS} attendants, {len(streams)} streams "
        f"(open in {connect_seconds:.1f} s), {SECONDS:.0f} s, a message every ~{PERIOD:.0f} s per chat: "
        f"{posts['ok']} messages ({posts['ok'] / SECONDS:.1f}/s); delivery p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms; undelivered {undelivered}; "
        f"errors {len(results.errors) + len(probe_errors)}\n"
        f"My Requests p50: {p50_base * 1000:.1f} ms without chats ({len(baseline)} requests), "
        f"{p50_load * 1000:.1f} ms with them ({len(during)} requests): ratio {p50_load / p50_base:.2f}"
    )
    assert not results.errors, results.errors[:10]
    assert not probe_errors, probe_errors[:10]
    assert undelivered == 0
    assert len(lat) == posts["ok"] > 0
    assert p95 <= 2.0, f"delivery p95 {p95:.2f} s"
    assert p50_load <= 1.3 * p50_base, f"My Requests p50 {p50_load * 1000:.1f} ms vs {p50_base * 1000:.1f} ms"
