"""The answer form, built from a questionnaire's questions (one field per question, ``q<id>``), for a
campaign's page and for an activity's request form (issue 27).

Conditions are decided here, on the server: a question whose condition is not met
(``Question.shown_if_question`` / ``shown_if_value``, and every question that depends on a hidden one)
is hidden, so it is neither required nor kept; a shown required question left empty is refused with
the message at its field, whatever the browser did. static/js/questionnaire-conditions.js only shows
and hides the same questions while the person answers; without it every question is shown.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from .conditions import hidden_questions
from .models import NO, RATING_VALUES, YES, Question, format_number, yes_no_label

SHORT_TEXT_MAX = 255
LONG_TEXT_MAX = 5000
NUMBER_LIMIT = Decimal("9999999999")


def _field(question: Question) -> forms.Field:
    kind, K = question.kind, Question.Kind
    common: dict[str, Any] = {"label": question.text, "required": question.required}
    if kind == K.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    if kind == K.LONG_TEXT:
        return forms.CharField(max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == K.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choice_list], widget=forms.RadioSelect, **common
        )
    if kind == K.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choice_list], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == K.NUMBER:
        return forms.DecimalField(
            max_digits=14,
            decimal_places=4,
            min_value=-NUMBER_LIMIT,
            max_value=NUMBER_LIMIT,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if kind == K.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if kind == K.RATING:
        return forms.TypedChoiceField(
            choices=[(str(v), str(v)) for v in RATING_VALUES],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "rating-choice"}),
            **common,
        )
    if kind == K.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, yes_no_label(YES)), (NO, yes_no_label(NO))], widget=forms.RadioSelect, **common
        )
    raise ValueError(f"no field for {kind!r}")


def _no_required_attribute(initial: Any) -> bool:
    return False


def _stored(value: Any) -> Any:
    """A cleaned value as JSON keeps it: a number as its text ("3.5"), a date as ISO, a list as is."""
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value


class QuestionnaireFieldsMixin:
    """A form's fields for a questionnaire's questions (``q<id>``), its groups for the template
    (``templates/questionnaires/_questions.html``) and the condition rule on clean. Used by
    :class:`AnswerForm` (a campaign) and ``tickets.forms.RequestForm`` (an activity's questionnaire)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    _errors: Any

    def add_questions(self, questions: list[Question], *, disabled: bool = False) -> None:
        self.questions = questions
        self._by_id = {q.pk: q for q in questions}
        self.groups: list[dict[str, Any]] = []
        for question in questions:
            if not self.groups or self.groups[-1]["group"].pk != question.group_id:
                self.groups.append({"group": question.group, "items": []})
            item: dict[str, Any] = {
                "question": question,
                "field": None,
                "condition": self._condition(question),
            }
            if question.is_question:
                name = f"q{question.pk}"
                field = _field(question)
                field.disabled = disabled
                if item["condition"]:
                    # Required only when shown: the server decides (clean), so the browser is not told
                    # to require a question it may hide (or that a page without JavaScript shows).
                    field.widget.use_required_attribute = _no_required_attribute
                self.fields[name] = field
                item["field"] = name
            self.groups[-1]["items"].append(item)

    @property
    def question_names(self) -> set[str]:
        return {f"q{q.pk}" for q in self.questions if q.is_question}

    def _condition(self, question: Question) -> Question | None:
        """The question this one's display depends on, when it is one of this questionnaire's."""
        parent = self._by_id.get(question.shown_if_question_id) if question.shown_if_question_id else None
        return parent if parent is not None and parent.pk != question.pk else None

    def bound_groups(self) -> list[dict[str, Any]]:
        """Groups with their items' bound fields and conditions, for the template."""
        return [
            {
                "group": g["group"],
                "items": [
                    {
                        "question": i["question"],
                        "field": self[i["field"]] if i["field"] else None,  # type: ignore[index]
                        "condition": i["condition"],
                    }
                    for i in g["items"]
                ],
            }
            for g in self.groups
        ]

    def clean_questions(self, data: dict[str, Any]) -> dict[str, Any]:
        values = {q.pk: data.get(f"q{q.pk}") for q in self.questions}
        for pk in hidden_questions(self.questions, values):
            # Hidden by its condition: not required, and what was sent for it is not kept.
            self._errors.pop(f"q{pk}", None)
            data.pop(f"q{pk}", None)
        return data

    def answers(self) -> dict[int, Any]:
        """question id -> cleaned value, for the shown questions answered (empty ones left out)."""
        out: dict[int, Any] = {}
        for question in self.questions:
            if not question.is_question:
                continue
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            out[question.pk] = value
        return out

    def records(self) -> list[dict[str, Any]]:
        """The answers as stored with a ticket (``questionnaires.models.answers_field``): in the
        questionnaire's order, each with the question's text as it was asked."""
        by_id = self._by_id
        return [
            {"question": pk, "text": by_id[pk].text, "kind": by_id[pk].kind, "value": _stored(value)}
            for pk, value in self.answers().items()
        ]


def records_initial(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Stored answers as a form's ``initial`` (a Smartbox item edited again)."""
    return {f"q{r['question']}": r["value"] for r in records if "question" in r}


class AnswerForm(QuestionnaireFieldsMixin, forms.Form):
    """Validates one person's answers; required questions are refused with the error at the field,
    unless a condition hides them."""

    def __init__(self, *args: Any, questions: list[Question], disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_questions(questions, disabled=disabled)

    def clean(self) -> dict[str, Any]:
        return self.clean_questions(super().clean() or {})
