"""The Chat page's start form: Catalog → Service → Request/Incident, among what is available via chat.

All three lists are rendered with every choice; static/js/chat-start.js narrows the service and
activity lists to the chosen catalog and service (without JavaScript every choice stays listed and
:meth:`ChatStartForm.clean` refuses a combination that does not belong together)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Activity
from tickets.services.messages import MAX_MESSAGE_LENGTH


class DependentSelect(forms.Select):
    """A list whose options each name their parent option (``data-parent``), for chat-start.js."""

    def __init__(self, *, level: str, parent_id: str = "", parents: dict | None = None):
        attrs = {"data-chat-level": level}
        if parent_id:
            attrs["data-chat-parent"] = parent_id
        super().__init__(attrs)
        self.parents = parents or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.parents:
            option["attrs"]["data-parent"] = self.parents[value]
        return option


class ChatStartForm(forms.Form):
    portfolio = forms.TypedChoiceField(
        label=_("Catalog"), coerce=int, required=False, widget=DependentSelect(level="portfolio")
    )
    service = forms.TypedChoiceField(
        label=_("Service"),
        coerce=int,
        required=False,
        widget=DependentSelect(level="service", parent_id="id_portfolio"),
    )
    activity = forms.TypedChoiceField(
        label=_("Request/Incident"),
        coerce=int,
        required=False,
        widget=DependentSelect(level="activity", parent_id="id_service"),
    )
    text = forms.CharField(
        label=_("Your message (optional)"),
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, activities: Sequence[Activity], **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {a.pk: a for a in activities}
        portfolios: dict[int, str] = {}
        services: dict[int, tuple[str, int]] = {}
        for a in activities:
            portfolios.setdefault(a.service.portfolio_id, a.service.portfolio.display_name)
            services.setdefault(a.service_id, (a.service.display_name, a.service.portfolio_id))
        empty = [("", _("Choose…"))]
        choices = {
            "portfolio": empty + list(portfolios.items()),
            "service": empty + [(pk, name) for pk, (name, _p) in services.items()],
            "activity": empty + [(a.pk, a.display_name) for a in activities],
        }
        for name, options in choices.items():
            cast(forms.TypedChoiceField, self.fields[name]).choices = options
        # The parent of each option, for the dependent lists (data-parent on each option).
        cast(DependentSelect, self.fields["service"].widget).parents = {
            pk: parent for pk, (_name, parent) in services.items()
        }
        cast(DependentSelect, self.fields["activity"].widget).parents = {
            a.pk: a.service_id for a in activities
        }

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.data.get("direct"):
            data["activity_obj"] = None
            return data
        activity = self.activities.get(data.get("activity") or 0)
        if activity is None:
            self.add_error("activity", _("Choose the request or incident to talk about."))
            return data
        if data.get("service") and data["service"] != activity.service_id:
            self.add_error("activity", _("This request does not belong to the chosen service."))
        if data.get("portfolio") and data["portfolio"] != activity.service.portfolio_id:
            self.add_error("service", _("This service does not belong to the chosen catalog."))
        data["activity_obj"] = activity
        return data


class ChatMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
