"""The Knowledge Portal's search form (GET): words and a category."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.forms import SearchFilterForm

from .selectors import ArticleFilters

SEARCH_MAX_LENGTH = 100


class ArticleSearchForm(SearchFilterForm):
    search_label = _("Search the knowledge base")
    search_max_length = SEARCH_MAX_LENGTH
    id_prefix = "knowledge"

    def category_label(self, category) -> str:
        return category.display_name

    def to_filters(self) -> ArticleFilters:
        text, category = self.filter_values()
        return ArticleFilters(text=text, category=category)
