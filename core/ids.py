"""Ids typed in a URL's query string or a form's hidden field, read before they reach a query."""

from __future__ import annotations

# Every primary key is a 64-bit signed integer (BigAutoField): a larger number matches no row, and
# some drivers refuse it outright (SQLite: "Python int too large to convert").
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The positive id ``value`` spells in ASCII digits, else None. ``str.isdigit`` alone is not
    enough: it accepts superscripts ("²"), which ``int()`` refuses, and other scripts' digits."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
