"""Related knowledge suggested while a request's description is typed (docs/domain.md)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from knowledge.selectors import suggestion_words
from tests import factories

SUGGEST = reverse("knowledge:suggest")


def _suggest(client, q, **extra) -> list[str]:
    response = client.get(SUGGEST, {"q": q, **extra})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [r["title"] for r in response.json()["results"]]


def test_suggests_articles_matching_words_of_the_description(maria, kb):
    response = maria.get(SUGGEST, {"q": "My printer shows a paper jam"})
    data = response.json()
    assert data["results"][0] == {
        "title": "Printer paper jam",
        "summary": "Remove jammed paper.",
        "url": reverse("knowledge:article", kwargs={"pk": kb["printer"].pk}),
    }
    assert data["count_label"] == "1 related article"


def test_any_word_matches_and_more_matching_words_rank_first(maria, kb):
    # "password" is in two articles; "forgot" only in the password one (its text).
    assert _suggest(maria, "I forgot my password") == ["Reset a forgotten password", "Connect to the VPN"]


def test_short_and_frequent_words_are_ignored(maria, kb):
    factories.ArticleFactory(title="On and off", body="It is on or it is off.")
    assert _suggest(maria, "it is on of an") == []
    assert _suggest(maria, "the and for with") == []
    assert suggestion_words("I can't log in to the VPN, the VPN is down!") == ["log", "vpn", "down"]


def test_at_most_five_suggestions(maria, catalog):
    for i in range(8):
        factories.ArticleFactory(title=f"Password tip {i}")
    assert len(_suggest(maria, "password")) == 5


def test_articles_of_the_requests_service_come_first(maria, catalog):
    now = timezone.now()
    newer = factories.ArticleFactory(
        title="Toner of the old printers", published_at=now - timedelta(minutes=1)
    )
    related = factories.ArticleFactory(
        title="Toner of our printers", services=[catalog["printing"]], published_at=now - timedelta(days=30)
    )
    assert _suggest(maria, "toner printers") == [newer.title, related.title]
    assert _suggest(maria, "toner printers", service=catalog["printing"].pk) == [related.title, newer.title]
    # A malformed service is ignored.
    assert _suggest(maria, "toner printers", service="x") == [newer.title, related.title]


def test_only_published_visible_articles_are_suggested(maria, kb, catalog, set_param):
    assert "Draft about printer toner" not in _suggest(maria, "printer toner")
    catalog["printing"].groups.add(factories.GroupFactory(name="Printer admins"))
    set_param(293, True)
    assert _suggest(maria, "printer paper") == []


def test_suggestions_in_the_users_language(maria, user, kb):
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    results = maria.get(SUGGEST, {"q": "olvidé mi contraseña"}).json()["results"]
    assert [r["title"] for r in results] == ["Restablecer una contraseña olvidada"]
    assert results[0]["summary"] == "Elija una nueva contraseña."


def test_nothing_to_suggest_for_an_empty_text(maria, kb, django_assert_num_queries):
    maria.get(SUGGEST, {"q": "x"})  # session and parameters warm
    with django_assert_num_queries(1):  # the user (reads in autocommit): no search
        assert _suggest(maria, "") == []


def test_suggest_requires_login(client, db):
    assert client.get(SUGGEST, {"q": "password"}).status_code == 302


# --- the request form -------------------------------------------------------------------------


def test_request_form_has_the_suggestions_container_and_script(maria, catalog, portal_ready, kb):
    url = reverse("catalog:activity-new", kwargs={"pk": catalog["toner"].pk})
    html = maria.get(url).content.decode()
    assert f'data-suggest-url="{SUGGEST}" data-service="{catalog["printing"].pk}"' in html
    assert 'aria-label="Related knowledge" hidden' in html
    assert 'id="knowledge-suggestions-status"' in html
    assert "js/knowledge-suggest" in html


def test_refused_request_form_renders_suggestions_for_the_description(maria, catalog, portal_ready, kb):
    url = reverse("catalog:activity-new", kwargs={"pk": catalog["toner"].pk})
    response = maria.post(
        url, {"title": "", "description": "The printer has a paper jam", "action": "finish"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Related knowledge" hidden' not in html
    aside = html.split('id="knowledge-suggestions"')[1].split("</aside>")[0]
    assert "Printer paper jam" in aside
    assert 'target="_blank" rel="noopener"' in aside
