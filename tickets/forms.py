"""Ticket forms: My Requests filters (parsed from the query string, bookmarkable, every value
whitelisted), the forms of the ticket's actions, and the request/incident form that opens a ticket
(:class:`RequestForm`, its service is :mod:`tickets.services.opening`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import FilterFieldsMixin
from core.uploads import validate_upload
from parameters.uploads import upload_rules
from questionnaires.forms import QuestionnaireFieldsMixin
from questionnaires.selectors import questionnaire_questions

from .models import Situation
from .selectors import ASC, DEFAULT_SORT, DESC, TicketListFilters

ALL_SITUATIONS = "all"
PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
SEARCH_MAX_LENGTH = 200

SORT_CHOICES = [
    ("ticket", _("Ticket")),
    ("type", _("Type")),
    ("service", _("Service")),
    ("activity", _("Incident/Request")),
    ("created", _("Created on")),
    ("task", _("Task")),
    ("group", _("Current group")),
    ("situation", _("Situation")),
    ("time_limit", _("Time limit")),
    ("sla_status", _("SLA status")),
    ("priority", _("Priority")),
]

# Query-string keys of the My Requests page; a "return to the list" value keeps only these.
LIST_QUERY_KEYS = ("scope", "search", "situation", "sort", "order", "per_page", "page")
# "Show" of My Requests (issue 27): the user's own requests, or those shared with them.
SCOPE_MINE, SCOPE_SHARED = "mine", "shared"


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


class MyRequestsFilterForm(FilterFieldsMixin, forms.Form):
    """The GET form of My Requests. Build it with :meth:`from_query`: an unknown or invalid value of
    any field is replaced by that field's default instead of producing an error."""

    label_suffix = ""  # labels read exactly "Search", "Situation", "Sort by", "Order"
    _defaults: dict[str, str]  # set by from_query

    search = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": _("Number, title, description, service…"),
            }
        ),
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        widget=_select(),
        choices=[(SCOPE_MINE, _("My requests")), (SCOPE_SHARED, _("Shared with me"))],
    )
    situation = forms.ChoiceField(
        label=_("Situation"),
        required=False,
        widget=_select(),
        choices=[(ALL_SITUATIONS, _("All situations")), *Situation.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=_select())
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        widget=_select(),
        choices=[(ASC, _("Ascending")), (DESC, _("Descending"))],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        widget=_select(),
        choices=[(n, str(n)) for n in PER_PAGE_CHOICES],
    )

    @classmethod
    def defaults(cls, *, preselect_in_progress: bool) -> dict[str, str]:
        return {
            "search": "",
            "situation": Situation.IN_PROGRESS.value if preselect_in_progress else ALL_SITUATIONS,
            "sort": DEFAULT_SORT,
            "order": DESC,
            "scope": SCOPE_MINE,
            "per_page": str(DEFAULT_PER_PAGE),
        }

    @classmethod
    def from_query(cls, query: QueryDict, *, preselect_in_progress: bool) -> MyRequestsFilterForm:
        """A bound, always valid form: each value of ``query`` that its field accepts, else the default.

        ``preselect_in_progress`` (parameter 264) only changes the default of Situation: an explicit
        ``situation=all`` in the query string still lists every situation.
        """
        defaults = cls.defaults(preselect_in_progress=preselect_in_progress)
        data = {}
        for name, field in cls.base_fields.items():
            raw = query.get(name)
            if raw is None:
                data[name] = defaults[name]
                continue
            if name == "search":
                raw = raw.strip()[:SEARCH_MAX_LENGTH]
            try:
                field.clean(raw)
            except ValidationError:
                raw = defaults[name]
            data[name] = raw if raw != "" or name == "search" else defaults[name]
        form = cls(data=data)
        form.full_clean()
        form._defaults = defaults
        return form

    # --- what the view needs -------------------------------------------------------------------
    def to_filters(self) -> TicketListFilters:
        cd = self.cleaned_data
        situation = cd["situation"]
        return TicketListFilters(
            search=cd["search"],
            situation=None if situation == ALL_SITUATIONS else situation,
            sort=cd["sort"],
            order=cd["order"],
            shared=cd["scope"] == SCOPE_SHARED,
        )

    @property
    def page_size(self) -> int:
        return self.cleaned_data["per_page"]

    @property
    def narrows(self) -> bool:
        """Whether the filters can hide some of the user's tickets (search or one situation)."""
        return bool(self.cleaned_data["search"]) or self.cleaned_data["situation"] != ALL_SITUATIONS


def clean_list_query(raw: str | None) -> str:
    """The My Requests query string to return to, reduced to its own keys.

    Used for the ``next`` value the row actions carry: only a query string is ever accepted, and the
    redirect target is always ``reverse("tickets:my-requests")`` + it, so it cannot point elsewhere.
    """
    if not raw:
        return ""
    src = QueryDict(raw.lstrip("?")[:2000])
    out = QueryDict(mutable=True)
    for key in LIST_QUERY_KEYS:
        value = src.get(key)
        if value is not None:
            out[key] = value[:SEARCH_MAX_LENGTH]
    return out.urlencode()


def my_requests_url(list_query: str = "") -> str:
    url = reverse("tickets:my-requests")
    return f"{url}?{list_query}" if list_query else url


# --- row actions ----------------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_upload(f, upload_rules())  # raises ValidationError with the reason
        return f


class ReasonForm(forms.Form):
    """Cancel / Reopen confirmation: an optional reason, written to the system occurrence."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Opinion"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"})
    )

    def __init__(self, *args, **kwargs):
        from .models import Opinion

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = Opinion.Kind.choices


class SurveyForm(forms.Form):
    evaluation = forms.ChoiceField(label=_("Evaluation"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment/Suggestion of improvement"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    reopen = forms.BooleanField(label=_('Reopen the ticket (with "Not attended")'), required=False)

    def __init__(self, *args, choices, offer_reopen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["evaluation"]).choices = choices
        if not offer_reopen:
            del self.fields["reopen"]


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


# --- opening a request or an incident (tickets.services.opening) ---------------------------------

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


class CopySearchForm(forms.Form):
    """The search of colleagues to put in copy, on a ticket's Description page (GET)."""

    label_suffix = ""

    copy_search = forms.CharField(
        label=_("Find a colleague"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Part of a name of a colleague of your unit."),
    )


class ColleaguesField(forms.ModelMultipleChoiceField):
    """People in copy: colleagues shown by name (``tickets.access.copy_candidates``)."""

    def label_from_instance(self, obj) -> str:
        return obj.display_name


class RequestForm(QuestionnaireFieldsMixin, forms.Form):
    """Title, Description and — when the activity asks — Impact and Urgency; then the questions of
    the activity's questionnaire (issue 27), required ones checked here on the server (a condition
    that hides a question makes it not required: questionnaires/conditions.py)."""

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

    def __init__(self, *args, activity, with_attachments: bool = True, copy_candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if not with_attachments:  # Smartbox items keep no attachments
            del self.fields["attachments"]
        if with_attachments and copy_candidates is not None:  # not for a Smartbox item
            self.fields["copies"] = ColleaguesField(
                label=_("People in copy"),
                required=False,
                queryset=copy_candidates,
                widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
                help_text=_("Optional. Colleagues of your unit who follow this request and get its e-mails."),
            )
        if activity.asks_impact_urgency:
            self.fields["impact"].help_text = _("How much of the work is affected.")
            self.fields["urgency"].help_text = _(
                "How soon it must be solved. The priority is the average of impact and urgency."
            )
        else:
            del self.fields["impact"], self.fields["urgency"]
        questions = (
            questionnaire_questions(questionnaire_id=activity.questionnaire_id)
            if activity.questionnaire_id
            else []
        )
        self.add_questions(questions)

    def clean(self):
        return self.clean_questions(super().clean() or {})

    # The page draws the questionnaire's groups between the request's own fields and its attachments.
    AFTER_QUESTIONS = ("attachments", "copies")

    def fields_before_questions(self):
        names = self.question_names
        return [self[n] for n in self.fields if n not in names and n not in self.AFTER_QUESTIONS]

    def fields_after_questions(self):
        return [self[n] for n in self.AFTER_QUESTIONS if n in self.fields]
