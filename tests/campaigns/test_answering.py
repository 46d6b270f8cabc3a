"""Answering a campaign: who may, when, once; required questions; Public links without login."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Answer, Campaign, Response
from campaigns.services import AnswerRefused, response_submit
from tests import factories

from .factories import CampaignFactory, every_kind_questionnaire, full_answer


@pytest.fixture
def survey(db):
    questionnaire, q = every_kind_questionnaire()
    campaign = CampaignFactory(questionnaire=questionnaire, title="Satisfaction 2026")
    return campaign, q


def _url(campaign: Campaign) -> str:
    return reverse("campaigns:detail", kwargs={"key": campaign.key})


def test_open_campaign_shows_every_question_grouped(client_as, user, survey):
    campaign, q = survey
    page = client_as(user).get(_url(campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="campaign-form"' in html
    assert html.index("About you") < html.index("Your experience")
    for question in q.values():
        assert question.text in html
    assert f'name="q{q["info"].pk}"' not in html  # information text: no field


def test_answer_is_stored_once_with_every_kind(client_as, user, survey):
    campaign, q = survey
    client = client_as(user)
    reply = client.post(_url(campaign), full_answer(q))
    assert reply.status_code == 302
    response = Response.objects.get(campaign=campaign)
    assert response.user == user
    values = {(a.question_id, a.choice, a.text, a.number, a.date) for a in response.answers.all()}
    assert (q["short"].pk, "", "Finance", None, None) in values
    assert (q["rating"].pk, "", "", Decimal("4"), None) in values
    assert (q["yes_no"].pk, "yes", "", None, None) in values
    assert {a.choice for a in response.answers.filter(question=q["multiple"])} == {"Speed", "Quality"}
    assert response.answers.get(question=q["date"]).date.isoformat() == "2026-11-20"
    campaign.refresh_from_db()
    assert campaign.answer_count == 1

    page = client.get(_url(campaign))
    assert 'id="campaign-answered"' in page.content.decode()
    assert 'id="campaign-form"' not in page.content.decode()


def test_a_replayed_post_adds_nothing(client_as, user, survey):
    campaign, q = survey
    client = client_as(user)
    client.post(_url(campaign), full_answer(q))
    again = client.post(_url(campaign), full_answer(q, short="Second try"))
    assert again.status_code == 409
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert not Answer.objects.filter(text="Second try").exists()
    campaign.refresh_from_db()
    assert campaign.answer_count == 1


def test_the_service_refuses_a_second_answer(user, survey):
    campaign, q = survey
    answers = {q["rating"].pk: 5, q["yes_no"].pk: "no"}
    response_submit(campaign=campaign, user=user, answers=answers)
    with pytest.raises(AnswerRefused) as exc:
        response_submit(campaign=campaign, user=user, answers=answers)
    assert exc.value.reason == "answered"


def test_required_question_left_empty_is_refused_next_to_it_and_the_rest_kept(client_as, user, survey):
    campaign, q = survey
    reply = client_as(user).post(_url(campaign), full_answer(q, rating=None))
    assert reply.status_code == 400
    html = reply.content.decode()
    assert not Response.objects.exists()
    # the error sits in the rating question's block, the other answers are still filled in
    block = html[html.index(f'data-question="{q["rating"].pk}"') :]
    block = block[: block.index('data-question="', 20)]
    assert "This field is required." in block
    assert 'value="Finance"' in html
    assert "Keep it up" in html


def test_before_the_start_the_page_says_when_it_opens_and_shows_no_form(client_as, user, survey):
    campaign, q = survey
    start = timezone.now() + timedelta(days=1)
    campaign.starts_at, campaign.ends_at = start, start + timedelta(days=5)
    campaign.save()
    client = client_as(user)
    html = client.get(_url(campaign)).content.decode()
    local = timezone.localtime(start)
    assert "This campaign opens on" in html
    assert f'datetime="{start.isoformat()}"' in html
    assert local.strftime("%Y") in html
    assert 'id="campaign-form"' not in html
    assert client.post(_url(campaign), full_answer(q)).status_code == 409
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("lang", "words"), [("pt-br", "Esta campanha abre em"), ("es", "Esta campaña se abre el")]
)
def test_opening_time_is_in_the_users_language(client_as, user, survey, lang, words):
    campaign, _q = survey
    campaign.starts_at = timezone.now() + timedelta(days=1)
    campaign.ends_at = campaign.starts_at + timedelta(days=1)
    campaign.save()
    user.preferred_language = lang
    user.save(update_fields=["preferred_language"])
    assert words in client_as(user).get(_url(campaign)).content.decode()


def test_after_the_end_it_is_closed(client_as, user, survey):
    campaign, q = survey
    campaign.starts_at = timezone.now() - timedelta(days=3)
    campaign.ends_at = timezone.now() - timedelta(days=1)
    campaign.save()
    client = client_as(user)
    assert 'id="campaign-closed"' in client.get(_url(campaign)).content.decode()
    assert client.post(_url(campaign), full_answer(q)).status_code == 409
    assert not Response.objects.exists()


def test_inactive_campaign_takes_no_answer(client_as, user, survey):
    campaign, q = survey
    campaign.status = Campaign.Status.INACTIVE
    campaign.save()
    client = client_as(user)
    assert 'id="campaign-inactive"' in client.get(_url(campaign)).content.decode()
    assert client.post(_url(campaign), full_answer(q)).status_code == 409


def test_with_a_cap_of_one_the_second_person_sees_closed(client_as, user, other_user, survey):
    campaign, q = survey
    campaign.max_answers = 1
    campaign.save()
    client_as(user).post(_url(campaign), full_answer(q))
    second = Client()
    second.force_login(other_user)
    assert 'id="campaign-closed"' in second.get(_url(campaign)).content.decode()
    assert second.post(_url(campaign), full_answer(q)).status_code == 409
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_a_get_never_writes(client_as, user, survey):
    campaign, _q = survey
    client = client_as(user)
    client.get(_url(campaign))
    with CaptureQueriesContext(connection) as ctx:
        client.get(_url(campaign))
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


# --- who may answer -------------------------------------------------------------------------------


def test_global_campaign_with_targets_is_404_for_others(client_as, user, other_user, survey):
    campaign, _q = survey
    group = factories.GroupFactory(name="Approvers")
    other_user.groups.add(group)
    campaign.target_groups.add(group)
    assert client_as(user).get(_url(campaign)).status_code == 404
    member = Client()
    member.force_login(other_user)
    assert member.get(_url(campaign)).status_code == 200


def test_global_campaign_targeted_at_a_user(client_as, user, other_user, survey):
    campaign, q = survey
    campaign.target_users.add(other_user)
    assert client_as(user).post(_url(campaign), full_answer(q)).status_code == 404
    assert not Response.objects.exists()


def test_administrator_sees_a_campaign_not_for_them_without_a_form(client_as, admin_user, user, survey):
    campaign, _q = survey
    campaign.target_users.add(user)
    html = client_as(admin_user).get(_url(campaign)).content.decode()
    assert 'id="campaign-not-for-you"' in html
    assert 'id="campaign-form"' not in html


def test_global_campaign_asks_anonymous_visitors_to_log_in(client, survey):
    campaign, _q = survey
    reply = client.get(_url(campaign))
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("login"))


def test_unknown_key_is_404(client_as, user):
    assert client_as(user).get("/campaigns/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_catalog_campaign_follows_the_portfolios_visibility(client_as, user, survey, set_param):
    campaign, _q = survey
    portfolio = factories.PortfolioFactory(available_in_portal=False)
    campaign.type, campaign.portfolio = Campaign.Type.CATALOG, portfolio
    campaign.save()
    assert client_as(user).get(_url(campaign)).status_code == 404
    portfolio.available_in_portal = True
    portfolio.save()
    assert client_as(user).get(_url(campaign)).status_code == 200


# --- Public ---------------------------------------------------------------------------------------


@pytest.fixture
def public(survey):
    campaign, q = survey
    campaign.type = Campaign.Type.PUBLIC
    campaign.save()
    return campaign, q


def test_public_link_is_answered_without_login_anonymously(client, public):
    campaign, q = public
    assert 'id="campaign-form"' in client.get(_url(campaign)).content.decode()
    assert client.post(_url(campaign), full_answer(q)).status_code == 302
    assert Response.objects.get(campaign=campaign).user is None
    page = client.get(_url(campaign)).content.decode()
    assert 'id="campaign-answered"' in page
    assert client.post(_url(campaign), full_answer(q)).status_code == 409
    assert Response.objects.count() == 1


def test_public_answer_of_a_logged_in_person_is_anonymous(client_as, user, public):
    campaign, q = public
    client_as(user).post(_url(campaign), full_answer(q))
    assert Response.objects.get().user is None


def test_public_cookie_is_signed(client, public):
    campaign, _q = public
    client.cookies[f"campaign-{campaign.key.hex}"] = "1"  # forged, unsigned
    assert 'id="campaign-form"' in client.get(_url(campaign)).content.decode()


def test_public_rate_limit_per_address(client, public, settings):
    settings.CAMPAIGN_PUBLIC_ANSWERS_PER_HOUR = 2
    campaign, q = public
    for _ in range(2):
        assert Client().post(_url(campaign), full_answer(q)).status_code == 302
    refused = Client().post(_url(campaign), full_answer(q))
    assert refused.status_code == 409
    assert "Too many answers" in refused.content.decode()
    assert Response.objects.count() == 2
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert elsewhere.post(_url(campaign), full_answer(q)).status_code == 302


# --- Active Campaigns page ------------------------------------------------------------------------


def test_active_campaigns_lists_open_global_ones_and_marks_answered(client_as, user, survey):
    campaign, q = survey
    later = CampaignFactory(
        title="Later",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=2),
    )
    public = CampaignFactory(title="Public one", type=Campaign.Type.PUBLIC)
    client = client_as(user)
    html = client.get(reverse("campaigns:list")).content.decode()
    assert campaign.title in html
    assert later.title not in html
    assert public.title not in html
    assert "campaign-answered" not in html
    client.post(_url(campaign), full_answer(q))
    html = client.get(reverse("campaigns:list")).content.decode()
    assert campaign.title in html
    assert "campaign-answered" in html


def test_full_campaign_stays_listed_only_for_those_who_answered(client_as, user, other_user, survey):
    campaign, q = survey
    campaign.max_answers = 1
    campaign.save()
    client_as(user).post(_url(campaign), full_answer(q))
    assert campaign.title in client_as(user).get(reverse("campaigns:list")).content.decode()
    other = Client()
    other.force_login(other_user)
    assert campaign.title not in other.get(reverse("campaigns:list")).content.decode()


def test_active_campaigns_is_in_the_menu(client_as, user):
    html = client_as(user).get("/").content.decode()
    assert reverse("campaigns:list") in html


def test_active_campaigns_page_runs_a_fixed_number_of_queries(client_as, user, django_assert_num_queries):
    client = client_as(user)
    url = reverse("campaigns:list")
    CampaignFactory.create_batch(2)
    client.get(url)  # parameters cached
    # user, the parameters, the count, the page, in autocommit (the session and the shell's state
    # come from the cache)
    with django_assert_num_queries(4):
        client.get(url)
    CampaignFactory.create_batch(30)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


# --- portfolio and service tabs -------------------------------------------------------------------


def test_catalog_campaign_is_a_tab_on_its_portfolio_only(client_as, user, survey):
    campaign, _q = survey
    mine, other = factories.PortfolioFactory(name="HR"), factories.PortfolioFactory(name="IT")
    campaign.type, campaign.portfolio = Campaign.Type.CATALOG, mine
    campaign.save()
    client = client_as(user)
    html = client.get(reverse("catalog:portfolio", kwargs={"pk": mine.pk})).content.decode()
    assert 'id="tab-campaigns"' in html
    assert campaign.title in html
    html = client.get(reverse("catalog:portfolio", kwargs={"pk": other.pk})).content.decode()
    assert 'id="tab-campaigns"' not in html
    assert campaign.title not in client.get(reverse("campaigns:list")).content.decode()


def test_service_campaign_is_a_tab_on_its_service_page(client_as, user, survey):
    campaign, _q = survey
    service, other = factories.ServiceFactory(), factories.ServiceFactory()
    campaign.type, campaign.service = Campaign.Type.SERVICE, service
    campaign.save()
    client = client_as(user)
    html = client.get(reverse("catalog:service", kwargs={"pk": service.pk})).content.decode()
    assert 'id="tab-campaigns"' in html
    assert campaign.title in html
    assert (
        'id="tab-campaigns"'
        not in client.get(reverse("catalog:service", kwargs={"pk": other.pk})).content.decode()
    )


# --- bounded input --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["short", "long", "number", "single", "date", "rating"])
def test_over_long_answers_are_refused_with_an_error_and_nothing_is_saved(client_as, user, survey, key):
    from tests.security.bounds import OVER_LONG, assert_refused

    campaign, q = survey
    for value in OVER_LONG:
        reply = client_as(user).post(_url(campaign), full_answer(q, **{key: value}))
        assert_refused(reply)
        assert reply.status_code == 400
    assert not Response.objects.exists()


@pytest.mark.parametrize("page", ["9" * 40, "²", "-1"])
def test_odd_page_numbers_do_not_break_the_lists(client_as, admin_user, survey, page):
    campaign, q = survey
    client = client_as(admin_user)
    assert client.get(reverse("campaigns:list"), {"page": page}).status_code == 200
    url = reverse("campaigns:text-answers", kwargs={"key": campaign.key, "question_id": q["long"].pk})
    assert client.get(url, {"page": page}).status_code == 200


def test_campaign_page_runs_a_fixed_number_of_queries(client_as, user, survey, django_assert_num_queries):
    campaign, q = survey
    client = client_as(user)
    client.get(_url(campaign))
    # user, the campaign, the parameters, may answer, answered?, the
    # questions (one query whatever their number), may see the results (the session and the shell's
    # state come from the cache)
    with django_assert_num_queries(7):
        client.get(_url(campaign))
    from .factories import QuestionFactory

    for i in range(20):
        QuestionFactory(group=q["long"].group, text=f"Extra {i}?")
    with django_assert_num_queries(7):
        assert client.get(_url(campaign)).status_code == 200
