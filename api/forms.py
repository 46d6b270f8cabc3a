"""The form of a new personal access token (the API tokens page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    (7, _("7 days")),
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
]


class ApiTokenForm(forms.Form):
    label_suffix = ""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or device that uses it."),
    )
    expires_in = forms.TypedChoiceField(label=_("Expires in"), choices=EXPIRY_CHOICES, coerce=int, initial=30)
