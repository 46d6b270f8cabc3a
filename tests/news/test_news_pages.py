"""News (element 12): what is published, the filters, a news item's page, the home's latest three,
texts per language, escaping, and a fixed number of queries whatever the number of news."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from news.models import News
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("news:list")


def titles(html: str) -> list[str]:
    return re.findall(r'<a class="fw-semibold" href="/news/\d+/">([^<]+)</a>', html)


@pytest.fixture
def client(client_as, user):
    return client_as(user)


def test_published_news_newest_first(client):
    now = timezone.now()
    factories.NewsFactory(title="Older", published_at=now - timedelta(days=2))
    factories.NewsFactory(title="Newer", published_at=now - timedelta(hours=1))
    factories.NewsFactory(title="Inactive", active=False)
    factories.NewsFactory(title="Hidden category", category=factories.NewsCategoryFactory(active=False))
    factories.NewsFactory(title="Tomorrow", published_at=now + timedelta(days=1))
    assert titles(client.get(LIST).content.decode()) == ["Newer", "Older"]


def test_a_future_item_appears_by_itself_on_its_date(client):
    item = factories.NewsFactory(title="Soon", published_at=timezone.now() + timedelta(minutes=10))
    assert "Soon" not in client.get(LIST).content.decode()
    News.objects.filter(pk=item.pk).update(published_at=timezone.now() - timedelta(seconds=1))  # time passed
    assert "Soon" in client.get(LIST).content.decode()


def test_the_category_filter_and_the_title_search(client):
    it = factories.NewsCategoryFactory(title="IT")
    hr = factories.NewsCategoryFactory(title="HR")
    factories.NewsFactory(title="New printers", category=it)
    factories.NewsFactory(title="New holidays", category=hr)
    factories.NewsFactory(title="Printer maintenance", category=it)
    html = client.get(LIST).content.decode()
    assert '<label class="form-label" for="news-category">Category</label>' in html
    assert titles(client.get(LIST, {"category": it.pk}).content.decode()) == [
        "Printer maintenance",
        "New printers",
    ]
    assert titles(client.get(LIST, {"q": "new"}).content.decode()) == ["New holidays", "New printers"]
    assert titles(client.get(LIST, {"q": "new", "category": hr.pk}).content.decode()) == ["New holidays"]
    assert "No news matches your search." in client.get(LIST, {"q": "nothing"}).content.decode()
    assert len(titles(client.get(LIST, {"category": "999", "q": "x" * 500}).content.decode())) <= 3


def test_an_inactive_item_or_category_answers_404(client):
    category = factories.NewsCategoryFactory()
    item = factories.NewsFactory(category=category)
    url = reverse("news:detail", kwargs={"pk": item.pk})
    assert client.get(url).status_code == 200
    category.active = False
    category.save()
    assert client.get(url).status_code == 404
    category.active = True
    category.save()
    item.active = False
    item.save()
    assert client.get(url).status_code == 404
    future = factories.NewsFactory(published_at=timezone.now() + timedelta(days=1))
    assert client.get(reverse("news:detail", kwargs={"pk": future.pk})).status_code == 404


def test_script_in_a_title_or_body_is_shown_as_text(client):
    item = factories.NewsFactory(
        title="<script>alert(1)</script>", description="Hi <script>alert(2)</script> **b**"
    )
    for url in (LIST, reverse("news:detail", kwargs={"pk": item.pk}), "/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    detail = client.get(reverse("news:detail", kwargs={"pk": item.pk})).content.decode()
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in detail
    assert "<strong>b</strong>" in detail


def test_texts_per_language_fall_back_to_the_default(client):
    category = factories.NewsCategoryFactory(title="System", title_pt_br="Sistema")
    factories.NewsFactory(title="Printing", title_pt_br="Impressão", title_es="", category=category)
    client.post(reverse("portal:set-language"), {"language": "pt-br", "next": LIST})
    html = client.get(LIST).content.decode()
    assert titles(html) == ["Impressão"]
    assert "Sistema" in html
    client.post(reverse("portal:set-language"), {"language": "es", "next": LIST})
    assert titles(client.get(LIST).content.decode()) == ["Printing"]
    translation.activate("en")


def test_the_home_shows_the_latest_three(client):
    now = timezone.now()
    for i in range(5):
        factories.NewsFactory(title=f"Item {i}", published_at=now - timedelta(hours=10 - i))
    html = client.get("/").content.decode()
    section = html[html.index('id="latest-news"') :]
    assert titles(section) == ["Item 4", "Item 3", "Item 2"]


def test_the_menu_has_news(client):
    assert f'href="{LIST}"' in client.get("/").content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [3, 3000])
def test_fixed_number_of_queries_whatever_the_number_of_news(client, n):
    categories = [factories.NewsCategoryFactory(title=f"C{i}") for i in range(3)]
    now = timezone.now()
    News.objects.bulk_create(
        News(
            title=f"News {i}",
            category=categories[i % 3],
            description="d",
            published_at=now - timedelta(minutes=i),
        )
        for i in range(n)
    )
    first = News.objects.order_by("pk").first()
    client.get("/")  # parameters cached
    counts = {
        "list": count_queries(client, LIST),
        "filtered": count_queries(client, f"{LIST}?category={categories[0].pk}&q=news"),
        "detail": count_queries(client, reverse("news:detail", kwargs={"pk": first.pk})),
    }
    # user + parameters + categories + page ids (with those of the next pages: no count) + page rows,
    # in autocommit (it only reads; the session and the shell's state, bell and Approvals menu, come
    # from the cache); the item's page: the item instead of the categories and the page.
    assert counts == {"list": 5, "filtered": 5, "detail": 3}, counts
    # A page past the end (a stale link): a count and the last page.
    assert count_queries(client, f"{LIST}?page=9999") == 7
