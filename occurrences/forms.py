"""The Occurrence Register form (requirement 000, "Filling in the registration fields")."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Category, Origin

TEXT_MAX_LENGTH = 10_000


class PreloadedModelChoiceField(forms.ModelChoiceField):
    """A model choice validated against records the form has already loaded (``preloaded``:
    ``{str(pk): instance}``), so a POST costs no query per choice; without them, as Django does."""

    preloaded: dict | None = None

    def to_python(self, value):
        if self.preloaded is None or value in self.empty_values:
            return super().to_python(value)
        if isinstance(value, self.queryset.model):
            return value
        obj = self.preloaded.get(str(value))
        if obj is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return obj


class OccurrenceForm(forms.Form):
    """Category, Origin, Occurrence, Notify Responsible.

    ``locked_category`` / ``locked_origin`` (parameters 262 / 263): the field shows that record and is
    disabled; Django then ignores whatever is posted for it and uses the locked record.
    """

    label_suffix = ""

    category = PreloadedModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Select a category")
    )
    origin = PreloadedModelChoiceField(
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

    def __init__(
        self,
        *args,
        categories,
        origins,
        locked_category: Category | None = None,
        locked_origin: Origin | None = None,
        offered: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["origin"].queryset = origins
        for name, locked in (("category", locked_category), ("origin", locked_origin)):
            if locked is not None:
                f = self.fields[name]
                f.initial = locked.pk
                f.disabled = True
                f.help_text = _("Set by the administrator.")
                f.preloaded = {str(locked.pk): locked}
        if offered is not None:
            # The choices offered, already at hand (occurrences.selectors.offered_choices): a POST
            # validates against them with no query.
            for name in ("category", "origin"):
                if not self.fields[name].disabled:
                    self.fields[name].preloaded = offered[name]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template owns <form>, the CSRF token, "next" and the Save button
        self.helper.disable_csrf = True
        self.helper.field_template = "occurrences/_crispy_field.html"
        # Plain names (not ``Field`` objects, which bring their own template) use ``field_template``.
        self.helper.layout = Layout("category", "origin", "text", "notify_responsible")
