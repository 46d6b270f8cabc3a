"""The Knowledge Portal's search form (GET): words and a category."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import ArticleFilters

SEARCH_MAX_LENGTH = 100


class ArticleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the knowledge base"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "autocomplete": "off"}),
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, categories, **kwargs):
        kwargs.setdefault("auto_id", "knowledge-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("All categories"))] + [
            (c.pk, c.display_name) for c in categories
        ]

    def to_filters(self) -> ArticleFilters:
        """The valid part of the query: a wrong category or a too long text is ignored, not an error page."""
        if self.is_valid():
            return ArticleFilters(text=self.cleaned_data["q"].strip(), category=self.cleaned_data["category"])
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return ArticleFilters(text=(data.get("q") or "").strip(), category=data.get("category"))
