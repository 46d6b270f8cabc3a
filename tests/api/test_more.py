"""The catalog (parameter 293), notifications (list, confirm) and news through the API: the apps'
own selectors and services, keyset pages, fixed query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, path, method="get"):
    with CaptureQueriesContext(connection) as ctx:
        r = getattr(client, method)(path)
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries)


def test_catalog_visible_to_the_user_293(bearer, user, catalog, set_param, service_desk):
    names = {p["name"] for p in bearer.get("/api/v1/catalog/portfolios/").json()}
    assert names == {"Human Resources", "End-user computing"}
    services = bearer.get("/api/v1/catalog/services/", {"portfolio": catalog["technical"].pk}).json()
    assert [x["name"] for x in services] == ["Printing"]
    activities = bearer.get("/api/v1/catalog/activities/", {"service": catalog["printing"].pk}).json()
    assert {a["name"] for a in activities} == {"Printer is broken", "Toner replacement"}
    assert bearer.get("/api/v1/catalog/services/", {"portfolio": "x"}).status_code == 400
    # 293: an item with groups is for their members only
    set_param(293, True)
    catalog["payroll"].groups.add(service_desk)
    services = bearer.get("/api/v1/catalog/services/").json()
    assert "Payroll" not in {x["name"] for x in services}
    r = bearer.get("/api/v1/catalog/activities/", {"service": catalog["payroll"].pk})
    assert r.status_code == 404
    assert bearer.get("/api/v1/catalog/services/", HTTP_ACCEPT_LANGUAGE="es").json()[0]["description"] in (
        "Impresoras y fotocopiadoras",
        "Payslips and benefits",
    )


def test_notifications_list_and_confirm(bearer, user, other_user):
    plain = factories.make_notification(target_users=[user], title="Plain")
    needs = factories.make_notification(target_users=[user], title="Confirm me", requires_confirmation=True)
    factories.make_notification(target_users=[other_user], title="Not mine")
    r = bearer.get("/api/v1/notifications/")
    assert [n["title"] for n in r.json()["results"]] == ["Confirm me", "Plain"] or {
        n["title"] for n in r.json()["results"]
    } == {"Confirm me", "Plain"}
    waiting = bearer.get("/api/v1/notifications/", {"show": "awaiting-confirmation"}).json()["results"]
    assert [n["id"] for n in waiting] == [needs.pk]
    assert bearer.get("/api/v1/notifications/", {"show": "nope"}).status_code == 400
    r = bearer.post(f"/api/v1/notifications/{needs.pk}/confirm/")
    assert r.status_code == 200
    assert r.json()["confirmed_at"] is not None
    r = bearer.post(f"/api/v1/notifications/{plain.pk}/confirm/")
    assert r.status_code == 409
    assert r.json()["detail"] == "This notification does not require confirmation."
    theirs = factories.make_notification(target_users=[other_user], requires_confirmation=True)
    assert bearer.post(f"/api/v1/notifications/{theirs.pk}/confirm/").status_code == 404


def test_notifications_pages_by_keys_at_a_fixed_cost(bearer, user):
    now = timezone.now()
    for i in range(25):
        factories.make_notification(
            target_users=[user], title=f"N{i}", starts_at=now - timedelta(hours=1 + i % 3)
        )
    bearer.get("/api/v1/me/")
    seen, url = [], "/api/v1/notifications/"
    while url:
        r = bearer.get(url)
        seen += [n["id"] for n in r.json()["results"]]
        url = r.json()["next"]
    assert len(seen) == len(set(seen)) == 25
    small = _queries(bearer, "/api/v1/notifications/")
    for i in range(20):
        factories.make_notification(target_users=[user], title=f"M{i}")
    assert _queries(bearer, "/api/v1/notifications/") == small == 2  # token, the page (groups in it)


def test_news(bearer):
    category = factories.NewsCategoryFactory()
    items = [factories.NewsFactory(category=category, title=f"Item {i}") for i in range(3)]
    future = factories.NewsFactory(title="Tomorrow", published_at=timezone.now() + timedelta(days=1))
    r = bearer.get("/api/v1/news/")
    assert {n["id"] for n in r.json()["results"]} == {i.pk for i in items}
    assert bearer.get(f"/api/v1/news/{items[0].pk}/").json()["title"] == "Item 0"
    assert bearer.get(f"/api/v1/news/{future.pk}/").status_code == 404
    assert len(bearer.get("/api/v1/news/", {"search": "Item 1"}).json()["results"]) == 1
    bearer.get("/api/v1/me/")
    small = _queries(bearer, "/api/v1/news/")
    for i in range(25):
        factories.NewsFactory(category=category, title=f"More {i}")
    assert _queries(bearer, "/api/v1/news/") == small == 2  # token, the page with its categories
    assert _queries(bearer, "/api/v1/catalog/portfolios/") == 3  # token, parameters (293), portfolios


def test_knowledge_search_and_article(bearer, user, catalog, set_param, service_desk):
    public = factories.ArticleFactory(title="Reset your password", body="Open the portal.")
    hidden = factories.ArticleFactory(title="Payroll secrets", services=[catalog["payroll"]])
    set_param(293, True)
    catalog["payroll"].groups.add(service_desk)  # maria does not see Payroll, nor its articles
    found = bearer.get("/api/v1/knowledge/articles/", {"search": "password"}).json()["results"]
    assert [a["id"] for a in found] == [public.pk]
    everything = {a["id"] for a in bearer.get("/api/v1/knowledge/articles/").json()["results"]}
    assert hidden.pk not in everything
    assert bearer.get(f"/api/v1/knowledge/articles/{public.pk}/").json()["body"] == "Open the portal."
    assert bearer.get(f"/api/v1/knowledge/articles/{hidden.pk}/").status_code == 404
    bearer.get("/api/v1/me/")
    small = _queries(bearer, "/api/v1/knowledge/articles/")
    for i in range(25):
        factories.ArticleFactory(title=f"More {i}")
    assert _queries(bearer, "/api/v1/knowledge/articles/") == small == 3  # token, parameters, the page


def test_open_a_request(bearer, user, catalog, portal_ready, settings, tmp_path, set_param):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.models import Ticket

    toner = catalog["toner"]
    path = f"/api/v1/catalog/activities/{toner.pk}/requests/"
    r = bearer.post(path, {"title": ""}, format="multipart")
    assert r.status_code == 400
    assert set(r.json()["fields"]) == {"title", "description"}
    files = [SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")]
    r = bearer.post(
        path, {"title": "No toner", "description": "Floor 2", "attachments": files}, format="multipart"
    )
    assert r.status_code == 201, r.content
    ticket = Ticket.objects.get(pk=r.json()["number"])
    assert ticket.requester == user
    assert ticket.attachments.count() == 2
    assert (
        bearer.post("/api/v1/catalog/activities/999999/requests/", {}, format="multipart").status_code == 404
    )


def test_open_a_request_refused_like_the_page(bearer, catalog, contract, set_param):
    path = f"/api/v1/catalog/activities/{catalog['toner'].pk}/requests/"
    r = bearer.post(path, {"title": "x", "description": "y"}, format="multipart")
    assert r.status_code == 409  # parameter 118 (the portal's contract) not set
    assert r.json()["detail"].startswith("Requests cannot be opened through the portal yet")


def test_active_campaigns(bearer, user, other_user):
    from tests.campaigns.factories import CampaignFactory

    mine = CampaignFactory(title="Satisfaction 2026")
    mine.target_users.set([user])
    theirs = CampaignFactory(title="Only joao")
    theirs.target_users.set([other_user])
    r = bearer.get("/api/v1/campaigns/")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [(c["title"], c["answered"]) for c in rows] == [("Satisfaction 2026", False)]
    assert rows[0]["key"] == str(mine.key)
    bearer.get("/api/v1/me/")
    small = _queries(bearer, "/api/v1/campaigns/")
    for i in range(15):
        CampaignFactory(title=f"More {i}").target_users.set([user])
    assert _queries(bearer, "/api/v1/campaigns/") == small
