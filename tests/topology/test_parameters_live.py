"""Parameters changed by ANOTHER process reach every process of the production topology on its
next request or task (parameters.accessors): gunicorn's 2 workers (both must answer, and both
must follow), the Celery worker, with Redis up and with Redis stopped.

The scenario is tests/parameters/live.py, the same one the embedded defaults run
(tests/parameters/test_live_embedded.py). Which worker answered a request is read from its
JSON log line (``pid``)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.parameters.live import LivePortal, check_changes_are_followed, parameter_set
from tools.bench.procs import wait_for

from .conftest import Browser, marker, psql, register_occurrence

pytestmark = [pytest.mark.integration, pytest.mark.topology, pytest.mark.timeout(300)]

SCENARIO_PARAMS = (118, 252, 253, 264, 278, 292, 301, 302)


class BothWorkers:
    """``pages(path)``: requests sent two at a time (two sync workers cannot both be busy with
    one), repeated until both worker processes have answered one; every response is returned."""

    def __init__(self, topology, browser: Browser):
        self.topology, self.browser = topology, browser
        self.web = topology.procs[0]

    def _pids_since(self, offset: int, path: str) -> set[int]:
        pids = set()
        for line in self.web.log_text()[offset:].splitlines():
            if '"smartportal.request"' in line:
                entry = json.loads(line)
                if entry.get("path") == path.split("?")[0]:
                    pids.add(entry["pid"])
        return pids

    def pages(self, path: str) -> list:
        responses: list = []
        offset = len(self.web.log_text())
        with ThreadPoolExecutor(2) as pool:
            for _ in range(15):
                responses += pool.map(lambda _: self.browser.get(path, allow_redirects=False), range(2))
                if len(self._pids_since(offset, path)) >= 2:
                    return responses
        raise AssertionError(f"only one gunicorn worker answered {path}:\n{self.topology.logs()}")


def _stored(topology) -> dict[int, str]:
    rows = psql(
        topology.db_url,
        "SELECT number, value FROM parameters_parametervalue WHERE number = ANY(%s)",
        (list(SCENARIO_PARAMS),),
    )
    return dict(rows)


def _restore(topology, before: dict[int, str]) -> None:
    """The session's database is shared by the topology tests: the values found are put back."""
    psql(
        topology.db_url,
        "DELETE FROM parameters_parametervalue WHERE number = ANY(%s)",
        (list(SCENARIO_PARAMS),),
    )
    for number, value in before.items():
        psql(
            topology.db_url,
            "INSERT INTO parameters_parametervalue (number, value, updated_at) VALUES (%s, %s, now())",
            (number, value),
        )


def _portal(topology, browser: Browser) -> LivePortal:
    category, origin = topology.form_ids()
    [(activity,)] = psql(topology.db_url, "SELECT id FROM catalog_activity ORDER BY id LIMIT 1")
    return LivePortal(
        pages=BothWorkers(topology, browser).pages,
        post=browser.post,
        set_param=lambda number, value: parameter_set(topology.env, number, value),
        occurrences=topology.occurrences,
        attachments=lambda name: psql(
            topology.db_url, "SELECT count(*) FROM tickets_attachment WHERE original_name = %s", (name,)
        )[0][0],
        ticket_id=topology.ticket_id(),
        category=category,
        origin=origin,
        activity=activity,
    )


def test_both_web_workers_and_the_celery_worker_follow_changes_at_once(topology):
    topology.start_redis()
    topology.sink.start()
    topology.start_web()
    topology.start_worker()
    before = _stored(topology)
    browser = Browser(topology.base)
    browser.login()
    try:
        portal = _portal(topology, browser)
        [(contract,)] = psql(topology.db_url, "SELECT id FROM catalog_contract ORDER BY id LIMIT 1")
        portal.set_param(118, str(contract))  # the request form of the scenario needs the contract
        portal.pages("/my-requests/")  # both workers have served the user before the first change
        check_changes_are_followed(portal)

        # The Celery worker: parameter 253 names the template of the e-mail to the responsible.
        # Changed by a raw SQL UPDATE (no service, no signal, no cache flush): the next task follows.
        category, origin = topology.form_ids()
        first = marker("param-253-set")
        assert register_occurrence(browser, portal.ticket_id, category, origin, first).status_code == 302
        wait_for(
            lambda: topology.outbox(first), timeout=60, what=lambda: f"the worker's rows\n{topology.logs()}"
        )
        psql(topology.db_url, "UPDATE parameters_parametervalue SET value = '' WHERE number = 253")
        second = marker("param-253-empty")
        assert register_occurrence(browser, portal.ticket_id, category, origin, second).status_code == 302
        wait_for(
            lambda: topology.occurrences(second) == 1 and topology.emails_pending(second) == 0,
            timeout=60,
            what=lambda: f"the worker to take the second occurrence\n{topology.logs()}",
        )
        assert topology.outbox(second) == {}, "the worker used template 253 after it was emptied"
    finally:
        _restore(topology, before)


def test_with_redis_stopped_a_change_is_followed_by_the_next_request(topology):
    """The bound is the same with Redis down: the next request (no parameter is read from Redis)."""
    topology.start_redis()
    topology.start_web()
    before = _stored(topology)
    browser = Browser(topology.base)
    browser.login()
    try:
        portal = _portal(topology, browser)
        row = f"/my-requests/?situation=all&search={portal.ticket_id}"
        portal.set_param(252, "Y")
        assert all(f"/my-requests/{portal.ticket_id}/occurrences/new/" in t for t in portal.texts(row))
        topology.stop_redis()
        portal.set_param(252, "N")
        assert not any(f"/my-requests/{portal.ticket_id}/occurrences/new/" in t for t in portal.texts(row))
        tag = marker("redis-down")
        category, origin = portal.category, portal.origin
        assert register_occurrence(browser, portal.ticket_id, category, origin, tag).status_code == 302
        assert topology.occurrences(tag) == 0, "the POST was accepted with 252 off while Redis was down"
        psql(topology.db_url, "UPDATE parameters_parametervalue SET value = 'Y' WHERE number = 252")
        assert all(f"/my-requests/{portal.ticket_id}/occurrences/new/" in t for t in portal.texts(row))
    finally:
        _restore(topology, before)
