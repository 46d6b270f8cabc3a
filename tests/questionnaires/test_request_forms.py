"""Issue 27 §2, a form per service: an activity's questionnaire in its request form, conditions and
required questions decided on the server, the answers kept with the ticket (and per Smartbox item)
and shown on Description, in the ticket admin (searchable), in the e-mails and through the API."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.demo import seed_request_forms
from portal.models import SmartboxItem
from portal.services import smartbox_submit
from questionnaires.conditions import hidden_questions
from questionnaires.demo import ACCESSORIES, JUSTIFICATION, MODEL, request_forms_seed
from questionnaires.models import Question, QuestionGroup
from tests import factories
from tickets.emails import description_with_answers, ticket_context
from tickets.models import Ticket


@pytest.fixture
def laptop(catalog, portal_ready):
    """The demo's "New laptop" form on the catalog's toner activity."""
    activity = catalog["toner"]
    seed_request_forms({"Software installation": catalog["jam"], "New laptop": activity})
    activity.refresh_from_db()
    questions = {q.text: q for q in Question.objects.filter(group__questionnaire=activity.questionnaire)}
    return activity, questions


@pytest.fixture
def bearer(user):
    from rest_framework.test import APIClient

    from api.services import api_token_create

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='script', days=30)[1]}")
    return api


def _url(activity):
    return reverse("catalog:activity-new", kwargs={"pk": activity.pk})


def _post(client, activity, questions, **answers):
    data = {"title": "Laptop", "description": "For the new hire.", "action": "finish"}
    for text, value in answers.items():
        data[f"q{questions[text].pk}"] = value
    return client.post(_url(activity), data)


def test_the_form_shows_the_questions_and_the_condition_for_the_script(client_as, user, laptop):
    activity, q = laptop
    html = client_as(user).get(_url(activity)).content.decode()
    assert f'name="q{q[MODEL].pk}"' in html
    assert 'value="Premium"' in html
    assert f'data-shown-if-question="{q[MODEL].pk}" data-shown-if-value="Premium"' in html
    assert "js/questionnaire-conditions.js" in html
    # The justification may be hidden: the browser is not told to require it (the server decides).
    tag = re.search(rf'<textarea name="q{q[JUSTIFICATION].pk}"[^>]*>', html).group(0)
    assert "required" not in tag
    assert re.search(rf'<input type="radio" name="q{q[MODEL].pk}"[^>]*required', html)


def test_a_required_question_hidden_by_its_condition_is_not_required(client_as, user, laptop):
    activity, q = laptop
    r = _post(client_as(user), activity, q, **{MODEL: "Standard", ACCESSORIES: ["Mouse", "Headset"]})
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.answers == [
        {"question": q[MODEL].pk, "text": MODEL, "kind": "single_choice", "value": "Standard"},
        {
            "question": q[ACCESSORIES].pk,
            "text": ACCESSORIES,
            "kind": "multiple_choice",
            "value": ["Mouse", "Headset"],
        },
    ]


def test_an_answer_to_a_hidden_question_is_not_kept(client_as, user, laptop):
    activity, q = laptop
    _post(client_as(user), activity, q, **{MODEL: "Standard", JUSTIFICATION: "sent anyway"})
    assert [a["text"] for a in Ticket.objects.get().answers] == [MODEL]


def test_a_visible_required_answer_left_out_is_refused_next_to_its_field(client_as, user, laptop):
    """A POST made by hand (no browser check at all): Premium shows the justification, required."""
    activity, q = laptop
    r = _post(client_as(user), activity, q, **{MODEL: "Premium"})
    assert r.status_code == 200
    assert not Ticket.objects.exists()
    html = r.content.decode()
    errors = html[html.index(f'id="id_q{q[JUSTIFICATION].pk}-errors"') :]
    assert "This field is required." in errors[:200]
    r = _post(client_as(user), activity, q, **{})  # the model itself is required
    assert f'id="id_q{q[MODEL].pk}-errors"' in r.content.decode()
    assert not Ticket.objects.exists()


def test_premium_with_its_justification_is_kept_and_shown_on_description(client_as, user, laptop):
    activity, q = laptop
    client = client_as(user)
    _post(client, activity, q, **{MODEL: "Premium", JUSTIFICATION: "Video <editing>"})
    ticket = Ticket.objects.get()
    assert [(a["text"], a["value"]) for a in ticket.answers] == [
        (MODEL, "Premium"),
        (JUSTIFICATION, "Video <editing>"),
    ]
    html = client.get(reverse("tickets:description", kwargs={"pk": ticket.pk})).content.decode()
    assert 'id="ticket-answers"' in html
    assert "Video &lt;editing&gt;" in html
    assert "Video <editing>" not in html


def test_a_campaign_like_condition_on_yes_no_and_multiple_choice():
    group = QuestionGroup(pk=1)
    a = Question(pk=1, group=group, kind="multiple_choice", choices="x\ny")
    b = Question(pk=2, group=group, kind="yes_no", shown_if_question=a, shown_if_value="y")
    c = Question(
        pk=3, group=group, kind="short_text", required=True, shown_if_question=b, shown_if_value="yes"
    )
    assert hidden_questions([a, b, c], {1: ["x"], 2: "yes"}) == {2, 3}  # b hidden, so c too
    assert hidden_questions([a, b, c], {1: ["x", "y"], 2: "yes"}) == set()
    assert hidden_questions([a, b, c], {1: ["y"], 2: "no"}) == {3}


def test_the_smartbox_keeps_the_answers_per_item(client_as, user, laptop, set_param):
    set_param(292, True)
    activity, q = laptop
    client = client_as(user)
    data = {"title": "Laptop", "description": "D", "action": "continue", f"q{q[MODEL].pk}": "Developer"}
    assert client.post(_url(activity), data).status_code == 302
    data[f"q{q[MODEL].pk}"] = "Premium"  # the second item: premium, and its justification missing
    assert client.post(_url(activity), data).status_code == 200
    data[f"q{q[JUSTIFICATION].pk}"] = "Rendering"
    assert client.post(_url(activity), data).status_code == 302
    first, second = SmartboxItem.objects.order_by("id")
    assert [a["value"] for a in first.answers] == ["Developer"]
    assert [a["value"] for a in second.answers] == ["Premium", "Rendering"]
    listed = client.get(reverse("portal:smartbox")).content.decode()
    assert "<li>Justification: Rendering</li>" in listed
    edit = client.get(reverse("portal:smartbox-edit", kwargs={"pk": second.pk})).content.decode()
    assert 'value="Premium" data-value="Premium"' in edit
    assert "checked" in edit
    assert "Rendering" in edit
    tickets = smartbox_submit(user=user, item_ids=[first.pk, second.pk])
    assert [[a["value"] for a in t.answers] for t in tickets] == [["Developer"], ["Premium", "Rendering"]]


def test_the_ticket_admin_shows_and_searches_the_answers(client_as, user, laptop):
    activity, q = laptop
    _post(client_as(user), activity, q, **{MODEL: "Premium", JUSTIFICATION: "Edição de vídeo"})
    ticket = Ticket.objects.get()
    other = factories.open_ticket(requester=user, activity=activity, title="Without answers")
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_as(admin)
    html = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    assert "<dt>Justification</dt><dd>Edição de vídeo</dd>" in html
    found = client.get(reverse("admin:tickets_ticket_changelist"), {"q": "edição"}).content.decode()
    assert reverse("admin:tickets_ticket_change", args=[ticket.pk]) in found
    assert reverse("admin:tickets_ticket_change", args=[other.pk]) not in found


def test_the_emails_carry_the_answers(client_as, user, laptop):
    activity, q = laptop
    _post(
        client_as(user), activity, q, **{MODEL: "Premium", JUSTIFICATION: "Rendering", ACCESSORIES: ["Mouse"]}
    )
    ticket = Ticket.objects.get()
    context = ticket_context(ticket=ticket, language="en")
    assert context["ANSWERS"] == "Model: Premium\nAccessories: Mouse\nJustification: Rendering"
    # The approver's e-mail (approvals/services.py): the description, then the answers.
    assert description_with_answers(ticket, language="en").endswith(context["ANSWERS"])
    assert ticket_context(ticket=factories.open_ticket(requester=user), language="en")["ANSWERS"] == ""


def test_the_api_gives_the_answers_and_refuses_a_missing_required_one(bearer, user, laptop):
    activity, q = laptop
    url = reverse("api:activity-request", kwargs={"pk": activity.pk})
    body = {"title": "Laptop", "description": "D", f"q{q[MODEL].pk}": "Premium"}
    r = bearer.post(url, body, format="multipart")
    assert r.status_code == 400
    assert f"q{q[JUSTIFICATION].pk}" in str(r.json())
    body[f"q{q[JUSTIFICATION].pk}"] = "Rendering"
    r = bearer.post(url, body, format="multipart")
    assert r.status_code == 201, r.content
    answers = r.json()["answers"]
    assert answers[1] == {
        "question": q[JUSTIFICATION].pk,
        "text": JUSTIFICATION,
        "kind": "long_text",
        "value": "Rendering",
        "display": "Rendering",
    }
    detail = bearer.get(reverse("api:ticket", kwargs={"pk": r.json()["number"]})).json()
    assert detail["answers"] == answers


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_stay_the_same_with_more_questions_and_answers(client_as, user, laptop):
    """The request form and Description at two sizes: 3 questions / answers, then 15."""
    activity, q = laptop
    client = client_as(user)
    _post(client, activity, q, **{MODEL: "Premium", JUSTIFICATION: "R"})
    small_ticket = Ticket.objects.get()
    _count(client, _url(activity))  # warm: the session's and the parameters' first reads
    _count(client, reverse("tickets:description", kwargs={"pk": small_ticket.pk}))
    form_small = _count(client, _url(activity))
    description_small = _count(client, reverse("tickets:description", kwargs={"pk": small_ticket.pk}))
    group = q[MODEL].group
    for i in range(12):
        Question.objects.create(group=group, order=10 + i, text=f"Extra {i}", kind="short_text")
    data = {"title": "L", "description": "D", f"q{q[MODEL].pk}": "Premium", f"q{q[JUSTIFICATION].pk}": "R"}
    data.update(
        {
            f"q{pk}": "x"
            for pk in Question.objects.filter(text__startswith="Extra").values_list("pk", flat=True)
        }
    )
    client.post(_url(activity), data)
    big_ticket = Ticket.objects.latest("id")
    assert len(big_ticket.answers) == 14
    assert _count(client, _url(activity)) == form_small
    assert _count(client, reverse("tickets:description", kwargs={"pk": big_ticket.pk})) == description_small


def test_the_demo_forms_are_seeded_once_and_keep_an_admins_choice(catalog):
    forms = request_forms_seed()
    assert request_forms_seed() == forms
    laptop = forms["New laptop"]
    model = Question.objects.get(group__questionnaire=laptop, text=MODEL)
    assert "Premium" in model.choice_list
    assert model.required
    justification = Question.objects.get(group__questionnaire=laptop, text=JUSTIFICATION)
    assert (justification.shown_if_question, justification.shown_if_value, justification.required) == (
        model,
        "Premium",
        True,
    )


def test_the_approvers_email_shows_the_answers(client_as, user, laptop):
    """ "New laptop" waits for approval: the e-mail each approver gets (template "Approval request",
    rendered as the outbox sends it) has the answers after the description."""
    from outbox.models import OutboundEmail
    from outbox.rendering import render_texts

    activity, q = laptop
    approvers = factories.GroupFactory(name="Laptop approvers")
    factories.UserFactory(username="boss", email="boss@example.com", groups=[approvers])
    activity.approver_group = approvers
    activity.save(update_fields=["approver_group"])
    _post(client_as(user), activity, q, **{MODEL: "Premium", JUSTIFICATION: "Rendering"})
    row = OutboundEmail.objects.get(idempotency_key__startswith="approval:", recipient="boss@example.com")
    _subject, body = render_texts(row)
    assert "For the new hire.\n\nModel: Premium\nJustification: Rendering" in body


def test_a_campaign_applies_the_same_conditions(client_as, user, laptop):
    """The questionnaires are shared: a campaign of the laptop form requires the justification only
    for premium, on its page and in its service."""
    from campaigns.models import Answer
    from campaigns.services import response_submit
    from tests.campaigns.factories import CampaignFactory

    activity, q = laptop
    campaign = CampaignFactory(questionnaire=activity.questionnaire)
    client = client_as(user)
    url = reverse("campaigns:detail", kwargs={"key": campaign.key})
    reply = client.post(url, {f"q{q[MODEL].pk}": "Premium"})
    assert reply.status_code == 400
    assert f'id="id_q{q[JUSTIFICATION].pk}-errors"' in reply.content.decode()
    response_submit(campaign=campaign, user=user, answers={q[MODEL].pk: "Standard"})
    assert list(Answer.objects.values_list("choice", flat=True)) == ["Standard"]
