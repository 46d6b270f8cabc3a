"""News reads for the portal: the one place that decides which news items a user sees.

Published = active, in an active category, dated now or earlier (``News.objects.published()``); the
same rule serves the News page, a news item's page (404 otherwise) and the home page's latest three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from catalog.models import catalog_language_suffix
from core.search import search_words

from .models import News, NewsCategory

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


HOME_LIMIT = 3
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class NewsFilters:
    text: str = ""
    category: int | None = None


def news_category_list_active() -> QuerySet[NewsCategory]:
    return NewsCategory.objects.filter(active=True).order_by("title", "pk")


def news_list_published() -> QuerySet[News]:
    return News.objects.published().select_related("category").order_by("-published_at", "-id")


def news_search(*, user: User | AnonymousUser, filters: NewsFilters | None = None) -> QuerySet[News]:
    """Published news, newest first; optionally one category and the words of ``text`` in the title
    (the default text or the current language's; core.search bounds the words). On PostgreSQL
    trigram indexes serve the title search (migration 0002)."""
    filters = filters or NewsFilters()
    qs = news_list_published()
    if filters.category is not None:
        qs = qs.filter(category_id=filters.category)
    suffix = catalog_language_suffix()
    for word in search_words(filters.text):
        q = Q(title__icontains=word)
        if suffix:
            q |= Q(**{f"title_{suffix}__icontains": word})
        qs = qs.filter(q)
    return qs


def news_get_published(*, user: User | AnonymousUser, pk: int) -> News:
    """A published news item; ``Http404`` for an inactive one, one of an inactive category, or one
    dated in the future."""
    item = news_list_published().filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def news_latest(*, user: User | AnonymousUser | None, limit: int = HOME_LIMIT) -> list[News]:
    return list(news_list_published()[:limit])
