"""``{% news_latest %}``: the latest published news for the portal home (one query)."""

from __future__ import annotations

from django import template

from core.markdown import markdown_to_text

from ..selectors import HOME_LIMIT, news_latest

register = template.Library()


@register.inclusion_tag("news/_latest.html", takes_context=True)
def news_latest_box(context, limit: int = HOME_LIMIT) -> dict[str, object]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"latest_news": news_latest(user=user, limit=limit)}


@register.filter
def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup (list excerpts); escaped when shown."""
    return markdown_to_text(text)
