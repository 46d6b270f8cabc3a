"""Issue 27 admin screens: a question's condition is set on the group's page (checked against the
question it looks at), an activity chooses its questionnaire, and a copy keeps the conditions."""

import pytest
from django.urls import reverse

from campaigns.services import questionnaire_copy
from questionnaires.demo import JUSTIFICATION, MODEL, request_forms_seed
from questionnaires.models import Question
from tests import factories
from tests.campaigns.test_admin import _inline


@pytest.fixture
def staff(client_as, admin_user):
    return client_as(admin_user)


@pytest.fixture
def laptop(db):
    questionnaire = request_forms_seed()["New laptop"]
    return questionnaire, {q.text: q for q in Question.objects.filter(group__questionnaire=questionnaire)}


def _rows(questions, group):
    return [
        {
            "id": str(x.pk),
            "group": str(group.pk),
            "order": str(x.order),
            "text": x.text,
            "kind": x.kind,
            "choices": x.choices,
            "shown_if_question": str(x.shown_if_question_id or ""),
            "shown_if_value": x.shown_if_value,
            **({"required": "on"} if x.required else {}),
        }
        for x in questions
    ]


def test_a_condition_names_one_of_the_answers_of_that_question(staff, laptop):
    _questionnaire, q = laptop
    group = q[MODEL].group
    url = reverse("admin:questionnaires_questiongroup_change", args=[group.pk])
    page = staff.get(url).content.decode()
    assert 'name="questions-0-shown_if_question"' in page
    questions = list(group.questions.all())
    rows = _rows(questions, group)
    index = next(i for i, x in enumerate(questions) if x.text == JUSTIFICATION)
    data = {"title": group.title, "order": str(group.order)}

    rows[index]["shown_if_value"] = "Gold"
    reply = staff.post(url, data | _inline("questions", rows, initial=len(rows)))
    expected = "Write one of the answers of that question: Standard, Developer, Premium."
    assert expected in reply.content.decode()

    rows[index] |= {"shown_if_question": "", "shown_if_value": "Premium"}
    reply = staff.post(url, data | _inline("questions", rows, initial=len(rows)))
    assert "Choose the question whose answer shows this one." in reply.content.decode()

    rows[index] |= {"shown_if_question": str(q[MODEL].pk), "shown_if_value": "Developer"}
    assert staff.post(url, data | _inline("questions", rows, initial=len(rows))).status_code == 302
    q[JUSTIFICATION].refresh_from_db()
    assert q[JUSTIFICATION].shown_if_value == "Developer"


def test_an_activity_chooses_its_questionnaire_in_the_admin(staff, laptop):
    questionnaire, _q = laptop
    activity = factories.ActivityFactory(name="New laptop")
    html = staff.get(reverse("admin:catalog_activity_change", args=[activity.pk])).content.decode()
    assert 'name="questionnaire"' in html
    found = staff.get(
        reverse("admin:autocomplete"),
        {"term": "laptop", "app_label": "catalog", "model_name": "activity", "field_name": "questionnaire"},
    ).json()
    assert [r["id"] for r in found["results"]] == [str(questionnaire.pk)]


def test_a_copy_keeps_the_conditions_on_its_own_questions(laptop):
    questionnaire, _q = laptop
    copy = questionnaire_copy(questionnaire=questionnaire)
    justification = Question.objects.get(group__questionnaire=copy, text=JUSTIFICATION)
    assert justification.shown_if_question.group.questionnaire == copy
    assert (justification.shown_if_question.text, justification.shown_if_value) == (MODEL, "Premium")
