"""The administrator's form for one numbered parameter, built from its kind."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import Kind, Param

# Above this many target records an id parameter is typed instead of picked from a list.
MAX_ID_CHOICES = 300


class ParameterForm(forms.Form):
    """One ``value`` field. Input is validated by :meth:`Param.clean` (the registry's typed rules),
    so the screen accepts exactly what ``parameter_set(..., raw=True)`` accepts."""

    value = forms.CharField(label=_("Value"), required=False, strip=True)

    def __init__(self, *args, param: Param, current: str = "", **kwargs):
        self.param, self.current = param, current
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        field.help_text = str(param.help)
        if param.kind is Kind.FLAG:
            # A CharField with a select (not a ChoiceField), so that anything posted is judged by
            # Param.clean and answered with its message.
            field.widget = forms.Select(choices=[("Y", _("Y — yes")), ("N", _("N — no"))])
        elif param.kind is Kind.ID:
            model = param.target_model()
            qs = model._default_manager.all()
            if qs.count() <= MAX_ID_CHOICES:
                choices = [("", _("— empty —"))] + [(str(o.pk), f"{o.pk} — {o}") for o in qs]
                field.widget = forms.Select(choices=choices)
            else:
                field.widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 10})
                field.help_text = _("The id of a %(model)s, or empty.") % {"model": model._meta.verbose_name}
        elif param.kind is Kind.NUMBER:
            field.widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 12})
        elif param.is_secret:
            # Write-only: the stored value is never sent to the browser; empty keeps it.
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            field.help_text = _("Write-only: the stored value is never shown. Leave empty to keep it.")
            self.fields["clear"] = forms.BooleanField(label=_("Clear the stored value"), required=False)
        else:
            field.widget = forms.TextInput(attrs={"size": 60})

    def clean_value(self) -> str:
        raw = self.cleaned_data.get("value") or ""
        self.param.clean(raw)  # raises ValidationError with the registry's message
        return raw

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.param.is_secret and not data.get("value") and not data.get("clear"):
            data["value"] = self.current  # nothing typed: the stored secret stays
        return data
