"""The subscription form of the admin: events as checkboxes, the target checked by its one rule
(webhooks/targets.py) when it is saved; the send checks it again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event, Subscription
from .targets import TargetRefused, target_check


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=Subscription._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        label=_("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ("name", "url", "events", "active")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            target_check(url, resolve=True)
        except TargetRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return url
