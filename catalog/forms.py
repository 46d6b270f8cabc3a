"""Portal forms of the catalog: a request/incident (docs/domain.md) and a service evaluation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_upload
from parameters.uploads import upload_rules

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000

# Impact and urgency: 1 is the highest, as priorities are.
LEVELS = [
    ("", _("Select")),
    (1, _("1 — Very high")),
    (2, _("2 — High")),
    (3, _("3 — Medium")),
    (4, _("4 — Low")),
    (5, _("5 — Very low")),
]


MAX_ATTACHMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by :func:`core.uploads.validate_upload`
    (size: parameter 278, extensions: parameter 318, real content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
        errors = []
        rules = upload_rules()
        for f in files:
            super().clean(f, initial)
            try:
                validate_upload(f, rules)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class RequestForm(forms.Form):
    """Title, Description and — when the activity asks — Impact and Urgency."""

    label_suffix = ""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("Optional. You may choose several files.")
    )
    impact = forms.TypedChoiceField(label=_("Impact"), choices=LEVELS, coerce=int, empty_value=None)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=LEVELS, coerce=int, empty_value=None)

    def __init__(self, *args, activity, with_attachments: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if not with_attachments:  # Smartbox items keep no attachments
            del self.fields["attachments"]
        if activity.asks_impact_urgency:
            self.fields["impact"].help_text = _("How much of the work is affected.")
            self.fields["urgency"].help_text = _(
                "How soon it must be solved. The priority is the average of impact and urgency."
            )
        else:
            del self.fields["impact"], self.fields["urgency"]


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
