"""Search of services (docs/domain.md, element 7): the results page and the as-you-type JSON, in the
user's language."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def _suggest(client, q):
    return client.get(reverse("portal:search-suggest"), {"q": q}).json()


def test_results_page_finds_services_and_activities_by_name_and_description(maria, catalog):
    html = maria.get(reverse("portal:search"), {"q": "print"}).content.decode()
    assert 'id="search-services"' in html
    assert "Printing" in html
    assert 'id="search-activities"' in html
    assert "Printer is broken" in html
    assert "Payroll" not in html
    html = maria.get(reverse("portal:search"), {"q": "benefits"}).content.decode()
    assert "Payroll" in html


def test_every_word_must_match(maria, catalog):
    html = maria.get(reverse("portal:search"), {"q": "payslips printers"}).content.decode()
    assert "No services found." in html


def test_spanish_description_is_searched_when_the_users_language_is_spanish(client_as, user, catalog):
    assert _suggest(client_as(user), "fotocopiadoras")["results"] == []  # English: not searched
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    client = client_as(user)
    data = _suggest(client, "fotocopiadoras")
    assert [r["name"] for r in data["results"]] == ["Printing"]
    assert data["results"][0]["url"] == reverse("catalog:service", kwargs={"pk": catalog["printing"].pk})
    assert "Printing" in client.get(reverse("portal:search"), {"q": "Fotocopiadoras"}).content.decode()
    # The default text is searched in every language.
    assert [r["name"] for r in _suggest(client, "printers")["results"]] == ["Printing"]


def test_translated_names_are_shown_and_searched(client_as, user, catalog):
    s = catalog["printing"]
    s.name_pt_br = "Impressão"
    s.save(update_fields=["name_pt_br"])
    user.preferred_language = "pt-br"
    user.save(update_fields=["preferred_language"])
    data = _suggest(client_as(user), "impress")
    assert [r["name"] for r in data["results"]] == ["Impressão"]
    assert data["results"][0]["context"] == "End-user computing"


def test_hidden_items_are_not_found(maria, catalog, set_param):
    set_param(293, True)
    catalog["printing"].groups.add(factories.GroupFactory(name="Board"))
    data = _suggest(maria, "print")
    assert data["results"] == []


def test_short_queries_find_nothing(maria, catalog):
    assert _suggest(maria, "p")["results"] == []
    assert "Type at least 2 characters." in maria.get(reverse("portal:search"), {"q": "p"}).content.decode()


def test_suggestions_link_to_all_results(maria, catalog):
    data = _suggest(maria, "toner")
    assert data["results"][0]["kind"] == "request"
    assert data["all_url"] == "/search/?q=toner"
    assert data["count_label"] == "1 result"
