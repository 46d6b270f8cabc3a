"""Back office: questionnaires built with inlines, previewed, copied, protected once answered; campaigns
with their Link and validation per type."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Question, QuestionGroup, Questionnaire
from campaigns.services import response_submit
from tests import factories

from .factories import CampaignFactory, QuestionnaireCategoryFactory, every_kind_questionnaire


@pytest.fixture
def admin_client_(client_as, admin_user):
    return client_as(admin_user)


def _inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_questionnaire_with_ordered_groups_is_added_in_the_admin(admin_client_):
    category = QuestionnaireCategoryFactory()
    data = {"title": "Onboarding", "category": category.pk, "description": ""}
    data |= _inline("groups", [{"order": "2", "title": "Second"}, {"order": "1", "title": "First"}])
    reply = admin_client_.post(reverse("admin:questionnaires_questionnaire_add"), data)
    assert reply.status_code == 302, reply.content.decode()[:2000]
    questionnaire = Questionnaire.objects.get(title="Onboarding")
    assert [g.title for g in questionnaire.groups.all()] == ["First", "Second"]


def test_questions_are_added_to_a_group_with_choices_validated(admin_client_):
    group = factories_group()
    url = reverse("admin:questionnaires_questiongroup_change", args=[group.pk])
    base = {"title": group.title, "order": "1"}
    bad = base | _inline(
        "questions", [{"order": "1", "text": "Pick one", "kind": "single_choice", "choices": "Only one"}]
    )
    reply = admin_client_.post(url, bad)
    assert reply.status_code == 200
    assert "Give at least two choices" in reply.content.decode()
    good = base | _inline(
        "questions",
        [
            {
                "order": "2",
                "text": "Pick one",
                "kind": "single_choice",
                "choices": "A\n\nB\nA",
                "required": "on",
            },
            {"order": "1", "text": "Welcome", "kind": "info"},
        ],
    )
    assert admin_client_.post(url, good).status_code == 302
    questions = list(group.questions.all())
    assert [q.text for q in questions] == ["Welcome", "Pick one"]
    assert questions[1].choice_list == ["A", "B"]


def factories_group() -> QuestionGroup:
    from .factories import QuestionGroupFactory

    return QuestionGroupFactory(title="Experience", order=1)


def test_preview_shows_the_questionnaire_as_people_see_it_without_a_send_button(admin_client_):
    questionnaire, q = every_kind_questionnaire(title="Preview me")
    reply = admin_client_.get(reverse("admin:questionnaires_questionnaire_preview", args=[questionnaire.pk]))
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "questionnaire-preview-banner" in html
    for question in q.values():
        assert question.text in html
    assert 'type="submit"' not in html.split('id="campaign-form"')[1]


def test_preview_is_for_staff_only(client_as, user):
    questionnaire, _q = every_kind_questionnaire()
    reply = client_as(user).get(
        reverse("admin:questionnaires_questionnaire_preview", args=[questionnaire.pk])
    )
    assert reply.status_code == 302  # to the admin login


def test_copy_is_a_post_and_copies_groups_and_questions(admin_client_):
    questionnaire, q = every_kind_questionnaire(title="Original")
    url = reverse("admin:questionnaires_questionnaire_copy", args=[questionnaire.pk])
    assert admin_client_.get(url).status_code == 405
    reply = admin_client_.post(url)
    copy = Questionnaire.objects.get(title="Original (copy)")
    assert reply["Location"] == reverse("admin:questionnaires_questionnaire_change", args=[copy.pk])
    old = [
        (qq.group.title, qq.text, qq.kind, qq.required, qq.choices)
        for qq in Question.objects.filter(group__questionnaire=questionnaire).order_by(
            "group__order", "order"
        )
    ]
    new = [
        (qq.group.title, qq.text, qq.kind, qq.required, qq.choices)
        for qq in Question.objects.filter(group__questionnaire=copy).order_by("group__order", "order")
    ]
    assert new == old
    assert len(new) == len(q)


@pytest.fixture
def answered_questionnaire(db, user):
    questionnaire, q = every_kind_questionnaire(title="Answered")
    campaign = CampaignFactory(questionnaire=questionnaire)
    response_submit(campaign=campaign, user=user, answers={q["rating"].pk: 5, q["yes_no"].pk: "yes"})
    return questionnaire, q, campaign


def test_answered_questionnaire_says_so_and_offers_a_copy(admin_client_, answered_questionnaire):
    questionnaire, _q, _campaign = answered_questionnaire
    html = admin_client_.get(
        reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    ).content.decode()
    assert "already has answers" in html
    assert reverse("admin:questionnaires_questionnaire_copy", args=[questionnaire.pk]) in html
    assert "groups-0-DELETE" not in html  # groups cannot be removed


def test_answered_questionnaire_refuses_changes_that_lose_answers(admin_client_, answered_questionnaire):
    _questionnaire, q, _campaign = answered_questionnaire
    group = q["single"].group
    url = reverse("admin:questionnaires_questiongroup_change", args=[group.pk])
    questions = list(group.questions.all())
    rows = [
        {
            "id": str(x.pk),
            "group": str(group.pk),
            "order": str(x.order),
            "text": x.text,
            "kind": x.kind,
            "choices": x.choices,
            **({"required": "on"} if x.required else {}),
        }
        for x in questions
    ]
    single = next(i for i, x in enumerate(questions) if x.pk == q["single"].pk)
    rating = next(i for i, x in enumerate(questions) if x.pk == q["rating"].pk)

    def post(changes):
        data = {"title": group.title, "order": str(group.order)}
        changed = [dict(r) for r in rows]
        for i, ch in changes:
            changed[i].update(ch)
        return admin_client_.post(url, data | _inline("questions", changed, initial=len(rows)))

    reply = post([(rating, {"kind": "number"})])
    assert "the kind of a question cannot change" in reply.content.decode()
    reply = post([(single, {"choices": "Portal\nPhone"})])
    assert "existing choices cannot be removed" in reply.content.decode()
    reply = post([(single, {"choices": "Portal\nPhone\nE-mail\nChat", "text": "Which channel?"})])
    assert reply.status_code == 302
    q["single"].refresh_from_db()
    assert q["single"].choice_list == ["Portal", "Phone", "E-mail", "Chat"]
    assert q["single"].text == "Which channel?"


def test_answered_questionnaire_cannot_be_deleted(admin_client_, answered_questionnaire):
    questionnaire, _q, _campaign = answered_questionnaire
    reply = admin_client_.post(
        reverse("admin:questionnaires_questionnaire_delete", args=[questionnaire.pk]), {"post": "yes"}
    )
    assert reply.status_code == 403
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


# --- campaigns --------------------------------------------------------------------------------


def _campaign_data(questionnaire, **extra) -> dict:
    now = timezone.localtime()
    data = {
        "title": "Onboarding feedback",
        "status": "active",
        "questionnaire": questionnaire.pk,
        "type": "global",
        "starts_at": now.strftime("%Y-%m-%dT08:00"),
        "ends_at": (now + timedelta(days=10)).strftime("%Y-%m-%dT18:00"),
        "anonymous": "on",
    }
    return data | extra


def test_campaign_is_created_and_shows_its_link_with_a_copy_button(admin_client_, settings):
    settings.SITE_URL = "https://portal.example.test"
    questionnaire, _q = every_kind_questionnaire()
    reply = admin_client_.post(reverse("admin:campaigns_campaign_add"), _campaign_data(questionnaire))
    assert reply.status_code == 302, reply.content.decode()[-3000:]
    campaign = Campaign.objects.get(title="Onboarding feedback")
    html = admin_client_.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).content.decode()
    assert f"https://portal.example.test/campaigns/{campaign.key}/" in html
    assert 'data-copy-target="campaign-link"' in html
    assert "js/copy-link.js" in html


def test_campaign_title_is_unique(admin_client_):
    questionnaire, _q = every_kind_questionnaire()
    CampaignFactory(title="Onboarding feedback")
    reply = admin_client_.post(reverse("admin:campaigns_campaign_add"), _campaign_data(questionnaire))
    assert reply.status_code == 200
    assert "already exists" in reply.content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"type": "catalog"}, "needs the portfolio"),
        ({"type": "service"}, "needs the service"),
        ({"ends_at": "2020-01-01T10:00"}, "The end must be after the start."),
        ({"type": "public", "notify": "on"}, "Only Global campaigns are announced"),
    ],
)
def test_campaign_validation_per_type(admin_client_, extra, message):
    questionnaire, _q = every_kind_questionnaire()
    reply = admin_client_.post(
        reverse("admin:campaigns_campaign_add"), _campaign_data(questionnaire, **extra)
    )
    assert reply.status_code == 200
    assert message in reply.content.decode()


def test_public_campaign_refuses_target_groups(admin_client_):
    questionnaire, _q = every_kind_questionnaire()
    group = factories.GroupFactory(name="Anyone")
    data = _campaign_data(questionnaire, type="public", target_groups=[group.pk])
    reply = admin_client_.post(reverse("admin:campaigns_campaign_add"), data)
    assert "Only Global campaigns have target groups" in reply.content.decode()


def test_campaign_list_in_the_admin(admin_client_):
    CampaignFactory(title="Listed", max_answers=10)
    html = admin_client_.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert "Listed" in html
    assert "0 / 10" in html
