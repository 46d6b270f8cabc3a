"""The answer form, built from a questionnaire's questions (one field per question, ``q<id>``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NO, RATING_VALUES, YES, Question

SHORT_TEXT_MAX = 255
LONG_TEXT_MAX = 5000
NUMBER_LIMIT = Decimal("9999999999")


def yes_no_label(value: str) -> str:
    return str({YES: _("Yes"), NO: _("No")}.get(value, value))


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


class AnswerForm(forms.Form):
    """Validates one person's answers; required questions are refused with the error at the field."""

    def __init__(self, *args: Any, questions: list[Question], disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.groups: list[dict[str, Any]] = []
        for question in questions:
            if not self.groups or self.groups[-1]["group"].pk != question.group_id:
                self.groups.append({"group": question.group, "items": []})
            item: dict[str, Any] = {"question": question, "field": None}
            if question.is_question:
                name = f"q{question.pk}"
                self.fields[name] = _field(question)
                self.fields[name].disabled = disabled
                item["field"] = name
            self.groups[-1]["items"].append(item)

    def bound_groups(self) -> list[dict[str, Any]]:
        """Groups with their items' bound fields, for the template."""
        return [
            {
                "group": g["group"],
                "items": [
                    {"question": i["question"], "field": self[i["field"]] if i["field"] else None}
                    for i in g["items"]
                ],
            }
            for g in self.groups
        ]

    def answers(self) -> dict[int, Any]:
        """question id -> cleaned value, for the questions answered (empty ones left out)."""
        out: dict[int, Any] = {}
        for question in self.questions:
            if not question.is_question:
                continue
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            out[question.pk] = value
        return out
