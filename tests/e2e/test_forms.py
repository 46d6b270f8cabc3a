"""The forms that no other browser test submits, drawn by the one field template
(templates/includes/_field.html): refused, each shows its errors tied to the control by
aria-describedby, and axe-core (tests/e2e/conftest.py) audits every page on the way."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from parameters.services import parameter_set
from tests import factories


def _refused(page, name: str) -> None:
    """Field ``name`` is marked invalid and described by its error message."""
    control = page.locator(f"#id_{name}")
    expect(control).to_have_attribute("aria-invalid", "true")
    expect(control).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator(f"#id_{name}-errors")).to_be_visible()
    assert f"id_{name}-errors" in (control.get_attribute("aria-describedby") or "").split()


def test_password_change_refused(page, login, maria):
    login(page, "maria", "maria")
    page.goto(reverse("password_change"))
    page.get_by_label("Old password", exact=True).fill("wrong")
    page.locator("main form button[type=submit]").click()
    _refused(page, "old_password")
    expect(page.locator("#id_new_password1_helptext")).to_be_visible()


def test_smartbox_item_edit_refused(page, login, maria):
    parameter_set(p=292, value=True)
    item = factories.SmartboxItemFactory(user=maria)
    login(page, "maria", "maria")
    page.goto(reverse("portal:smartbox-edit", kwargs={"pk": item.pk}))
    expect(page.get_by_label("Title", exact=True)).to_have_value(item.title)
    page.get_by_label("Title", exact=True).fill("")
    page.locator("#smartbox-item-form button[type=submit]").click()
    _refused(page, "title")


def test_absence_refused(page, login, maria):
    login(page, "maria", "maria")
    page.goto(reverse("approvals:absences"))
    page.locator("#absence-form button[type=submit]").click()
    _refused(page, "starts_at")
