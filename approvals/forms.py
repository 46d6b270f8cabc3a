"""Approvals forms: the list filters (My Requests' without Situation), the decision, an absence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tickets.forms import MyRequestsFilterForm
from tickets.selectors import TicketListFilters

from .models import Decision
from .selectors import justification_choices

if TYPE_CHECKING:
    from accounts.models import User

APPROVED, NOT_APPROVED = Decision.Result.APPROVED.value, Decision.Result.NOT_APPROVED.value
TEXT_MAX_LENGTH = 4000


class ApprovalFilterForm(MyRequestsFilterForm):
    """Search, Sort by, Order (and Per page): every ticket listed awaits approval."""

    situation = None  # type: ignore[assignment]

    def to_filters(self) -> TicketListFilters:
        cd = self.cleaned_data
        return TicketListFilters(search=cd["search"], sort=cd["sort"], order=cd["order"])

    @property
    def narrows(self) -> bool:
        return bool(self.cleaned_data["search"])


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class DecisionForm(forms.Form):
    """Approved / Not approved; Observations optional; Not approved needs a Justification (one of
    those registered in the admin) and a Justification complement."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVED, _("Approved")), (NOT_APPROVED, _("Not approved"))],
    )
    observations = forms.CharField(
        label=_("Observations"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea()
    )
    justification = forms.ModelChoiceField(
        label=_("Justification"),
        queryset=justification_choices(),
        required=False,
        empty_label=_("Choose a justification"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    justification_complement = forms.CharField(
        label=_("Justification complement"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea()
    )

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("decision") == NOT_APPROVED:
            if not cd.get("justification"):
                self.add_error("justification", _("Choose the justification of a Not approved."))
            if not (cd.get("justification_complement") or "").strip():
                self.add_error("justification_complement", _("Write the justification complement."))
        return cd

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == APPROVED


class LinkDecisionForm(DecisionForm):
    """The e-mailed link's page: the pressed button (Approve / Reject) is the decision."""

    decision = forms.ChoiceField(
        choices=[(APPROVED, _("Approve")), (NOT_APPROVED, _("Reject"))], widget=forms.HiddenInput
    )


class AbsenceForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"})
    )
    ends_at = forms.DateTimeField(
        label=_("To"), widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"})
    )
    substitute = forms.CharField(
        label=_("Substitute"),
        max_length=150,
        help_text=_("The user name or e-mail address of who decides your approvals while you are away."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_substitute(self) -> Any:
        raw = self.cleaned_data["substitute"].strip()
        User = get_user_model()
        found = User.objects.filter(is_active=True).filter(username__iexact=raw).first()
        if found is None and "@" in raw:
            matches = list(User.objects.filter(is_active=True, email__iexact=raw)[:2])
            found = matches[0] if len(matches) == 1 else None
        if found is None:
            raise forms.ValidationError(_("There is no active user with that user name or e-mail address."))
        if found.pk == self.user.pk:
            raise forms.ValidationError(_("Choose someone else as your substitute."))
        return found

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("starts_at") and cd.get("ends_at") and cd["ends_at"] <= cd["starts_at"]:
            self.add_error("ends_at", _("The absence must end after it starts."))
        return cd
