"""Every form of a ticket is bounded before it is used (issue 11): over-long values get a form error
or a 4xx, never a 5xx, and nothing is saved. Catalog, knowledge and search: tests/security/."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.security.bounds import LONG_WORD, OVER_LONG, assert_refused
from tickets.models import Attachment, Message, Occurrence, Opinion, SurveyAnswer


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


@pytest.mark.parametrize("value", OVER_LONG, ids=["long-word", "many-words"])
def test_occurrence(maria, captured, value):
    data = {"text": value, "category": factories.CategoryFactory().pk, "origin": factories.OriginFactory().pk}
    r = maria.post(reverse("occurrences:register", args=[captured.pk]), data)
    assert_refused(r)
    assert not Occurrence.objects.filter(text=value).exists()


@pytest.mark.parametrize("value", OVER_LONG, ids=["long-word", "many-words"])
def test_message(maria, captured, set_param, value):
    set_param(299, True)
    r = maria.post(reverse("tickets:message", args=[captured.pk]), {"text": value})
    assert_refused(r)
    assert not Message.objects.exists()


@pytest.mark.parametrize("value", OVER_LONG, ids=["long-word", "many-words"])
def test_opinion(maria, closed, value):
    r = maria.post(
        reverse("tickets:register-opinion", args=[closed.pk]), {"kind": "compliment", "text": value}
    )
    assert_refused(r)
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("value", OVER_LONG, ids=["long-word", "many-words"])
def test_survey(maria, closed, value):
    r = maria.post(reverse("tickets:survey", args=[closed.pk]), {"evaluation": "good", "comment": value})
    assert_refused(r)
    assert not SurveyAnswer.objects.exists()


def test_survey_link_with_a_long_token(client, db):
    assert_refused(client.get(reverse("tickets:survey-link", args=[LONG_WORD])))


@pytest.mark.parametrize("value", OVER_LONG, ids=["long-word", "many-words"])
def test_cancel_and_reopen_reasons(maria, ticket, closed, set_param, value):
    set_param(302, True)
    for name in ("tickets:cancel", "tickets:reopen"):
        assert_refused(maria.post(reverse(name, args=[closed.pk]), {"reason": value}))


def test_attachment_with_a_long_name(maria, captured):
    f = SimpleUploadedFile("n" * 400 + ".pdf", b"%PDF-1.4\nhello", content_type="application/pdf")
    r = maria.post(reverse("tickets:attachments", args=[captured.pk]), {"file": f})
    assert_refused(r)
    assert all(len(a.original_name) <= 255 for a in Attachment.objects.all())


@pytest.mark.parametrize(
    "query",
    [
        {"search": LONG_WORD},
        {"search": "#²"},
        {"search": "9" * 40},
        {"page": "9" * 40},
        {"per_page": LONG_WORD, "sort": LONG_WORD, "order": LONG_WORD, "situation": LONG_WORD},
    ],
)
def test_my_requests_query_string(maria, ticket, query):
    r = maria.get(reverse("tickets:my-requests"), query)
    assert r.status_code == 200


def test_message_poll_with_a_long_after(maria, captured, set_param):
    set_param(299, True)
    assert_refused(maria.get(reverse("tickets:message-poll", args=[captured.pk]), {"after": LONG_WORD}))
