"""The News page's filter form (GET): a category and words of the title."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_MAX_LENGTH, NewsFilters


class NewsFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by title"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "maxlength": SEARCH_MAX_LENGTH,
            }
        ),
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, categories, **kwargs):
        kwargs.setdefault("auto_id", "news-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("All categories"))] + [
            (c.pk, c.display_title) for c in categories
        ]

    def to_filters(self) -> NewsFilters:
        """The valid part of the query: an unknown category or a too long text is ignored, not an error."""
        if self.is_valid():
            return NewsFilters(text=self.cleaned_data["q"].strip(), category=self.cleaned_data["category"])
        data = getattr(self, "cleaned_data", {})
        return NewsFilters(text=(data.get("q") or "").strip(), category=data.get("category"))
