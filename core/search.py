"""The words of a search box, shared by every search of the portal (catalog, knowledge)."""

from __future__ import annotations

SEARCH_MAX_WORDS = 8


def search_words(text: str | None, *, limit: int = SEARCH_MAX_WORDS) -> list[str]:
    """The blank-separated words of ``text``, at most ``limit`` of them (each becomes a condition of
    the query, so their number is bounded)."""
    return [w for w in (text or "").split() if w][:limit]
