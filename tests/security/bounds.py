"""Over-long input, as an attacker or a paste gone wrong sends it (issue 11): one word longer than
SQLite's LIKE pattern limit (50,000), and ten thousand words."""

from __future__ import annotations

LONG_WORD = "x" * 50_001
MANY_WORDS = " ".join(f"word{i}" for i in range(10_000))
OVER_LONG = [LONG_WORD, MANY_WORDS]
# A form error (the page again), a redirect with the reason, or a client error; never a 5xx.
REFUSED = {200, 302, 400, 403, 404, 413}


def assert_refused(response) -> None:
    assert response.status_code in REFUSED, response.status_code
