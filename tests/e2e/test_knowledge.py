"""The Knowledge Portal (docs/domain.md, element 2) and the related knowledge suggested on the request
form, in a real browser. axe-core, failed sub-resources and JavaScript errors are checked by conftest.py."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories


@pytest.fixture
def knowledge_base(transactional_db, portal_ready):
    desk = factories.GroupFactory(name="Service desk")
    portfolio = factories.PortfolioFactory(name="Access and identity", description="Accounts and passwords.")
    accounts = factories.ServiceFactory(
        portfolio=portfolio, name="User accounts", description="Your login to the company's systems."
    )
    reset = factories.ActivityFactory(
        service=accounts,
        name="Password reset",
        executor_group=desk,
        description="Reset a forgotten or expired password.",
    )
    category = factories.KnowledgeCategoryFactory(name="Accounts and access")
    article = factories.ArticleFactory(
        title="Reset a forgotten password",
        summary="Choose a new password from the login page.",
        body="Open the login page and click “Forgot password”.\n\nA link arrives by e-mail within minutes.",
        category=category,
        services=[accounts],
    )
    factories.ArticleFactory(
        title="Connect to the VPN",
        summary="Work from home safely.",
        body="Install the VPN client and sign in.",
        category=category,
    )
    return {"activity": reset, "article": article}


def test_open_the_knowledge_portal_from_the_toolbar_search_and_read(page, login, maria, knowledge_base):
    login(page, "maria", "maria")
    page.get_by_role("navigation", name="Portal toolbar").get_by_role("link", name="Knowledge Portal").click()
    expect(page).to_have_url(re.compile(r"/knowledge/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge Portal")
    expect(page.locator("#article-list li")).to_have_count(2)

    page.get_by_label("Search the knowledge base").fill("password")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator("#article-list li")).to_have_count(1)
    expect(page.locator("#article-count")).to_have_text("1 article")

    page.get_by_role("link", name="Reset a forgotten password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset a forgotten password")
    expect(page.locator(".knowledge-body p")).to_have_count(2)
    expect(page.get_by_role("link", name="User accounts")).to_be_visible()


def test_typing_the_description_suggests_an_article(page, login, maria, knowledge_base):
    login(page, "maria", "maria")
    page.goto(f"/catalog/activity/{knowledge_base['activity'].pk}/new/")
    box = page.locator("#knowledge-suggestions")
    expect(box).to_be_hidden()
    page.get_by_label("Description").press_sequentially("I forgot my password", delay=20)
    expect(box).to_be_visible()
    link = box.get_by_role("link", name=re.compile("Reset a forgotten password"))
    expect(link).to_have_attribute("target", "_blank")
    expect(page.locator("#knowledge-suggestions-status")).to_have_text("1 related article")

    with page.context.expect_page() as new_tab:
        link.click()
    article = new_tab.value
    article.wait_for_load_state()
    expect(article.get_by_role("heading", level=1)).to_have_text("Reset a forgotten password")
    # The request being written is still there.
    expect(page.get_by_label("Description")).to_have_value("I forgot my password")

    page.get_by_label("Description").fill("xy")
    expect(box).to_be_hidden()
