"""Logging in with the directory in the browser, against a real slapd (tests/directory/slapd.py):
a directory user's first login creates them with their name; with the directory down the login
page says so, and a local account still logs in. axe audits every page on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.directory.slapd import directory_fixture, needs_ldap, slapd_fixture  # noqa: F401  the LDAP fixtures

pytestmark = [pytest.mark.integration, needs_ldap]


def test_directory_login_in_the_browser_and_the_directory_down(page, new_page, login, directory, maria):
    login(page, "alice", "alice-secret")
    expect(page.locator("#user-menu")).to_have_text("Alice Andrade")

    directory.stop()
    other = new_page()
    other.goto("/accounts/login/")
    form = other.locator("main form")
    form.locator("input[name=username]").fill("alice")
    form.locator("input[name=password]").fill("alice-secret")
    form.locator("button[type=submit]").click()
    expect(other.get_by_role("alert")).to_contain_text("The directory could not be reached")
    expect(other).to_have_url("/accounts/login/")

    login(new_page(), "maria", "maria")  # a local account does not need the directory
