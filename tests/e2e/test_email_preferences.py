"""Notification preferences from the user menu, and the unsubscribe link of an e-mail opened
without a session (axe-core audits every page on the way: tests/e2e/conftest.py)."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from outbox.models import EmailKind, EmailPreference
from outbox.preferences import unsubscribe_token


def test_preferences_from_the_user_menu(page, login, maria):
    login(page, "maria", "maria")
    page.locator("#user-menu").click()
    page.get_by_role("link", name="Notification preferences").click()
    expect(page.get_by_role("heading", name="Notification preferences")).to_be_visible()
    checkbox = page.get_by_label("Messages on my requests")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("Your notification preferences were saved.")).to_be_visible()
    expect(page.get_by_label("Messages on my requests")).not_to_be_checked()
    assert EmailPreference.objects.get(user=maria, kind="messages").enabled is False


def test_the_unsubscribe_link_without_a_session(page, maria):
    token = unsubscribe_token(maria.email, EmailKind.CHAT)
    page.goto(reverse("outbox:unsubscribe", args=[token]))
    expect(page.get_by_text("Stop sending e-mails about")).to_be_visible()
    assert not EmailPreference.objects.exists()
    page.get_by_role("button", name="Stop these e-mails").click()
    expect(page.get_by_text("will no longer receive e-mails about")).to_be_visible()
    assert EmailPreference.objects.get(user=maria, kind="chat").enabled is False
