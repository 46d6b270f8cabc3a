"""Answering campaigns through the API: the campaign page's rules (campaigns/views.py) and service
(campaigns/services.py ``response_submit``), its form's validation and messages, pinned query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Answer, Campaign, Response
from campaigns.services import REFUSALS, response_submit
from tests import factories
from tests.campaigns.factories import CampaignFactory, QuestionFactory, every_kind_questionnaire, full_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(user):
    questionnaire, q = every_kind_questionnaire()
    campaign = CampaignFactory(questionnaire=questionnaire, title="Satisfaction 2026")
    campaign.target_users.set([user])
    return campaign, q


def path(campaign, tail=""):
    return f"/api/v1/campaigns/{campaign.key}/{tail}"


def as_json(data: dict) -> dict:
    """The page's POST data as a JSON body (numbers and dates as texts, as the page sends them)."""
    return {k: v for k, v in data.items()}


def test_a_campaign_lists_its_questions_and_answer_fields(bearer, survey):
    campaign, q = survey
    r = bearer.get(path(campaign))
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["title"], body["state"], body["answered"]) == ("Satisfaction 2026", "open", False)
    by_id = {x["id"]: x for x in body["questions"]}
    assert by_id[q["info"].pk]["field"] is None
    assert by_id[q["rating"].pk]["field"] == f"q{q['rating'].pk}"
    assert by_id[q["rating"].pk]["required"] is True
    assert by_id[q["rating"].pk]["choices"] == ["1", "2", "3", "4", "5"]
    assert by_id[q["multiple"].pk]["choices"] == ["Speed", "Tone", "Quality"]


def test_answering_stores_once_like_the_page(bearer, survey, user):
    campaign, q = survey
    r = bearer.post(path(campaign, "answers/"), as_json(full_answer(q)), format="json")
    assert r.status_code == 201, r.content
    assert r.json() == {"key": str(campaign.key), "answered": True}
    response = Response.objects.get(campaign=campaign, user=user)
    assert sorted(
        Answer.objects.filter(response=response, question=q["multiple"]).values_list("choice", flat=True)
    ) == [
        "Quality",
        "Speed",
    ]
    campaign.refresh_from_db()
    assert campaign.answer_count == 1
    again = bearer.post(path(campaign, "answers/"), as_json(full_answer(q)), format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already answered this campaign."
    assert bearer.get(path(campaign)).json()["answered"] is True


def test_required_and_invalid_answers_are_the_forms_messages(bearer, survey):
    campaign, q = survey
    data = full_answer(q, rating=None, number="lots", single="Fax")
    r = bearer.post(path(campaign, "answers/"), as_json(data), format="json")
    assert r.status_code == 400
    fields = r.json()["fields"]
    assert fields[f"q{q['rating'].pk}"] == ["This field is required."]
    assert fields[f"q{q['number'].pk}"] == ["Enter a number."]
    assert "Fax" in fields[f"q{q['single'].pk}"][0]
    assert not Response.objects.exists()


def test_wrong_json_types_are_a_400(bearer, survey):
    campaign, q = survey
    for bad in ({f"q{q['date'].pk}": ["2026-01-01"]}, {f"q{q['multiple'].pk}": {"a": 1}}, ["x"]):
        r = bearer.post(path(campaign, "answers/"), bad, format="json")
        assert r.status_code == 400, (bad, r.content)
    assert not Response.objects.exists()


def test_the_messages_follow_accept_language(bearer, survey):
    campaign, q = survey
    r = bearer.post(
        path(campaign, "answers/"),
        as_json(full_answer(q, rating=None)),
        format="json",
        HTTP_ACCEPT_LANGUAGE="pt-BR",
    )
    assert r.json()["fields"][f"q{q['rating'].pk}"] == ["Este campo é obrigatório."]


@pytest.mark.parametrize(
    ("change", "state"),
    [
        ({"starts_at": timezone.now() + timedelta(days=1)}, Campaign.State.SCHEDULED),
        (
            {
                "ends_at": timezone.now() - timedelta(minutes=1),
                "starts_at": timezone.now() - timedelta(days=2),
            },
            Campaign.State.ENDED,
        ),
        ({"max_answers": 1, "answer_count": 1}, Campaign.State.FULL),
    ],
)
def test_a_campaign_that_is_not_open_refuses_with_the_services_message(bearer, survey, change, state):
    campaign, q = survey
    Campaign.objects.filter(pk=campaign.pk).update(**change)
    r = bearer.post(path(campaign, "answers/"), as_json(full_answer(q)), format="json")
    assert r.status_code == 409, r.content
    assert r.json()["detail"] == str(REFUSALS[state]())
    assert r.json()["code"] == "refused"


def test_a_campaign_for_someone_else_is_a_404(bearer, survey, other_user):
    campaign, q = survey
    campaign.target_users.set([other_user])
    assert bearer.get(path(campaign)).status_code == 404
    assert bearer.post(path(campaign, "answers/"), as_json(full_answer(q)), format="json").status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert bearer.get(f"/api/v1/campaigns/{missing}/").status_code == 404


def test_an_administrator_sees_but_does_not_answer_a_campaign_not_for_them(survey, admin_user):
    from rest_framework.test import APIClient

    from api.services import api_token_create

    campaign, q = survey
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=admin_user, name='a', days=1)[1]}")
    assert client.get(path(campaign)).status_code == 200
    assert client.post(path(campaign, "answers/"), as_json(full_answer(q)), format="json").status_code == 404


def _count(client, method, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        r = getattr(client, method)(url, data, format="json")
    assert r.status_code < 300, r.content
    return len(ctx.captured_queries), [x["sql"] for x in ctx.captured_queries]


def test_query_counts_at_two_sizes(bearer):
    """The campaign's page costs the same with 2 or 20 questions; an answer the same with 2 or 20
    answers already stored (its rows are one bulk insert)."""
    bearer.get("/api/v1/me/")
    counts = {}
    for size in (2, 20):
        campaign = CampaignFactory()  # no targets: a Global campaign for everyone
        group = QuestionFactory(group__questionnaire=campaign.questionnaire).group
        for _ in range(size - 1):
            QuestionFactory(group=group)
        questions = list(group.questions.all())
        body = {f"q{x.pk}": f"answer {i}" for i, x in enumerate(questions)}
        for _ in range(size):  # other people's answers already stored
            response_submit(campaign=campaign, user=factories.UserFactory(), answers={})
        counts[size] = (
            _count(bearer, "get", path(campaign)),
            _count(bearer, "post", path(campaign, "answers/"), body),
        )
    (get2, _), (post2, _) = counts[2]
    (get20, sql_get), (post20, sql_post) = counts[20]
    assert get2 == get20 == 6, "\n".join(sql_get)
    # token, campaign, parameters, who it is for, my response, questions; then the service: the
    # campaign locked, questions, my response, the insert, its answers (one insert), the count
    # (and two savepoint pairs of the test's transaction)
    assert post2 == post20 == 16, "\n".join(sql_post)
