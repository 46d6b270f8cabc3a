"""The Knowledge Portal (docs/domain.md, element 2): search, categories, pages, visibility."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Article
from tests import factories

HOME = reverse("knowledge:home")


def _article_url(article) -> str:
    return reverse("knowledge:article", kwargs={"pk": article.pk})


def _titles(response) -> list[str]:
    return [a.title for a in response.context["articles"]]


# --- the toolbar ----------------------------------------------------------------------------------


def test_toolbar_links_to_the_knowledge_portal(maria):
    html = maria.get("/catalog/").content.decode()
    assert 'id="knowledge-link" href="/knowledge/"' in html
    assert "Knowledge Portal" in html


def test_toolbar_link_marks_the_current_page(maria, kb):
    assert 'aria-current="page"' in maria.get(HOME).content.decode().split('id="knowledge-link"')[1][:120]


def test_knowledge_portal_requires_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- list and search ------------------------------------------------------------------------------


def test_lists_published_articles_newest_first(maria, kb):
    kb["vpn"].published_at = timezone.now() - timedelta(minutes=5)
    kb["vpn"].save(update_fields=["published_at"])
    response = maria.get(HOME)
    assert response.status_code == 200
    titles = _titles(response)
    assert titles[0] == "Connect to the VPN"
    assert set(titles) == {
        "Reset a forgotten password",
        "Connect to the VPN",
        "Printer paper jam",
        "E-mail on your phone",
    }
    assert "4 articles" in response.content.decode()


def test_search_matches_every_word_in_title_summary_or_text(maria, kb):
    assert set(_titles(maria.get(HOME, {"q": "password"}))) == {
        "Reset a forgotten password",
        "Connect to the VPN",
    }
    assert _titles(maria.get(HOME, {"q": "password login"})) == ["Reset a forgotten password"]  # summary
    assert _titles(maria.get(HOME, {"q": "GENTLY"})) == ["Printer paper jam"]  # text, any case
    assert _titles(maria.get(HOME, {"q": "mailbox"})) == ["E-mail on your phone"]


def test_search_in_spanish_for_a_spanish_speaking_user(maria, user, kb):
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    response = maria.get(HOME, {"q": "contraseña olvidada"})
    assert _titles(response) == ["Reset a forgotten password"]
    html = response.content.decode()
    assert "Restablecer una contraseña olvidada" in html  # shown in Spanish
    assert "Cuentas y acceso" in html
    # The default text is searched too; Portuguese is not the user's language.
    assert _titles(maria.get(HOME, {"q": "forgotten"})) == ["Reset a forgotten password"]
    assert _titles(maria.get(HOME, {"q": "esquecida"})) == []


def test_spanish_words_are_not_searched_for_an_english_speaking_user(maria, kb):
    assert _titles(maria.get(HOME, {"q": "contraseña"})) == []


def test_category_filter(maria, kb):
    assert set(_titles(maria.get(HOME, {"category": kb["devices"].pk}))) == {
        "Printer paper jam",
        "E-mail on your phone",
    }
    assert _titles(maria.get(HOME, {"category": kb["devices"].pk, "q": "paper"})) == ["Printer paper jam"]


def test_an_unknown_category_is_ignored_not_an_error(maria, kb):
    response = maria.get(HOME, {"category": "nope", "q": "vpn"})
    assert response.status_code == 200
    assert _titles(response) == ["Connect to the VPN"]


def test_pagination_keeps_the_search(maria, catalog):
    cat = factories.KnowledgeCategoryFactory(name="Howtos")
    now = timezone.now()
    for i in range(23):
        factories.ArticleFactory(
            title=f"Guide {i:02d}", category=cat, published_at=now - timedelta(hours=i + 1)
        )
    factories.ArticleFactory(title="Unrelated", body="Nothing to see", summary="")
    first = maria.get(HOME, {"q": "guide"})
    assert _titles(first) == [f"Guide {i:02d}" for i in range(10)]
    html = first.content.decode()
    assert "23 articles" in html
    assert 'href="?q=guide&amp;page=2"' in html
    assert _titles(maria.get(HOME, {"q": "guide", "page": 3})) == [f"Guide {i:02d}" for i in range(20, 23)]
    # Out of range or garbage: the last or the first page, never an error.
    assert _titles(maria.get(HOME, {"q": "guide", "page": 99}))[0] == "Guide 20"
    assert _titles(maria.get(HOME, {"q": "guide", "page": "x"}))[0] == "Guide 00"


def test_empty_states(maria, catalog):
    html = maria.get(HOME).content.decode()
    assert 'data-empty="no-articles"' in html
    factories.ArticleFactory(title="Connect to the VPN")
    html = maria.get(HOME, {"q": "printer"}).content.decode()
    assert 'data-empty="no-match"' in html
    assert "No article matches your search." in html


# --- publication ----------------------------------------------------------------------------------


def test_unpublished_and_scheduled_articles_are_hidden(maria, kb):
    later = factories.ArticleFactory(
        title="Printer upgrade next week", published_at=timezone.now() + timedelta(days=2)
    )
    titles = _titles(maria.get(HOME, {"q": "printer"}))
    assert titles == ["Printer paper jam"]
    assert maria.get(_article_url(kb["draft"])).status_code == 404
    assert maria.get(_article_url(later)).status_code == 404


def test_staff_preview_an_unpublished_article(client_as, attendant, kb):
    response = client_as(attendant).get(_article_url(kb["draft"]))
    assert response.status_code == 200
    assert 'id="article-unpublished"' in response.content.decode()
    assert "Draft about printer toner" not in _titles(client_as(attendant).get(HOME))


def test_article_page_shows_the_text_with_paragraphs_escaped(maria, kb):
    article = factories.ArticleFactory(
        title="Safe", body="Line <b>one</b>\nline two\n\n<script>alert(1)</script>"
    )
    html = maria.get(_article_url(article)).content.decode()
    assert "<p>Line &lt;b&gt;one&lt;/b&gt;<br>line two</p>" in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html


def test_article_page_in_the_users_language_with_its_visible_services(maria, user, kb, catalog):
    user.preferred_language = "pt-br"
    user.save(update_fields=["preferred_language"])
    html = maria.get(_article_url(kb["password"])).content.decode()
    assert "Redefinir uma senha esquecida" in html
    assert "Esqueci a senha" in html
    assert "Choose a new password from the login page." in html  # no Portuguese summary: the default one
    assert f'href="/catalog/service/{catalog["payroll"].pk}/"' in html


def test_unknown_article_is_404(maria, db):
    assert maria.get(reverse("knowledge:article", kwargs={"pk": 999})).status_code == 404


def test_publishing_without_a_date_publishes_now(kb):
    article = Article(title="New", body="Text", category=kb["devices"], published=True)
    article.full_clean()
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_published_article_needs_a_date(kb):
    article = Article(title="New", body="Text", category=kb["devices"], published=True)
    with pytest.raises(IntegrityError):
        article.save()


def test_model_validation_refuses_an_empty_text(kb):
    with pytest.raises(ValidationError):
        Article(title="New", body="", category=kb["devices"]).full_clean()


# --- visibility by related services (parameter 293) ----------------------------------------------


@pytest.fixture
def restricted(kb, catalog, set_param):
    """Parameter 293 on; the Printing service is for the "Printer admins" group only."""
    group = factories.GroupFactory(name="Printer admins")
    catalog["printing"].groups.add(group)
    set_param(293, True)
    return group


def test_article_of_a_service_the_user_cannot_see_is_hidden(maria, kb, restricted):
    assert "Printer paper jam" not in _titles(maria.get(HOME))
    assert maria.get(_article_url(kb["printer"])).status_code == 404
    # Articles without services, and of visible services, still show.
    assert {"E-mail on your phone", "Reset a forgotten password"} <= set(_titles(maria.get(HOME)))


def test_article_of_a_service_shows_to_its_group(maria, user, kb, restricted):
    user.groups.add(restricted)
    assert "Printer paper jam" in _titles(maria.get(HOME))
    assert maria.get(_article_url(kb["printer"])).status_code == 200


def test_groups_are_ignored_when_293_is_off(maria, kb, restricted, set_param):
    set_param(293, False)
    assert "Printer paper jam" in _titles(maria.get(HOME))


def test_article_of_a_hidden_portfolio_is_hidden(maria, kb, catalog, set_param):
    catalog["technical"].groups.add(factories.GroupFactory(name="IT"))
    set_param(293, True)
    assert maria.get(_article_url(kb["printer"])).status_code == 404


def test_article_of_a_service_not_in_the_portal_is_hidden(maria, kb, catalog):
    catalog["printing"].available_in_portal = False
    catalog["printing"].save(update_fields=["available_in_portal"])
    assert maria.get(_article_url(kb["printer"])).status_code == 404


def test_article_related_to_one_visible_service_of_several_is_shown_once(maria, kb, catalog, restricted):
    kb["printer"].services.add(catalog["payroll"])
    titles = _titles(maria.get(HOME))
    assert titles.count("Printer paper jam") == 1
    html = maria.get(_article_url(kb["printer"])).content.decode()
    assert f'href="/catalog/service/{catalog["payroll"].pk}/"' in html
    assert f'href="/catalog/service/{catalog["printing"].pk}/"' not in html  # hidden service: no link


# --- the service page -----------------------------------------------------------------------------


def test_service_page_shows_related_knowledge(maria, kb, catalog):
    html = maria.get(reverse("catalog:service", kwargs={"pk": catalog["printing"].pk})).content.decode()
    section = html.split('id="related-knowledge"')[1]
    assert "Printer paper jam" in section
    assert "Draft about printer toner" not in html
    assert "E-mail on your phone" not in section  # not related to Printing


def test_service_page_shows_at_most_five_related_articles(maria, catalog):
    now = timezone.now()
    for i in range(7):
        factories.ArticleFactory(
            title=f"Printing tip {i}",
            services=[catalog["printing"]],
            published_at=now - timedelta(hours=i + 1),
        )
    response = maria.get(reverse("catalog:service", kwargs={"pk": catalog["printing"].pk}))
    assert [a.title for a in response.context["knowledge"]] == [f"Printing tip {i}" for i in range(5)]


def test_service_page_without_related_knowledge_has_no_section(maria, kb, catalog):
    service = factories.ServiceFactory(portfolio=catalog["business"], name="Parking")
    html = maria.get(reverse("catalog:service", kwargs={"pk": service.pk})).content.decode()
    assert 'id="related-knowledge"' not in html
