"""Knowledge pages run a fixed number of queries whatever the size of the knowledge base."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories


def _build(catalog, n: int):
    category = factories.KnowledgeCategoryFactory()
    for i in range(n):
        factories.ArticleFactory(
            title=f"Password help {i}",
            category=category,
            services=[catalog["printing"], catalog["payroll"]] if i % 2 else [],
        )
    return category


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_knowledge_pages_run_a_fixed_number_of_queries(maria, catalog, set_param, django_assert_num_queries):
    set_param(292, True)  # the Smartbox counter is part of the shell
    set_param(293, True)
    category = _build(catalog, 3)
    first = factories.ArticleFactory(title="Password basics", services=[catalog["printing"]])
    urls = {
        "home": reverse("knowledge:home"),
        "search": reverse("knowledge:home") + f"?q=password+help&category={category.pk}",
        "page2": reverse("knowledge:home") + "?q=password&page=2",
        "article": reverse("knowledge:article", kwargs={"pk": first.pk}),
        "suggest": reverse("knowledge:suggest") + f"?q=forgot+my+password&service={catalog['printing'].pk}",
        "service": reverse("catalog:service", kwargs={"pk": catalog["printing"].pk}),
    }
    maria.get("/")  # session warm
    before = {k: _count(maria, u) for k, u in urls.items()}
    _build(catalog, 30)
    after = {k: _count(maria, u) for k, u in urls.items()}
    assert after == before, (before, after)
    # Pinned: user and the parameters, in autocommit (the session and the shell's
    # state come from the cache) + the page's reads: home/search:
    # categories, count, page (a search, parameter 358 = Y: + its search log row); article: it (with the
    # reader's favourite and rating), its services, the comments; suggest: the ranked articles; service:
    # the catalog's five reads + its related articles + its open campaigns (campaigns.templatetags).
    expected = {"home": 5, "search": 6, "page2": 5, "article": 5, "suggest": 3, "service": 8}
    for name, url in urls.items():
        with django_assert_num_queries(expected[name]):
            maria.get(url)
