"""Satisfaction Survey: one answer per Closed ticket; "Not attended" + Reopen with 295 = Y; the
single-use, expiring link e-mailed when the ticket is resolved."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboundEmail
from tests import factories
from tests.tickets.helpers import move
from tickets.models import Situation, SurveyAnswer, SurveyToken
from tickets.services.feedback import survey_answer, survey_token_create


def url(t):
    return reverse("tickets:survey", args=[t.pk])


def msgs(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_survey_offers_four_evaluations_and_records_the_answer(client_as, user, closed):
    client = client_as(user)
    page = client.get(url(closed)).content.decode()
    assert re.findall(r'data-value="(\w+)"', page) == ["excellent", "good", "regular", "poor"]
    assert "Comment/Suggestion of improvement" in page
    assert 'name="reopen"' not in page
    r = client.post(url(closed), {"evaluation": "good", "comment": "Fine"})
    assert msgs(r) == ["Thank you for answering the satisfaction survey."]
    answer = SurveyAnswer.objects.get(ticket=closed)
    assert (answer.evaluation, answer.comment, answer.author) == ("good", "Fine", user)


def test_survey_answered_twice_is_refused(client_as, user, closed):
    client = client_as(user)
    client.post(url(closed), {"evaluation": "good"})
    r = client.post(url(closed), {"evaluation": "poor"})
    assert "already answered" in msgs(r)[-1]
    assert SurveyAnswer.objects.get().evaluation == "good"


def test_not_attended_is_refused_without_parameter_295(client_as, user, closed):
    r = client_as(user).post(url(closed), {"evaluation": "not_attended"})
    assert r.status_code == 200  # not an offered choice: the form shows the error
    assert not SurveyAnswer.objects.exists()


def test_not_attended_with_295_offers_reopen_in_the_same_step(client_as, user, closed, set_param):
    set_param(295, True)
    client = client_as(user)
    page = client.get(url(closed)).content.decode()
    assert 'data-value="not_attended"' in page
    assert 'name="reopen"' in page
    r = client.post(url(closed), {"evaluation": "not_attended", "comment": "Still broken", "reopen": "on"})
    assert "reopened" in msgs(r)[0]
    closed.refresh_from_db()
    assert closed.situation == Situation.REOPENED
    assert SurveyAnswer.objects.get().evaluation == "not_attended"


def test_not_attended_without_ticking_reopen_only_records_the_answer(client_as, user, closed, set_param):
    set_param(295, True)
    client_as(user).post(url(closed), {"evaluation": "not_attended"})
    closed.refresh_from_db()
    assert closed.situation == Situation.CLOSED


def test_reopen_from_survey_after_the_window_is_not_offered_and_refused(client_as, user, closed, set_param):
    set_param(295, True)
    move(
        closed, created_at=timezone.now() - timedelta(days=20), closed_at=timezone.now() - timedelta(days=10)
    )
    client = client_as(user)
    assert b'name="reopen"' not in client.get(url(closed)).content
    client.post(url(closed), {"evaluation": "not_attended", "reopen": "on"})
    closed.refresh_from_db()
    assert closed.situation == Situation.CLOSED


def test_survey_refused_on_a_ticket_that_is_not_closed(client_as, user, ticket):
    r = client_as(user).post(url(ticket), {"evaluation": "good"})
    assert "not available" in msgs(r)[0]
    assert not SurveyAnswer.objects.exists()


def test_survey_of_another_users_ticket_is_404(client_as, other_user, closed):
    assert client_as(other_user).post(url(closed), {"evaluation": "good"}).status_code == 404


# --- the e-mailed link ----------------------------------------------------------------------------


def resolve_in_admin(client_as, attendant, ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client_as(attendant).post(
            reverse("admin:tickets_ticket_transition", args=[ticket.pk, "resolve"]),
            {"text": "Toner replaced."},
        )
    assert r.status_code == 302


def test_resolving_emails_the_requester_a_survey_link(
    client_as, attendant, user, captured, set_param, django_capture_on_commit_callbacks
):
    template = factories.EmailTemplateFactory(
        body="Hello ${REQUESTERNAME}, answer: ${LINKSOLICITACAOSERVICO}"
    )
    set_param(251, template.pk)
    resolve_in_admin(client_as, attendant, captured, django_capture_on_commit_callbacks)
    email = OutboundEmail.objects.get()
    assert email.recipient == user.email
    assert email.status == OutboundEmail.Status.SENT
    link = re.search(r"http\S+/my-requests/survey/(\S+)/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    token = SurveyToken.objects.get(ticket=captured)
    assert token.token_hash != link.group(1)  # only the hash is stored
    assert token.expires_at > timezone.now() + timedelta(days=6)


def test_dedicated_survey_template_is_preferred(
    client_as, attendant, captured, set_param, django_capture_on_commit_callbacks
):
    set_param(251, factories.EmailTemplateFactory().pk)
    dedicated = factories.EmailTemplateFactory(name="Satisfaction survey", body="${SURVEYLINK}")
    resolve_in_admin(client_as, attendant, captured, django_capture_on_commit_callbacks)
    assert OutboundEmail.objects.get().template == dedicated


def test_without_a_template_resolving_sends_nothing(
    client_as, attendant, captured, django_capture_on_commit_callbacks
):
    resolve_in_admin(client_as, attendant, captured, django_capture_on_commit_callbacks)
    captured.refresh_from_db()
    assert captured.situation == Situation.RESOLVED
    assert not OutboundEmail.objects.exists()
    assert not SurveyToken.objects.exists()


def link(raw):
    return reverse("tickets:survey-link", kwargs={"token": raw})


def test_survey_link_opens_the_survey_and_is_single_use(client_as, user, closed):
    _token, raw = survey_token_create(ticket=closed)
    client = client_as(user)
    page = client.get(link(raw))
    assert page.status_code == 200
    assert b'id="survey-form"' in page.content
    client.post(link(raw), {"evaluation": "excellent"})
    assert SurveyAnswer.objects.get().evaluation == "excellent"
    used = client.get(link(raw))
    assert used.status_code == 410
    assert b'id="survey-link-invalid"' in used.content
    assert closed.title.encode() not in used.content
    assert f"Ticket {closed.pk}".encode() not in used.content


def test_expired_survey_link_shows_no_ticket_data(client_as, user, closed):
    _token, raw = survey_token_create(ticket=closed, now=timezone.now() - timedelta(days=8))
    r = client_as(user).get(link(raw))
    assert r.status_code == 410
    assert b'id="survey-link-invalid"' in r.content
    assert closed.title.encode() not in r.content
    assert b"survey-form" not in r.content


def test_unknown_survey_link(client_as, user, closed):
    r = client_as(user).get(link("not-a-token"))
    assert r.status_code == 410
    assert b'id="survey-link-invalid"' in r.content


def test_survey_link_of_another_user_shows_no_ticket_data(client_as, other_user, closed):
    _token, raw = survey_token_create(ticket=closed)
    r = client_as(other_user).get(link(raw))
    assert r.status_code == 404
    assert closed.title.encode() not in r.content


def test_survey_link_needs_login(client, closed):
    _token, raw = survey_token_create(ticket=closed)
    r = client.get(link(raw))
    assert r.status_code == 302
    assert "/accounts/login/" in r.url


def test_survey_link_before_closing_waits_and_stays_valid(client_as, user, captured, attendant):
    from tickets.services.transitions import ticket_resolve

    ticket_resolve(ticket=captured, actor=attendant, solution="Done")
    token, raw = survey_token_create(ticket=captured)
    r = client_as(user).get(link(raw))
    assert b'id="survey-link-waiting"' in r.content
    token.refresh_from_db()
    assert token.used_at is None


def test_survey_link_of_an_answered_ticket_is_refused_and_the_get_writes_nothing(client_as, user, closed):
    token, raw = survey_token_create(ticket=closed)
    survey_answer(ticket=closed, actor=user, evaluation="good")
    r = client_as(user).get(link(raw))
    assert r.status_code == 410
    assert b'id="survey-link-invalid"' in r.content
    token.refresh_from_db()
    assert token.used_at is None
