"""Reads of questionnaires, for a campaign's page and an activity's request form."""

from __future__ import annotations

from .models import Question


def questionnaire_questions(*, questionnaire_id: int) -> list[Question]:
    """Every question of a questionnaire, groups in order then questions in order, in one query."""
    return list(
        Question.objects.filter(group__questionnaire_id=questionnaire_id)
        .select_related("group")
        .order_by("group__order", "group_id", "order", "id")
    )
