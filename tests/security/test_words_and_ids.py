"""The two readers of raw input that every search and id lookup goes through (core.search, core.ids)."""

from __future__ import annotations

import pytest

from core.ids import MAX_ID, parse_id
from core.search import SEARCH_MAX_WORDS, SEARCH_WORD_MAX_LENGTH, search_words


def test_search_words_are_few_and_short():
    assert search_words("  printer   jam ") == ["printer", "jam"]
    assert search_words(None) == []
    assert search_words(" ".join(str(i) for i in range(1000))) == [str(i) for i in range(SEARCH_MAX_WORDS)]
    assert search_words("x" * 50_001) == ["x" * SEARCH_WORD_MAX_LENGTH]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("\u0661", None),  # ARABIC-INDIC DIGIT ONE
        ("4.2", None),
        ("", None),
        (None, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
    ],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_admin_ticket_search_with_odd_digits(client_as, admin_user):
    for term in ["²", "#²", "9" * 40]:
        assert client_as(admin_user).get("/admin/tickets/ticket/", {"q": term}).status_code == 200
