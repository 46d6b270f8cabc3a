"""Demo request forms (issue 27), linked to their activities by catalog/demo.py: "New laptop" (a
required Model whose "Premium" choice shows a required Justification, and accessories) and "Software
installation" (a licence number shown only when the requester says there is a licence)."""

from __future__ import annotations

from .models import Question, QuestionGroup, Questionnaire, QuestionnaireCategory

CATEGORY = "Request forms"
LAPTOP, SOFTWARE = "New laptop", "Software installation"
MODEL, ACCESSORIES, JUSTIFICATION = "Model", "Accessories", "Justification"
PREMIUM = "Premium"
K = Question.Kind


def _questionnaire(
    category: QuestionnaireCategory, title: str, description: str
) -> tuple[Questionnaire, bool]:
    return Questionnaire.objects.get_or_create(
        title=title, category=category, defaults={"description": description}
    )


def request_forms_seed() -> dict[str, Questionnaire]:
    """The two questionnaires by the name of their activity (created once; an edited one is kept)."""
    category, _created = QuestionnaireCategory.objects.get_or_create(name=CATEGORY)
    laptop, created = _questionnaire(category, LAPTOP, "What the new laptop is for.")
    if created:
        group = QuestionGroup.objects.create(questionnaire=laptop, title="Laptop", order=0)
        model = Question.objects.create(
            group=group,
            order=0,
            text=MODEL,
            kind=K.SINGLE_CHOICE,
            required=True,
            choices="Standard\nDeveloper\nPremium",
        )
        Question.objects.create(
            group=group,
            order=1,
            text=ACCESSORIES,
            kind=K.MULTIPLE_CHOICE,
            choices="Mouse\nKeyboard\nDocking station\nHeadset",
        )
        Question.objects.create(
            group=group,
            order=2,
            text=JUSTIFICATION,
            kind=K.LONG_TEXT,
            required=True,
            shown_if_question=model,
            shown_if_value=PREMIUM,
        )
    software, created = _questionnaire(category, SOFTWARE, "Which application to install.")
    if created:
        group = QuestionGroup.objects.create(questionnaire=software, title="Application", order=0)
        Question.objects.create(
            group=group, order=0, text="Application and version", kind=K.SHORT_TEXT, required=True
        )
        licence = Question.objects.create(
            group=group, order=1, text="Do you already have a licence?", kind=K.YES_NO, required=True
        )
        Question.objects.create(
            group=group,
            order=2,
            text="Licence number",
            kind=K.SHORT_TEXT,
            required=True,
            shown_if_question=licence,
            shown_if_value="yes",
        )
        Question.objects.create(group=group, order=3, text="Needed by", kind=K.DATE)
    return {LAPTOP: laptop, SOFTWARE: software}
