"""The load of ``make loadtest`` and of its CI version (tests/topology/test_capacity.py runs Locust
headless on this file; it is not a test module).

``LOAD_DATA`` names a JSON file written by the test: one entry per account (a session key made
server-side, its own tickets, the In Progress ones with a responsible for Register occurrence,
whether it is an approver), plus the activity to open requests on and the occurrence form's ids.

- :class:`Portal` users (``LOAD_USERS`` of them) browse with think time (``LOAD_THINK`` "min,max"
  seconds): home, catalog, My Requests with filters, Description and occurrences of their own
  tickets, Register occurrence (Notify Responsible: one e-mail each), notifications, and Approvals
  for approvers.
- :class:`Opener` users (``LOAD_OPENERS``) open requests at ``LOAD_RATE`` per minute in all.

Every response is checked (status, and a logged-in page: the user menu), so a lost session or a
redirect to the login page counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import threading

from locust import HttpUser, constant_pacing, events, task
from locust.exception import StopUser

DATA = json.loads(open(os.environ["LOAD_DATA"]).read())  # noqa: SIM115 - read once at import
THINK_MIN, THINK_MAX = (float(x) for x in os.environ.get("LOAD_THINK", "5,15").split(","))
OPENERS = int(os.environ.get("LOAD_OPENERS", "2"))
RATE = float(os.environ.get("LOAD_RATE", "100"))  # requests opened per minute, in all
TAG = os.environ.get("LOAD_TAG", "[load]")
LOGGED_IN = 'id="user-menu"'

_accounts = itertools.cycle(DATA["users"])
_openers = itertools.cycle(DATA["openers"])
_lock = threading.Lock()

FILTERS = [
    "",
    "?situation=all",
    "?situation=in_progress",
    "?situation=closed",
    "?search=printer",
    "?situation=all&sort=priority",
    "?page=2",
    "?situation=all&search=vpn",
]


def _think(_user) -> float:
    return random.uniform(THINK_MIN, THINK_MAX)


class _Session(HttpUser):
    abstract = True

    def _login(self, account: dict) -> None:
        self.account = account
        self.csrf = secrets.token_hex(16)
        self.client.cookies.set("sessionid", account["session"])
        self.client.cookies.set("csrftoken", self.csrf)

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")
            elif LOGGED_IN not in r.text:
                r.failure("not logged in")

    def post(self, path: str, data: dict, name: str) -> bool:
        data = {"csrfmiddlewaretoken": self.csrf, **data}
        with self.client.post(path, data=data, name=name, allow_redirects=False, catch_response=True) as r:
            location = r.headers.get("Location", "")
            if r.status_code != 302 or "/accounts/login/" in location:
                r.failure(f"{r.status_code} {location} {r.text[:200] if r.status_code != 302 else ''}")
                return False
            return True


class Portal(_Session):
    wait_time = _think
    weight = 1

    def on_start(self) -> None:
        with _lock:
            self._login(next(_accounts))

    @task(3)
    def home(self) -> None:
        self.page("/", "home")

    @task(2)
    def catalog(self) -> None:
        self.page("/catalog/", "catalog")

    @task(5)
    def my_requests(self) -> None:
        self.page("/my-requests/" + random.choice(FILTERS), "my-requests")

    @task(3)
    def description(self) -> None:
        self.page(f"/my-requests/{random.choice(self.account['tickets'])}/", "description")

    @task(2)
    def occurrences(self) -> None:
        self.page(f"/my-requests/{random.choice(self.account['tickets'])}/occurrences/", "occurrences")

    @task(1)
    def register_occurrence(self) -> None:
        if not self.account["register"]:
            return
        ticket = random.choice(self.account["register"])
        data = {
            "category": DATA["category"],
            "origin": DATA["origin"],
            "text": f"{TAG} {self.account['username']} {secrets.token_hex(4)}",
            "notify_responsible": "on",
            "next": "",
        }
        self.post(f"/my-requests/{ticket}/occurrences/new/", data, "register-occurrence")

    @task(2)
    def notifications(self) -> None:
        self.page("/notifications/", "notifications")

    @task(2)
    def approvals(self) -> None:
        if self.account["approver"]:
            self.page("/approvals/", "approvals")
        else:
            self.page("/my-requests/" + random.choice(FILTERS), "my-requests")


class Opener(_Session):
    """Opens requests at LOAD_RATE per minute in all (each of the OPENERS at RATE / OPENERS)."""

    fixed_count = OPENERS
    wait_time = constant_pacing(60.0 * OPENERS / RATE) if RATE > 0 else constant_pacing(3600)

    def on_start(self) -> None:
        if RATE <= 0:
            raise StopUser()
        with _lock:
            self._login(next(_openers))

    @task
    def open_request(self) -> None:
        data = {"title": f"{TAG} printer request {secrets.token_hex(3)}", "description": "Opened under load."}
        self.post(f"/catalog/activity/{DATA['activity']}/new/", data, "open-request")


@events.quitting.add_listener
def _exit_code(environment, **_kw) -> None:
    # The test reads the CSV files and decides; Locust's own exit code stays 0.
    environment.process_exit_code = 0
