"""Factories of the campaigns app (kept beside its tests)."""

from datetime import timedelta

import factory
from django.utils import timezone

from campaigns.models import Campaign, Question, QuestionGroup, Questionnaire, QuestionnaireCategory

K = Question.Kind


class QuestionnaireCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireCategory
        django_get_or_create = ("name",)

    name = "Satisfaction"


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    category = factory.SubFactory(QuestionnaireCategoryFactory)


class QuestionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionGroup

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Group {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    group = factory.SubFactory(QuestionGroupFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = K.SHORT_TEXT
    order = factory.Sequence(lambda n: n)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    type = Campaign.Type.GLOBAL
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def every_kind_questionnaire(**kwargs) -> tuple[Questionnaire, dict[str, Question]]:
    """A questionnaire with one question of each kind (rating and yes/no required), in two groups."""
    questionnaire = QuestionnaireFactory(**kwargs)
    first = QuestionGroupFactory(questionnaire=questionnaire, title="About you", order=1)
    second = QuestionGroupFactory(questionnaire=questionnaire, title="Your experience", order=2)
    q = {
        "info": QuestionFactory(group=first, kind=K.INFO, text="Thank you for answering.", order=1),
        "short": QuestionFactory(group=first, kind=K.SHORT_TEXT, text="Your department?", order=2),
        "number": QuestionFactory(group=first, kind=K.NUMBER, text="Contacts this month?", order=3),
        "date": QuestionFactory(group=first, kind=K.DATE, text="Last contact?", order=4),
        "rating": QuestionFactory(group=second, kind=K.RATING, text="Overall?", required=True, order=1),
        "yes_no": QuestionFactory(
            group=second, kind=K.YES_NO, text="Solved at once?", required=True, order=2
        ),
        "single": QuestionFactory(
            group=second, kind=K.SINGLE_CHOICE, text="Channel?", choices="Portal\nPhone\nE-mail", order=3
        ),
        "multiple": QuestionFactory(
            group=second, kind=K.MULTIPLE_CHOICE, text="Improve?", choices="Speed\nTone\nQuality", order=4
        ),
        "long": QuestionFactory(group=second, kind=K.LONG_TEXT, text="Anything else?", order=5),
    }
    return questionnaire, q


def full_answer(q: dict[str, Question], **overrides) -> dict[str, object]:
    """POST data answering every question of :func:`every_kind_questionnaire`."""
    data = {
        f"q{q['short'].pk}": "Finance",
        f"q{q['number'].pk}": "3",
        f"q{q['date'].pk}": "2026-11-20",
        f"q{q['rating'].pk}": "4",
        f"q{q['yes_no'].pk}": "yes",
        f"q{q['single'].pk}": "Phone",
        f"q{q['multiple'].pk}": ["Speed", "Quality"],
        f"q{q['long'].pk}": "Keep it up",
    }
    for key, value in overrides.items():
        data[f"q{q[key].pk}"] = value
    return {k: v for k, v in data.items() if v is not None}
