"""The admin's forms with date-times and user choices pass axe-core (which the harness runs on every
page): one labelled datetime-local control per date-time (core.forms), users chosen by id with the
admin's lookup. Saving through them works (News: the item is published at the time entered)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from news.models import News
from tests import factories

ADMIN_WIDGETS_CSS = re.compile(r".*/admin/.*widgets\.css.*")


def _admin(new_page, login):
    factories.UserFactory(username="admin", password="admin", is_staff=True, is_superuser=True)
    staff = new_page()
    # axe-core's stylesheet preload resolves the ``@import url('widgets.css')`` of Django admin's
    # forms.css against the document URL (a harness artifact, see tests/e2e/test_actions.py).
    staff.context.route(
        ADMIN_WIDGETS_CSS, lambda route: route.fulfill(status=200, content_type="text/css", body="")
    )
    login(staff, "admin", "admin")
    return staff


def test_the_date_time_forms_pass_axe_and_save(new_page, login, transactional_db):
    staff = _admin(new_page, login)
    for url in (
        "/admin/approvals/absence/add/",
        "/admin/notifications/notification/add/",
        "/admin/campaigns/campaign/add/",
    ):
        response = staff.goto(url)
        assert response is not None
        assert response.status == 200, url

    category = factories.NewsCategoryFactory(title="Service desk")
    staff.goto("/admin/news/news/add/")
    staff.locator("#id_title").fill("New opening hours")
    staff.locator("#id_category").select_option(str(category.pk))
    published = timezone.localtime() - timedelta(hours=2)
    staff.locator("#id_published_at").fill(published.strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#id_description").fill("From 8 to 18.")
    staff.locator("input[name=_save]").click()
    expect(staff.locator(".messagelist .success")).to_be_visible()
    item = News.objects.get(title="New opening hours")
    assert abs(item.published_at - published.replace(second=0, microsecond=0)) < timedelta(seconds=1)
