"""The answer cap holds under concurrency (PostgreSQL): N people answering a campaign capped at K at the
same moment store exactly K answers, and one person answering twice at once stores one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from campaigns.models import Campaign, Response
from campaigns.services import AnswerRefused, response_submit
from tests import factories

from .factories import CampaignFactory, QuestionFactory

N, K = 12, 5


def _race(calls) -> list[str]:
    """Run the calls in threads released together; each thread uses its own database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
            outcomes.append("stored")
        except AnswerRefused as exc:
            outcomes.append(exc.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_n_simultaneous_answers_to_a_campaign_capped_at_k_store_exactly_k(require_postgres):
    question = QuestionFactory(required=True)
    campaign = CampaignFactory(questionnaire=question.group.questionnaire, max_answers=K)
    users = [factories.UserFactory() for _ in range(N)]
    calls = [
        (lambda u=u: response_submit(campaign=campaign, user=u, answers={question.pk: f"from {u.username}"}))
        for u in users
    ]
    outcomes = _race(calls)
    assert sorted(outcomes) == sorted(["stored"] * K + [Campaign.State.FULL] * (N - K)), outcomes
    assert Response.objects.filter(campaign=campaign).count() == K
    campaign.refresh_from_db()
    assert campaign.answer_count == K


@pytest.mark.django_db(transaction=True)
def test_one_person_answering_twice_at_once_stores_one(require_postgres):
    question = QuestionFactory()
    campaign = CampaignFactory(questionnaire=question.group.questionnaire)
    user = factories.UserFactory()
    calls = [
        (lambda: response_submit(campaign=campaign, user=user, answers={question.pk: "x"})) for _ in range(6)
    ]
    outcomes = _race(calls)
    assert outcomes.count("stored") == 1, outcomes
    assert Response.objects.filter(campaign=campaign, user=user).count() == 1
