"""The News page's filter form (GET): a category and words of the title."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.forms import SearchFilterForm

from .selectors import SEARCH_MAX_LENGTH, NewsFilters


class NewsFilterForm(SearchFilterForm[NewsFilters]):
    filters_class = NewsFilters
    search_label = _("Search by title")
    search_max_length = SEARCH_MAX_LENGTH
    id_prefix = "news"
    category_label_attr = "display_title"
