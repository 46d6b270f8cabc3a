"""Portal forms of the catalog: a service evaluation. The request/incident form is
:class:`tickets.forms.RequestForm` (opening a request: :mod:`tickets.services.opening`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EvaluationForm(forms.Form):
    label_suffix = ""

    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (1, _("1 star")),
            (2, _("2 stars")),
            (3, _("3 stars")),
            (4, _("4 stars")),
            (5, _("5 stars")),
        ],
    )
    review = forms.CharField(
        label=_("Review (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
