"""The answer form of a campaign's page: the questionnaires' own (``questionnaires.forms``), which an
activity's request form uses too (issue 27)."""

from questionnaires.forms import LONG_TEXT_MAX, NUMBER_LIMIT, SHORT_TEXT_MAX, AnswerForm
from questionnaires.models import yes_no_label

__all__ = ["LONG_TEXT_MAX", "NUMBER_LIMIT", "SHORT_TEXT_MAX", "AnswerForm", "yes_no_label"]
