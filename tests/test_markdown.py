"""Administrators' Markdown (core/markdown.py): raw HTML is text, the result is sanitised, and the
memoised rendering follows an edited text at once (the text is the key)."""

from __future__ import annotations

from core.markdown import markdown_to_html, markdown_to_text


def test_raw_html_is_text_and_links_are_safe():
    html = markdown_to_html("<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_headings_start_at_h2():
    assert markdown_to_html("# Title").startswith("<h2>")


def test_an_edited_text_renders_anew():
    markdown_to_html.cache_clear()
    first = markdown_to_text("**Maintenance** on Friday")
    assert first == "Maintenance on Friday"
    assert markdown_to_text("**Maintenance** on Friday") is first  # memoised
    assert markdown_to_text("**Maintenance** on Saturday") == "Maintenance on Saturday"
    assert markdown_to_html.cache_info().currsize >= 2
