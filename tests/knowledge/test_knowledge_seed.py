"""The demo data's knowledge base (portal/management/commands/seed_demo.py)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from knowledge.models import Article


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_articles_are_published_translated_and_related(seeded):
    articles = list(Article.objects.published().prefetch_related("services"))
    assert len(articles) >= 5
    for a in articles:
        assert a.title_pt_br and a.title_es and a.body_pt_br and a.body_es  # noqa: PT018
    titles = " ".join(a.title.lower() for a in articles)
    for topic in ("password", "vpn", "printer", "e-mail"):
        assert topic in titles
    assert all(a.services.exists() for a in articles if "guest" not in a.title.lower())


def test_demo_request_form_suggests_the_password_article(seeded, client):
    client.force_login(User.objects.get(username="maria"))
    results = client.get(reverse("knowledge:suggest"), {"q": "I forgot my password"}).json()["results"]
    assert results[0]["title"] == "How to reset a forgotten password"
    assert client.get(reverse("knowledge:home"), {"q": "vpn"}).status_code == 200
