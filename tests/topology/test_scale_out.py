"""Scale-out on one PostgreSQL and one Redis: two web instances (deploy/web.sh, gunicorn) behind
HAProxy (Debian's package, started natively with the configuration below), two Celery workers, one
beat (and a second one that must stand by) and two chat events processes (deploy/events.sh).

- a user's requests alternate between the instances (round robin; HAProxy names the instance that
  answered in ``X-Served-By``) and the session holds on both;
- a parameter changed through one instance (the admin's parameter screen) is followed by the other
  on its very next request;
- a chat message posted on one instance reaches the other side's event stream on the other events
  process and the other instance's poll, and an attendant's presence set on one instance is seen by
  the other instance and by the events processes;
- occurrences' e-mails, sent by two workers, are delivered exactly once;
- beat sends its schedule from one process: a second beat stands by (smartportal/beat.py: a lease
  in Redis) and takes over when the first one stops.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import require
from tests.parameters.live import TITLE_HEADER
from tools.bench.procs import Proc, deploy, free_port, wait_for, wait_http

from .conftest import OWNER, PASSWORD, Browser, marker, register_occurrence
from .test_chat_load import SETUP
from .test_faults import assert_exactly_once

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(420)]

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "scale_admin"

HAPROXY_CFG = """\
global
    maxconn 2048

defaults
    mode http
    option forwardfor
    option httplog
    log stdout format raw local0
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h

frontend portal
    bind 127.0.0.1:{port}
    use_backend events if {{ path_reg ^/chat/[0-9]+/events/$ }}
    default_backend web

backend web
    balance roundrobin
    http-response set-header X-Served-By %[srv_name]
    server web1 127.0.0.1:{web1}
    server web2 127.0.0.1:{web2}

backend events
    balance roundrobin
    http-response set-header X-Served-By %[srv_name]
    server events1 127.0.0.1:{events1}
    server events2 127.0.0.1:{events2}
"""

SETUP_ADMIN = f"""
from accounts.models import User
u, _ = User.objects.get_or_create(username={ADMIN!r}, defaults={{"email": "scale_admin@scale.test"}})
u.is_staff = u.is_superuser = True
u.set_password({PASSWORD!r})
u.save()
"""


def _haproxy() -> str:
    binary = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else "")
    require(bool(binary), "the scale-out test needs HAProxy (apt-get install haproxy)")
    return binary


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _shell(env: dict, code: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


class ScaleOut:
    """The processes of the scale-out topology, on top of the test's Topology (Redis, SMTP sink)."""

    def __init__(self, topology):
        self.t = topology
        self.lb_port = free_port()
        self.web_ports = [free_port(), free_port()]
        self.events_ports = [free_port(), free_port()]
        self.lb = f"http://127.0.0.1:{self.lb_port}"
        topology.env.update(
            SITE_URL=self.lb,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CHAT_EVENTS_URL=self.lb,
            WEB_CONCURRENCY="1",
            CELERY_CONCURRENCY="1",
            BEAT_LEASE_SECONDS="6",
            TRUSTED_PROXY_COUNT="1",  # HAProxy appends the client's address (core/clientip.py)
        )
        self.beats: list[Proc] = []

    def web(self, i: int) -> str:
        return f"http://127.0.0.1:{self.web_ports[i]}"

    def start(self) -> None:
        t = self.t
        t.start_redis()
        t.sink.start()
        webs = []
        for i, port in enumerate(self.web_ports, 1):
            p = deploy("web", {**t.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, t.tmp / f"web{i}.log")
            p.name = f"web{i}"
            t.procs.append(p)
            webs.append(p)
        for i, port in enumerate(self.events_ports, 1):
            p = deploy("events", {**t.env, "EVENTS_BIND": f"127.0.0.1:{port}"}, t.tmp / f"events{i}.log")
            p.name = f"events{i}"
            t.procs.append(p)
            wait_http(f"http://127.0.0.1:{port}/health/", p, timeout=60)
        for i, p in enumerate(webs):
            wait_http(f"{self.web(i)}/health/", p, timeout=90)
        cfg = t.tmp / "haproxy.cfg"
        cfg.write_text(
            HAPROXY_CFG.format(
                port=self.lb_port,
                web1=self.web_ports[0],
                web2=self.web_ports[1],
                events1=self.events_ports[0],
                events2=self.events_ports[1],
            )
        )
        lb = Proc(
            "haproxy", [_haproxy(), "-f", str(cfg), "-db"], dict(os.environ), t.tmp / "haproxy.log"
        ).start()
        t.procs.append(lb)
        wait_for(lambda: _port_open(self.lb_port), timeout=20, what="HAProxy")
        wait_http(f"{self.lb}/health/", lb, timeout=20)
        t.start_worker()
        t.start_worker()

    def start_beat(self, n: int) -> Proc:
        env = {**self.t.env, "CELERY_BEAT_SCHEDULE_FILE": str(self.t.tmp / f"celerybeat-schedule-{n}")}
        p = deploy("beat", env, self.t.tmp / f"beat{n}.log")
        p.name = f"beat{n}"
        self.t.procs.append(p)
        self.beats.append(p)
        return p


def _sent(beat: Proc) -> int:
    return beat.log_text().count("Sending due task")


def _session(base: str, session_key: str):
    import requests

    s = requests.Session()
    csrf = secrets.token_hex(16)
    host = base.split("//", 1)[1].split(":")[0]
    s.cookies.set("sessionid", session_key, domain=host)
    s.cookies.set("csrftoken", csrf, domain=host)
    s.headers.update({"X-CSRFToken": csrf, "Accept": "application/json"})
    return s


class EventStream(threading.Thread):
    """One browser's server-sent events stream, read in a thread: ``events`` holds (event, data)."""

    def __init__(self, url: str, session_key: str):
        super().__init__(daemon=True)
        import requests

        self.response = requests.get(
            url,
            cookies={"sessionid": session_key},
            headers={"Accept": "text/event-stream"},
            stream=True,
            timeout=(5, 120),
        )
        assert self.response.status_code == 200, (self.response.status_code, self.response.text[:300])
        self.served_by = self.response.headers.get("X-Served-By", "")
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()

    def run(self) -> None:
        buffer = b""
        try:
            # chunk_size=None: each chunk as it arrives (iter_lines would wait for 512 bytes).
            for chunk in self.response.iter_content(chunk_size=None):
                buffer += chunk
                while b"\n\n" in buffer:
                    raw, buffer = buffer.split(b"\n\n", 1)
                    self._event(raw.decode())
        except Exception:  # closed at the end of the test
            return

    def _event(self, raw: str) -> None:
        fields: dict[str, str] = {}
        for line in raw.splitlines():
            key, sep, value = line.partition(":")
            if sep and key:
                fields[key] = fields.get(key, "") + value.strip()
        if fields.get("event") and fields.get("data"):
            with self.lock:
                self.events.append((fields["event"], json.loads(fields["data"])))

    def has(self, predicate) -> bool:
        with self.lock:
            return any(predicate(e, d) for e, d in self.events)


def test_two_instances_behind_haproxy_share_every_state(topology):
    scale = ScaleOut(topology)
    _shell(topology.env, SETUP_ADMIN)
    chat = json.loads(
        next(
            line[5:]
            for line in _shell(
                {**topology.env, "CHAT_EVENTS_URL": ""}, SETUP % {"chats": 1, "attendants": 1}
            ).splitlines()
            if line.startswith("SETUP")
        )
    )
    scale.start()
    beat1 = scale.start_beat(1)
    wait_for(
        lambda: "leading" in beat1.log_text(), timeout=60, what=lambda: f"beat1 to lead\n{beat1.log_text()}"
    )

    # 1. Round robin, one session: every page answered logged in, by both instances in turn.
    owner = Browser(scale.lb)
    owner.login(OWNER, PASSWORD)
    served: list[str] = []
    for _ in range(12):
        r = owner.get("/my-requests/", allow_redirects=False)
        assert r.status_code == 200, (r.status_code, r.headers.get("Location"))
        assert 'id="user-menu"' in r.text, "the session was lost"
        served.append(r.headers["X-Served-By"])
    counts = Counter(served)
    assert set(counts) == {"web1", "web2"}, served
    assert min(counts.values()) >= 5, served
    assert sum(a != b for a, b in itertools.pairwise(served)) >= 9, f"not alternating: {served}"

    # 2. A parameter changed through web1's admin screen is followed by web2 at once, and back.
    admins = [Browser(scale.web(0)), Browser(scale.web(1))]
    users = [Browser(scale.web(0)), Browser(scale.web(1))]
    for a in admins:
        a.login(ADMIN, PASSWORD)  # the admin's login is the portal's (identity/)
    for u in users:
        u.login(OWNER, PASSWORD)
    change = "/admin/parameters/parametervalue/301/change/"
    for writer, reader, value in ((0, 1, "Y"), (1, 0, "N"), (0, 1, "Y"), (1, 0, "N")):
        admins[writer].get(change)
        r = admins[writer].post(change, {"value": value})
        assert r.status_code == 302, (r.status_code, r.text[:500])
        assert "/login/" not in r.headers["Location"], r.headers["Location"]  # saved, not sent to log in
        page = users[reader].get("/my-requests/?situation=all")
        assert page.status_code == 200
        assert bool(TITLE_HEADER.search(page.text)) is (value == "Y"), f"web{reader + 1} missed 301={value}"

    # 3. Chat across instances: streams on both events processes, posts and polls on both webs.
    ticket = chat["chats"][0]["ticket"]
    user_key, att_key = chat["chats"][0]["user"], chat["attendants"][0]
    ev = [f"http://127.0.0.1:{p}/chat/{ticket}/events/" for p in scale.events_ports]
    user_stream, att_stream = EventStream(ev[1], user_key), EventStream(ev[0], att_key)
    lb_stream = EventStream(f"{scale.lb}/chat/{ticket}/events/", user_key)
    assert lb_stream.served_by in {"events1", "events2"}
    for s in (user_stream, att_stream, lb_stream):
        s.start()
    att_web1, att_web2 = _session(scale.web(0), att_key), _session(scale.web(1), att_key)
    user_web1, user_web2 = _session(scale.web(0), user_key), _session(scale.web(1), user_key)

    def poll(session, base):
        r = session.get(f"{base}/chat/{ticket}/poll/", timeout=10)
        assert r.status_code == 200, r.status_code
        return r.json()

    # Presence: the attendant's console closed through web2, opened through web1 (its lists).
    assert att_web2.post(f"{scale.web(1)}/chat/console/offline/", timeout=10).status_code == 204
    wait_for(
        lambda: poll(user_web1, scale.web(0))["state"]["code"] == "awaiting", timeout=10, what="awaiting"
    )
    assert att_web1.get(f"{scale.web(0)}/chat/console/lists/", timeout=10).status_code == 200
    assert poll(user_web2, scale.web(1))["state"]["code"] == "online"
    for s in (user_stream, lb_stream):
        wait_for(
            lambda s=s: s.has(lambda e, d: e == "state" and d.get("code") == "online"),
            timeout=15,
            what=lambda s=s: f"the online state on the requester's stream: {s.events}\n{topology.logs()}",
        )

    # Messages: the attendant posts on web1, the requester's stream on events2 and web2's poll get it.
    text = marker("chat")
    r = att_web1.post(
        f"{scale.web(0)}/chat/{ticket}/messages/", data={"text": f"{text} from web1"}, timeout=10
    )
    assert r.status_code == 200, r.text[:300]
    for s in (user_stream, lb_stream):
        wait_for(
            lambda s=s: s.has(lambda e, d: e == "message" and text in d.get("text", "")),
            timeout=10,
            what="the attendant's message on the requester's stream",
        )
    assert any(text in m["text"] for m in poll(user_web2, scale.web(1))["messages"])
    reply = marker("reply")
    r = user_web2.post(
        f"{scale.web(1)}/chat/{ticket}/messages/", data={"text": f"{reply} from web2"}, timeout=10
    )
    assert r.status_code == 200, r.text[:300]
    wait_for(
        lambda: att_stream.has(lambda e, d: e == "message" and reply in d.get("text", "")),
        timeout=10,
        what="the requester's reply on the attendant's stream (events1)",
    )
    for s in (user_stream, att_stream, lb_stream):
        s.response.close()

    # 4. E-mails: occurrences registered through the load balancer, sent by two workers, once each.
    tag = marker("scale")
    ticket_id = topology.ticket_id()
    category, origin = topology.form_ids()
    n = 24
    for i in range(n):
        r = register_occurrence(owner, ticket_id, category, origin, f"{tag} occurrence {i}")
        assert r.status_code == 302, r.status_code
    assert_exactly_once(topology, tag, n, timeout=120)
    workers = [p for p in topology.procs if p.name == "worker"]
    assert len(workers) == 2
    assert all(p.alive() for p in workers)

    # 5. Beat: a second beat stands by and sends nothing while the first leads; it takes over after.
    beat2 = scale.start_beat(2)
    wait_for(lambda: "standing by" in beat2.log_text(), timeout=60, what=lambda: f"beat2\n{beat2.log_text()}")
    before = _sent(beat1)
    time.sleep(8)  # four periods of OUTBOX_DISPATCH_EVERY=2
    assert _sent(beat1) > before, beat1.log_text()[-2000:]
    assert _sent(beat2) == 0, beat2.log_text()[-2000:]
    beat1.stop()
    wait_for(lambda: _sent(beat2) > 0, timeout=30, what=lambda: f"beat2 to take over\n{beat2.log_text()}")
    assert "leading" in beat2.log_text()

    # 6. Login throttling sees the client behind the load balancer (core/clientip.py): failures sent
    # with forged X-Forwarded-For addresses all count for the one address HAProxy saw, and lock it.
    intruder = Browser(scale.lb)
    intruder.get("/accounts/login/")
    victim = f"victim-{secrets.token_hex(3)}"
    statuses = []
    for i in range(6):
        r = intruder.post(
            "/accounts/login/",
            {"username": victim, "password": "wrong"},
            headers={"X-Forwarded-For": f"203.0.113.{i + 1}"},
        )
        statuses.append(r.status_code)
    # Locked at the fifth failure (AXES_FAILURE_LIMIT), whatever address each one claimed.
    assert statuses == [200, 200, 200, 200, 429, 429], statuses
    recorded = _shell(
        topology.env,
        "from axes.models import AccessAttempt\n"
        f"ips = AccessAttempt.objects.filter(username={victim!r}).values_list('ip_address', flat=True)\n"
        "print('IPS', sorted(set(ips)))",
    )
    assert "IPS ['127.0.0.1']" in recorded, recorded
    print(
        f"\nscale-out: requests served {dict(counts)}; {n} e-mails delivered once by 2 workers; "
        f"beat1 sent {_sent(beat1)} due tasks, beat2 0 while beat1 ran, {_sent(beat2)} after"
    )
