"""Questionnaires: ordered groups of ordered questions of nine kinds, built in the back office.

Two features put them in front of people: Active Campaigns (``campaigns``, one answer per person,
stored as rows) and the request form of an activity (``catalog.Activity.questionnaire``, issue 27:
the answers are stored with the ticket, ``tickets.models.Ticket.answers``). They sit here, below the
catalog, so that both can use them; they were declared in ``campaigns`` until then and the tables
kept their names (``db_table``), so no data moved (migration questionnaires 0001).

A question may be shown only when an earlier question of the same questionnaire has a given answer
(``shown_if_question`` / ``shown_if_value``): :mod:`questionnaires.forms` decides on the server
which questions are shown, and so which required ones must be answered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RATING_VALUES = (1, 2, 3, 4, 5)
YES, NO = "yes", "no"


class QuestionnaireCategory(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        db_table = "campaigns_questionnairecategory"  # the table it had in campaigns (data kept)
        verbose_name = _("questionnaire category")
        verbose_name_plural = _("questionnaire categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Questionnaire(models.Model):
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        QuestionnaireCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    description = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown above the questions (plain text).")
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        db_table = "campaigns_questionnaire"
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionGroup(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="groups"
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        db_table = "campaigns_questiongroup"
        verbose_name = _("group of questions")
        verbose_name_plural = _("groups of questions")
        ordering = ["questionnaire", "order", "id"]

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        RATING = "rating", _("Rating (1 to 5)")
        YES_NO = "yes_no", _("Yes / no")
        INFO = "info", _("Information text (not a question)")

    CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})
    # Kinds whose answers are counted per value in a bar chart.
    CHART_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.RATING, Kind.YES_NO})
    AVERAGE_KINDS = frozenset({Kind.RATING, Kind.NUMBER})
    TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
    # Kinds another question's condition can look at: their answers are one of known values.
    CONDITION_KINDS = CHART_KINDS

    group = models.ForeignKey(
        QuestionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("Single and multiple choice: one choice per line.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # SET_NULL: removing the question a condition looks at shows the dependent question always.
    shown_if_question = models.ForeignKey(
        "self",
        verbose_name=_("shown only when the answer to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        help_text=_("An earlier choice, rating or yes/no question of the same questionnaire."),
    )
    shown_if_value = models.CharField(
        _("is"),
        max_length=500,
        blank=True,
        help_text=_("One of that question's choices (yes / no, or 1 to 5 for a rating)."),
    )

    class Meta:
        db_table = "campaigns_question"
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["group", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="info") | Q(required=False), name="question_info_never_required"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def choice_list(self) -> list[str]:
        return choice_lines(self.choices)

    @property
    def is_question(self) -> bool:
        return self.kind != self.Kind.INFO

    def answer_values(self) -> list[str]:
        """The values a condition may name: the choices, yes/no, or 1 to 5 (empty for other kinds)."""
        if self.kind in self.CHOICE_KINDS:
            return self.choice_list
        if self.kind == self.Kind.YES_NO:
            return [YES, NO]
        if self.kind == self.Kind.RATING:
            return [str(v) for v in RATING_VALUES]
        return []


def choice_lines(raw: str) -> list[str]:
    """The choices written one per line, blank lines and repeats dropped, in order."""
    seen: list[str] = []
    for line in raw.splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.append(line)
    return seen


def yes_no_label(value: str) -> str:
    return str({YES: _("Yes"), NO: _("No")}.get(value, value))


def answer_display(record: dict[str, Any]) -> str:
    """One stored answer (``answers_field``) as a person reads it, in the active language: "Yes",
    "Mouse, Dock" for a multiple choice, the text or number as given."""
    value = record.get("value")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if record.get("kind") == Question.Kind.YES_NO:
        return yes_no_label(str(value))
    return "" if value is None else str(value)


def format_number(value: Decimal) -> str:
    """A stored number without trailing zeros: 3.5000 → "3.5", 4.0000 → "4"."""
    text = format(value.normalize(), "f")
    return text


class AnswersEncoder(DjangoJSONEncoder):
    """Stored answers keep their letters as they are (no ``\\u00e7``), so that a search in the
    stored JSON text (the ticket admin's, ``icontains``) finds "Justificação" on SQLite too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def answers_field(**kwargs: Any) -> models.JSONField:
    """The field holding a filled questionnaire: a list of ``{"question", "text", "kind", "value"}``
    (:func:`questionnaires.forms.AnswerForm.records`), the question's text kept as it was answered."""
    return models.JSONField(_("answers"), default=list, blank=True, encoder=AnswersEncoder, **kwargs)
