"""One scenario, run against a portal started as real separate processes (tests/parameters/
test_live_embedded.py: runserver on SQLite; tests/topology/test_parameters_live.py: gunicorn with
2 workers on PostgreSQL + Redis): parameters are changed from ANOTHER process with
``manage.py parameter set`` and the very next requests must follow, pages and server-side checks.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parameter_set(env: dict[str, str], number: int, value: str = "") -> None:
    """``manage.py parameter set NUMBER VALUE`` in a process of its own."""
    done = subprocess.run(
        [sys.executable, "manage.py", "parameter", "set", str(number), value],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@dataclass
class LivePortal:
    """What the scenario needs from a running portal.

    ``pages(path)``: the responses of the next requests to ``path`` (one for runserver; several,
    answered by every web worker, for gunicorn); ``post``: one POST; ``set_param``: a change made
    by another process; ``occurrences`` / ``attachments``: rows found in the database."""

    pages: Callable[[str], list]
    post: Callable[..., object]
    set_param: Callable[[int, str], None]
    occurrences: Callable[[str], int]
    attachments: Callable[[str], int]
    ticket_id: int
    category: int
    origin: int
    activity: int
    log: list[str] = field(default_factory=list)

    def texts(self, path: str) -> list[str]:
        responses = self.pages(path)
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        return [r.text for r in responses]

    def statuses(self, path: str) -> set[int]:
        return {r.status_code for r in self.pages(path)}


def _all(texts: list[str], predicate: Callable[[str], bool]) -> bool:
    return bool(texts) and all(predicate(t) for t in texts)


def _none(texts: list[str], predicate: Callable[[str], bool]) -> bool:
    return bool(texts) and not any(predicate(t) for t in texts)


TITLE_HEADER = re.compile(r"<th[^>]*>\s*Title\s*</th>")
IN_PROGRESS_SELECTED = re.compile(r'<option value="in_progress"\s+selected')


def check_changes_are_followed(portal: LivePortal) -> None:
    """252, 292, 301, 264, 302 and 278, each switched by another process and followed at once."""
    tid = portal.ticket_id
    row = f"/my-requests/?situation=all&search={tid}"
    register = f"/my-requests/{tid}/occurrences/new/"
    cancel = f"/my-requests/{tid}/cancel/"

    # 252 Register occurrence: the button and the server-side check of the POST.
    portal.set_param(252, "Y")
    assert _all(portal.texts(row), lambda t: register in t)
    portal.set_param(252, "N")
    assert _none(portal.texts(row), lambda t: register in t)
    tag = f"[live-{secrets.token_hex(4)}]"
    data = {"category": portal.category, "origin": portal.origin, "text": f"{tag} refused", "next": ""}
    r = portal.post(register, data)
    assert r.status_code == 302, r.status_code
    assert portal.occurrences(tag) == 0, "the POST was accepted with parameter 252 off"
    portal.set_param(252, "Y")
    assert portal.post(register, {**data, "text": f"{tag} accepted"}).status_code == 302
    assert portal.occurrences(tag) == 1

    # 292 Smartbox: its page and menu entry, and "Add and Continue" on a request form.
    request_form = f"/catalog/activity/{portal.activity}/new/"
    portal.set_param(292, "Y")
    assert portal.statuses("/smartbox/") == {200}
    assert _all(
        portal.texts(request_form), lambda t: 'id="add-and-continue"' in t and 'href="/smartbox/"' in t
    )
    portal.set_param(292, "N")
    assert portal.statuses("/smartbox/") == {404}
    assert _none(
        portal.texts(request_form), lambda t: 'id="add-and-continue"' in t or 'href="/smartbox/"' in t
    )

    # 301 Title column of My Requests.
    portal.set_param(301, "Y")
    assert _all(portal.texts(row), lambda t: bool(TITLE_HEADER.search(t)))
    portal.set_param(301, "N")
    assert _none(portal.texts(row), lambda t: bool(TITLE_HEADER.search(t)))

    # 264 "In Progress" preselected in the Situation filter.
    portal.set_param(264, "Y")
    assert _all(portal.texts("/my-requests/"), lambda t: bool(IN_PROGRESS_SELECTED.search(t)))
    portal.set_param(264, "N")
    assert _none(portal.texts("/my-requests/"), lambda t: bool(IN_PROGRESS_SELECTED.search(t)))

    # 302 Cancel Request: the button, and the POST refused (the ticket stays In Progress).
    portal.set_param(302, "Y")
    assert _all(portal.texts(row), lambda t: cancel in t)
    portal.set_param(302, "N")
    assert _none(portal.texts(row), lambda t: cancel in t)
    assert portal.post(cancel, {"reason": "", "next": ""}).status_code == 302
    assert _all(portal.texts(row), lambda t: register in t), "the ticket was canceled with 302 off"

    # 278 upload size limit: a file over the new limit is refused, under the old one accepted.
    attachments = f"/my-requests/{tid}/attachments/"
    name = f"live-{secrets.token_hex(4)}.txt"
    content = b"a plain text attachment\n" * 100  # 2,400 bytes
    portal.set_param(278, "1000")
    r = portal.post(attachments, {"next": ""}, files={"file": (name, content, "text/plain")})
    assert r.status_code in (200, 302), r.status_code
    assert portal.attachments(name) == 0, "a file over parameter 278 was accepted"
    portal.set_param(278, str(5 * 1024 * 1024))
    r = portal.post(attachments, {"next": ""}, files={"file": (name, content, "text/plain")})
    assert r.status_code == 302, r.status_code
    assert portal.attachments(name) == 1
