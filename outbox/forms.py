"""The Notification preferences form: one checkbox per optional kind of e-mail."""

from __future__ import annotations

from django import forms

from .models import EmailKind


class PreferencesForm(forms.Form):
    def __init__(self, *args, initial_choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in EmailKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, initial=initial_choices.get(kind.value, True)
            )
