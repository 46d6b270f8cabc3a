"""The News page's filter form (GET): a category and words of the title."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.forms import SearchFilterForm

from .selectors import SEARCH_MAX_LENGTH, NewsFilters


class NewsFilterForm(SearchFilterForm):
    search_label = _("Search by title")
    search_max_length = SEARCH_MAX_LENGTH
    id_prefix = "news"

    def category_label(self, category) -> str:
        return category.display_title

    def to_filters(self) -> NewsFilters:
        text, category = self.filter_values()
        return NewsFilters(text=text, category=category)
