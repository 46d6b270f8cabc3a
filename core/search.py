"""The words of a search box, shared by every search of the portal (catalog, knowledge)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

SEARCH_MAX_WORDS = 8
# Longer words are cut: no real word is longer, and each word becomes a LIKE pattern, which costs
# every row a scan of its length (SQLite refuses one past 50,000 bytes: "pattern too complex").
SEARCH_WORD_MAX_LENGTH = 40
_BLANK_SEPARATED = re.compile(r"\S+")


def words_of(text: str | None, pattern: re.Pattern[str] = _BLANK_SEPARATED) -> Iterator[str]:
    """The words of ``text`` (matches of ``pattern``), one at a time, each cut to
    ``SEARCH_WORD_MAX_LENGTH`` characters: every search and suggestion reads its words here."""
    for match in pattern.finditer(text or ""):
        yield match.group()[:SEARCH_WORD_MAX_LENGTH]


def search_words(text: str | None, *, limit: int = SEARCH_MAX_WORDS) -> list[str]:
    """The blank-separated words of ``text``, at most ``limit`` of them (each becomes a condition of
    the query, so their number is bounded), each of bounded length (``words_of``)."""
    return list(islice(words_of(text), limit))
