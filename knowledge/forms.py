"""The Knowledge Portal's forms: the search (GET: words and a category), "Was this helpful?" and a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SearchFilterForm

from .selectors import ArticleFilters
from .services import COMMENT_MAX_LENGTH, RATING_COMMENT_MAX_LENGTH

SEARCH_MAX_LENGTH = 100


class ArticleSearchForm(SearchFilterForm[ArticleFilters]):
    filters_class = ArticleFilters
    search_label = _("Search the knowledge base")
    search_max_length = SEARCH_MAX_LENGTH
    id_prefix = "knowledge"
    category_label_attr = "display_name"


class RatingForm(forms.Form):
    """ "Was this helpful?": the button pressed says Yes or No; the comment is optional."""

    helpful = forms.TypedChoiceField(
        label=_("Was this helpful?"),
        choices=(("yes", _("Yes")), ("no", _("No"))),
        coerce=lambda v: v == "yes",
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=RATING_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Comments are shown to other readers once an administrator accepts them."),
    )
