"""News (element 12) in a real browser and in the three languages: the menu item, a future-dated item
that appears by itself once its date comes (time moved), the Category filter, 404 for an inactive
item, and markup shown as text. axe-core and JavaScript errors are checked by conftest.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

LABELS = {
    "en": {"News": "News", "Category": "Category", "Filter": "Filter"},
    "pt-br": {"News": "Notícias", "Category": "Categoria", "Filter": "Filtrar"},
    "es": {"News": "Noticias", "Category": "Categoría", "Filter": "Filtrar"},
}


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_news_page(page, login, maria, monkeypatch, lang):
    t = LABELS[lang]
    maria.preferred_language = lang
    maria.save(update_fields=["preferred_language"])
    system = factories.NewsCategoryFactory(title="System", title_pt_br="Sistema", title_es="Sistema")
    office = factories.NewsCategoryFactory(title="Office", title_pt_br="Escritório", title_es="Oficina")
    factories.NewsFactory(title="<script>alert(1)</script> Printers", category=system)
    factories.NewsFactory(title="New coffee machine", category=office)
    inactive = factories.NewsFactory(title="Withdrawn", category=office, active=False)
    factories.NewsFactory(title="Next week", category=system, published_at=timezone.now() + timedelta(days=1))

    login(page, "maria", "maria")
    page.get_by_role("link", name=t["News"], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["News"])
    items = page.locator("#news-list li")
    expect(items).to_have_count(2)
    expect(page.get_by_text("<script>alert(1)</script> Printers")).to_be_visible()  # as text

    page.get_by_label(t["Category"], exact=True).select_option(str(office.pk))
    page.get_by_role("button", name=t["Filter"]).click()
    expect(items).to_have_count(1)
    expect(items).to_contain_text("New coffee machine")

    assert page.goto(f"/news/{inactive.pk}/").status == 404

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=2))  # two days later
    page.goto("/news/")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Next week")
