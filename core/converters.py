"""The one path converter of every id in a URL (``<id:pk>``), registered by ``core.apps``.

Django's ``<id:…>`` takes any run of ASCII digits, so a 20-digit id reached the ORM and the
embedded default's SQLite refused it ("Python int too large to convert": a 500). ``<id:…>``
matches 1 to 19 ASCII digits only and, through :func:`core.ids.parse_id`, refuses 0 and anything
above :data:`core.ids.MAX_ID`: Django answers 404 for such a path, before any view runs.
"""

from __future__ import annotations

from .ids import MAX_ID, parse_id


class IdConverter:
    """A primary key: a positive 64-bit integer written in ASCII digits."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")  # a ValueError here is a 404
        return number

    def to_url(self, value: object) -> str:
        # reverse() refuses what to_python would refuse, so no link to a page that cannot exist.
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"not an id: {value!r}")
        number = value if isinstance(value, int) else parse_id(value)
        if number is None or not 0 < number <= MAX_ID:
            raise ValueError(f"not an id: {value!r}")
        return str(number)
