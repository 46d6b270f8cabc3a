"""Results: who may see them, the charts and averages, text answers escaped and paginated, the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services import response_submit
from tests import factories

from .factories import CampaignFactory, every_kind_questionnaire


@pytest.fixture
def answered(db):
    questionnaire, q = every_kind_questionnaire()
    campaign = CampaignFactory(questionnaire=questionnaire, title="Satisfaction 2026")
    people = [factories.UserFactory(username=f"person{i}", first_name=f"Respondent{i}Name") for i in range(3)]
    for i, person in enumerate(people):
        response_submit(
            campaign=campaign,
            user=person,
            answers={
                q["rating"].pk: 3 + i,  # 3, 4, 5 -> average 4
                q["yes_no"].pk: "yes" if i else "no",
                q["multiple"].pk: ["Speed", "Tone"] if i == 0 else ["Speed"],
                q["number"].pk: 10 * (i + 1),
                q["long"].pk: f"<script>alert({i})</script> =cmd",
            },
        )
    return campaign, q, people


def _results(campaign: Campaign) -> str:
    return reverse("campaigns:results", kwargs={"key": campaign.key})


def test_results_are_404_for_people_who_are_not_interested(client_as, user, answered):
    campaign, _q, _people = answered
    assert client_as(user).get(_results(campaign)).status_code == 404
    csv_url = reverse("campaigns:results-csv", kwargs={"key": campaign.key})
    assert client_as(user).get(csv_url).status_code == 404


def test_interested_group_members_and_administrators_see_results(client_as, user, admin_user, answered):
    campaign, _q, _people = answered
    group = factories.GroupFactory(name="Quality")
    user.groups.add(group)
    campaign.interested_groups.add(group)
    assert client_as(user).get(_results(campaign)).status_code == 200
    other = Client()
    other.force_login(admin_user)
    assert other.get(_results(campaign)).status_code == 200


def test_results_show_charts_averages_and_escaped_texts(client_as, admin_user, answered):
    campaign, q, _people = answered
    html = client_as(admin_user).get(_results(campaign)).content.decode()
    assert 'id="chart-per-day"' in html
    assert f'id="chart-question-{q["rating"].pk}"' in html
    assert 'role="img"' in html
    assert "Speed: 3 (100%)" in html  # multiple choice: share of the people who answered
    assert "Tone: 1 (33%)" in html
    assert "Yes: 2 (67%)" in html
    assert "average 4.00" in html  # rating
    assert "average 20.00" in html  # number
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "Respondent0Name" not in html  # anonymous by default (a short name could match a CSRF token)


def test_results_show_who_answered_when_not_anonymous(client_as, admin_user, answered):
    campaign, _q, people = answered
    campaign.anonymous = False
    campaign.save()
    html = client_as(admin_user).get(_results(campaign)).content.decode()
    assert people[2].display_name in html


def test_public_results_never_show_who(client_as, admin_user, answered):
    campaign, _q, people = answered
    campaign.type, campaign.anonymous = Campaign.Type.PUBLIC, False
    campaign.save()
    html = client_as(admin_user).get(_results(campaign)).content.decode()
    assert people[2].display_name not in html


def test_results_page_runs_a_fixed_number_of_queries(
    client_as, admin_user, answered, django_assert_num_queries
):
    campaign, q, _people = answered
    client = client_as(admin_user)
    client.get(_results(campaign))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(_results(campaign))
        return len(ctx.captured_queries)

    small = count()
    for i in range(25):
        response_submit(
            campaign=campaign,
            user=factories.UserFactory(),
            answers={q["rating"].pk: 1 + i % 5, q["yes_no"].pk: "yes", q["short"].pk: f"t{i}"},
        )
    assert count() == small


def test_text_answers_are_paginated(client_as, admin_user, answered):
    campaign, q, _people = answered
    for i in range(30):
        response_submit(
            campaign=campaign,
            user=factories.UserFactory(),
            answers={q["rating"].pk: 5, q["yes_no"].pk: "yes", q["long"].pk: f"answer number {i}"},
        )
    url = reverse("campaigns:text-answers", kwargs={"key": campaign.key, "question_id": q["long"].pk})
    client = client_as(admin_user)
    first = client.get(url).content.decode()
    assert "answer number 29" in first
    assert "answer number 0<" not in first
    assert "33 text answers" in first
    second = client.get(url + "?page=2").content.decode()
    assert "answer number 4" in second
    assert (
        client.get(
            reverse("campaigns:text-answers", kwargs={"key": campaign.key, "question_id": q["rating"].pk})
        ).status_code
        == 404
    )


def test_csv_export_has_every_answer_and_no_formulas(client_as, admin_user, answered):
    campaign, q, people = answered
    campaign.anonymous = False
    campaign.save()
    reply = client_as(admin_user).get(reverse("campaigns:results-csv", kwargs={"key": campaign.key}))
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("text/csv")
    assert "attachment" in reply["Content-Disposition"]
    body = b"".join(reply.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], rows[1:]
    assert len(data) == 3
    assert header[:4] == ["Answer", "Answered on", "User name", "Name"]
    assert q["info"].text not in header
    by_user = {row[2]: dict(zip(header, row, strict=True)) for row in data}
    first = by_user[people[0].username]
    assert first[q["multiple"].text] == "Speed; Tone"
    assert first[q["yes_no"].text] == "No"
    assert first[q["rating"].text] == "3"
    assert first[q["number"].text] == "10"
    assert first[q["long"].text].startswith("'<script>") is False
    assert "=cmd" in first[q["long"].text]


def test_csv_cells_starting_like_a_formula_are_quoted(client_as, admin_user, db):
    questionnaire, q = every_kind_questionnaire()
    campaign = CampaignFactory(questionnaire=questionnaire)
    response_submit(
        campaign=campaign,
        user=factories.UserFactory(),
        answers={q["rating"].pk: 5, q["yes_no"].pk: "yes", q["short"].pk: "=HYPERLINK(1)"},
    )
    reply = client_as(admin_user).get(reverse("campaigns:results-csv", kwargs={"key": campaign.key}))
    body = b"".join(reply.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body
