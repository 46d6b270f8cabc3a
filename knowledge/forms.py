"""The Knowledge Portal's search form (GET): words and a category."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.forms import SearchFilterForm

from .selectors import ArticleFilters

SEARCH_MAX_LENGTH = 100


class ArticleSearchForm(SearchFilterForm[ArticleFilters]):
    filters_class = ArticleFilters
    search_label = _("Search the knowledge base")
    search_max_length = SEARCH_MAX_LENGTH
    id_prefix = "knowledge"
    category_label_attr = "display_name"
