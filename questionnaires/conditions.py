"""Which questions a condition hides, given the answers: the one rule, used by the answer form
(questionnaires/forms.py) and by the services that store answers (campaigns/services.py,
tickets/services/opening.py), so that a required question is required only where it is shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .models import Question


def answer_texts(value: Any) -> list[str]:
    """An answer as the texts a condition compares with (a rating 4 -> ["4"], a list as its items)."""
    if value in (None, "", []):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def hidden_questions(questions: Iterable[Question], answers: Mapping[int, Any]) -> set[int]:
    """The ids of the questions not shown: each whose condition looks at a question of ``questions``
    that is itself hidden, or whose answer (``answers``: question id -> value) is not the condition's
    value (for a multiple choice: is not among the values chosen). A condition looking elsewhere, or
    at the question itself, is ignored (the admin refuses both)."""
    by_id = {q.pk: q for q in questions}
    memo: dict[int, bool] = {}

    def shown(question: Question, seen: frozenset[int]) -> bool:
        if question.pk not in memo:
            parent = by_id.get(question.shown_if_question_id) if question.shown_if_question_id else None
            if parent is None or parent.pk == question.pk or parent.pk in seen:
                memo[question.pk] = True
            else:
                memo[question.pk] = shown(parent, seen | {question.pk}) and (
                    question.shown_if_value in answer_texts(answers.get(parent.pk))
                )
        return memo[question.pk]

    return {pk for pk, q in by_id.items() if not shown(q, frozenset())}
