"""The Occurrence Register form (the page is occurrences/views.py): category, origin, text,
Notify Responsible."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.models import Category, Origin

from .selectors import category_choices, locked_category, locked_origin, origin_choices

TEXT_MAX_LENGTH = 10_000


class OccurrenceForm(forms.Form):
    """Category, Origin, Occurrence, Notify Responsible.

    The choices are the active records, read with the form (:mod:`occurrences.selectors`), and
    validated by Django against those querysets. Parameters 262 / 263 (an existing, active record)
    pre-fill and disable Category / Origin: Django then ignores whatever is posted for them.
    """

    label_suffix = ""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Select a category")
    )
    origin = forms.ModelChoiceField(
        label=_("Origin"), queryset=Origin.objects.none(), empty_label=_("Select an origin")
    )
    text = forms.CharField(
        label=_("Occurrence"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    notify_responsible = forms.BooleanField(
        label=_("Notify Responsible"),
        required=False,
        help_text=_("Sends an e-mail about this occurrence to the person responsible for the ticket."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_choices()
        self.fields["origin"].queryset = origin_choices()
        for name, locked in (("category", locked_category()), ("origin", locked_origin())):
            if locked is not None:
                f = self.fields[name]
                f.initial = locked.pk
                f.disabled = True
                f.help_text = _("Set by the administrator.")
