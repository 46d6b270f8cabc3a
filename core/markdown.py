"""Administrators' texts written in Markdown, rendered to HTML that is safe to show to every user.

Markdown (python-markdown) with raw HTML switched off: HTML the author types (``<script>``) is shown
as text, not interpreted. The result is then cleaned by nh3 (the Rust ``ammonia`` sanitiser) against
a short allow-list as a second line of defence: no script, event handler or ``javascript:`` link
survives, and links get ``rel="noopener noreferrer"``. Plain text is valid Markdown, so a text
written without any markup reads as paragraphs.

Rendering is a pure function of the text, and the same few texts (the news, the notifications) are
shown to every user on every page that lists them: the results are memoised per process (a bounded
LRU keyed by the text itself, so an edited text is a new key and nothing is ever stale).
"""

from __future__ import annotations

import html as html_lib
from functools import lru_cache

import markdown as md  # type: ignore[import-untyped]
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension  # type: ignore[import-untyped]

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _NoRawHtml(Extension):
    """Raw HTML blocks and inline tags are escaped as text (python-markdown has no switch for it)."""

    def extendMarkdown(self, md_: md.Markdown) -> None:
        md_.preprocessors.deregister("html_block")
        md_.inlinePatterns.deregister("html")
        md_.inlinePatterns.deregister("entity")


MEMO_SIZE = 2048  # texts per process (a news description is a few KB)


@lru_cache(maxsize=MEMO_SIZE)
def markdown_to_html(text: str) -> SafeString:
    """Sanitised HTML for ``text`` (Markdown or plain text). Headings start at ``h2``: the page has
    its own ``h1``."""
    html = md.markdown(text or "", extensions=[_NoRawHtml(), "sane_lists", "tables"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308  nh3's allow-list sanitizer has just cleaned it


@lru_cache(maxsize=MEMO_SIZE)
def markdown_to_text(text: str) -> str:
    """The words of ``text`` without markup (list excerpts, e-mail previews); escape it when shown."""
    return " ".join(html_lib.unescape(strip_tags(markdown_to_html(text))).split())
