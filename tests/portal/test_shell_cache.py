"""The shell's state cached per user under versions (portal/shell.py, core/versions.py): after each
writing service the next page shows the new state; a parameter change and the time bound without
any write; Redis down; the queries a page costs; sessions that end (docs/architecture.md, "The shell").

With REDIS_URL set these tests run against that Redis (django-redis), else on local memory."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from approvals.services import absence_declare, absence_end, approval_decide
from core import versions
from notifications.services import notification_confirm, notification_dialog_close, notification_mark_viewed
from portal.services import smartbox_item_add, smartbox_item_remove
from tests import factories

SHELL = "/accounts/password/done/"
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def _cache_backend():
    """The production cache when Redis is configured (a real round trip, real expiry)."""
    if not REDIS_URL:
        yield
        return
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
    with override_settings(CACHES={"default": redis}):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def _bell(client) -> tuple[int, int]:
    html = client.get(SHELL).content.decode()
    match = re.search(r'data-pending="(\d+)" data-unviewed="(\d+)"', html)
    assert match, "no bell on the page"
    return int(match[1]), int(match[2])


def _menu_count(client, key: str) -> str | None:
    """The badge of a menu item ("approvals" / "smartbox"), "" when shown without one, None when absent."""
    html = client.get(SHELL).content.decode()
    item = {"approvals": "menu-approvals-list", "smartbox": "menu-portal-smartbox"}[key]
    if f'id="{item}"' not in html:
        return None
    match = re.search(rf'id="{key}-count">(\d+)<', html)
    return match[1] if match else ""


# --- each bumping service -----------------------------------------------------------------------------


def test_a_new_or_edited_notification_shows_at_once(maria):
    assert _bell(maria) == (0, 0)
    notice = factories.make_notification(requires_confirmation=True)
    assert _bell(maria) == (1, 0)
    factories.make_notification(notification=notice, title=notice.title, requires_confirmation=False)
    assert _bell(maria) == (0, 1)


def test_the_users_receipts_show_at_once_for_them_only(maria, user, other_user, client):
    confirm = factories.make_notification(requires_confirmation=True)
    info = factories.make_notification(title="News")
    assert _bell(maria) == (1, 1)
    notification_mark_viewed(notification=info, user=user)
    assert _bell(maria) == (1, 0)
    notification_confirm(notification=confirm, user=user)
    assert _bell(maria) == (0, 0)
    other = factories.make_notification(title="Dialog", requires_confirmation=True)
    from approvals.selectors import ApproverScope
    from portal.shell import shell_state_cached

    assert shell_state_cached(user, ApproverScope()).bell.prompt.pk == other.pk
    notification_dialog_close(notification=other, user=user)
    assert shell_state_cached(user, ApproverScope()).bell.prompt is None
    client.force_login(other_user)  # another user's receipts are their own
    assert _bell(client) == (2, 1)


def test_approval_entries_and_decisions_show_at_once(client_as, joao, user, approval_activity, contract):
    page = client_as(joao)
    assert _menu_count(page, "approvals") == "0"
    ticket = factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    assert _menu_count(page, "approvals") == "1"
    approval_decide(ticket_id=ticket.pk, actor=joao, approved=True)
    assert _menu_count(page, "approvals") == "0"


def test_an_approval_in_another_group_leaves_an_approvers_entry_alone(
    client_as, joao, user, approval_activity, contract, django_assert_max_num_queries
):
    """The menu is cached under the versions of the approver's own groups (approvals/selectors.py
    ``approval_version_keys``): a ticket entering another group's approval recomputes nothing."""
    page = client_as(joao)
    assert _menu_count(page, "approvals") == "0"
    other_group = factories.GroupFactory(name="Finance approvers")
    other_activity = factories.ActivityFactory(
        name="Budget", executor_group=approval_activity.executor_group, approver_group=other_group
    )
    factories.open_ticket(requester=user, activity=other_activity, contract=contract)
    with django_assert_max_num_queries(2):  # the user and the parameter snapshot: the entry was kept
        assert _menu_count(page, "approvals") == "0"


def test_group_membership_changes_show_at_once(client_as, joao, user, approval_activity, contract):
    """A member removed from (or added to) an approver group in the admin loses (or gets) the menu and
    the list at their next request: ``m2m_changed`` bumps their version (accounts/signals.py)."""
    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    page = client_as(joao)
    assert _menu_count(page, "approvals") == "1"
    group = approval_activity.approver_group
    joao.groups.remove(group)
    assert _menu_count(page, "approvals") is None
    assert page.get(reverse("approvals:list")).status_code == 404
    group.user_set.add(joao)  # from the group's side
    assert _menu_count(page, "approvals") == "1"
    assert page.get(reverse("approvals:list")).status_code == 200
    group.user_set.clear()
    assert _menu_count(page, "approvals") is None


def test_absences_declared_and_ended_show_at_once_for_the_substitute(
    client_as, joao, user, approval_activity, contract
):
    carla = factories.UserFactory(username="carla")
    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    page = client_as(carla)
    assert _menu_count(page, "approvals") is None
    now = timezone.now()
    absence = absence_declare(
        user=joao, substitute=carla, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=1)
    )
    assert _menu_count(page, "approvals") == "1"
    absence_end(absence=absence, actor=joao)
    assert _menu_count(page, "approvals") is None


def test_smartbox_changes_show_at_once(maria, user, set_param, catalog):
    set_param(292, True)
    assert _menu_count(maria, "smartbox") == "0"
    kept = smartbox_item_add(user=user, activity=catalog["toner"], title="Toner", description="Black")
    other = smartbox_item_add(user=user, activity=catalog["toner"], title="Toner 2", description="Cyan")
    assert _menu_count(maria, "smartbox") == "2"
    smartbox_item_remove(item=other)
    assert _menu_count(maria, "smartbox") == "1"
    smartbox_item_remove(item=kept)
    assert _menu_count(maria, "smartbox") == "0"


# --- without a write ---------------------------------------------------------------------------------


def test_a_parameter_change_is_in_the_key(maria, user, set_param, catalog):
    factories.SmartboxItemFactory(user=user, activity=catalog["toner"])  # no service: no bump
    assert _menu_count(maria, "smartbox") is None
    set_param(292, True)
    assert _menu_count(maria, "smartbox") == "1"


@pytest.mark.skipif(bool(REDIS_URL), reason="moves the local-memory cache's clock; Redis keeps its own")
def test_a_notification_starting_later_shows_within_the_bound(maria, monkeypatch):
    factories.make_notification(requires_confirmation=True, starts_at=timezone.now() + timedelta(seconds=5))
    assert _bell(maria) == (0, 0)  # not yet running; the entry is now cached
    later = time.time() + versions.TIMEOUT + 1
    moved = timezone.now() + timedelta(seconds=versions.TIMEOUT + 1)
    from django.core.cache.backends import locmem

    monkeypatch.setattr(locmem.time, "time", lambda: later)
    monkeypatch.setattr(timezone, "now", lambda: moved)
    assert _bell(maria) == (1, 0)


def test_within_the_bound_the_cached_state_is_served(maria, user):
    """What no service announces (a direct write) is not seen before the entry expires: the bound is real."""
    assert _bell(maria) == (0, 0)
    from notifications.models import Notification

    Notification.objects.create(
        title="Raw",
        short_description="",
        description="",
        starts_at=timezone.now(),
        requires_confirmation=True,
    )
    assert _bell(maria) == (0, 0)
    versions.version_bump(versions.GLOBAL_NOTIFICATIONS)
    assert _bell(maria) == (1, 0)


def test_a_lost_version_never_matches_an_old_entry(maria):
    assert _bell(maria) == (0, 0)
    factories.make_notification(requires_confirmation=True)
    cache.delete(versions.GLOBAL_NOTIFICATIONS)  # evicted, or Redis restarted
    assert _bell(maria) == (1, 0)


# --- the toolbar and menu's HTML (shell_html_cached) ---------------------------------------------------


def _shell_html(client, url: str = SHELL) -> str:
    """The cached fragment's part of a page: from the toolbar to the page's own content."""
    html = client.get(url).content.decode()
    return html[html.index("<header>") : html.index('<main id="main"')]


def test_the_fragment_holds_nothing_of_one_request(maria):
    """No CSRF input and no current path in the cached part; the toolbar's forms, outside it, carry
    both and are named by the buttons inside it."""
    url = reverse("tickets:my-requests") + "?situation=all"
    fragment = _shell_html(maria, url)
    assert "csrfmiddlewaretoken" not in fragment
    assert "situation=all" not in fragment
    assert 'form="shell-logout-form"' in fragment
    assert 'form="shell-language-form"' in fragment
    html = maria.get(url).content.decode()
    forms = html[html.index('id="shell-language-form"') :]
    assert "csrfmiddlewaretoken" in forms
    assert "situation=all" in forms


def test_the_active_item_follows_the_section(maria):
    my_requests = _shell_html(maria, reverse("tickets:my-requests"))
    news = _shell_html(maria, reverse("news:list"))
    assert re.search(r'id="menu-tickets-my-requests"\s+aria-current="page"', my_requests)
    assert 'aria-current="page"' not in news.split('id="menu-news-list"')[0].split('id="portal-menu"')[1]
    assert re.search(r'id="menu-news-list"\s+aria-current="page"', news)
    assert re.search(
        r'id="menu-tickets-my-requests"\s+aria-current="page"',
        _shell_html(maria, reverse("tickets:my-requests")),
    )


def test_language_colour_mode_name_and_staff_are_in_the_stamp(maria, user):
    assert "Exit" in _shell_html(maria)
    maria.post(reverse("portal:set-language"), {"language": "es", "next": SHELL})
    assert "Salir" in _shell_html(maria)
    maria.post(reverse("portal:set-language"), {"language": "en", "next": SHELL})
    assert 'data-color-mode="dark" aria-pressed="false"' in _shell_html(maria)
    maria.post(reverse("portal:set-color-mode"), {"color_mode": "dark", "next": SHELL})
    assert 'data-color-mode="dark" aria-pressed="true"' in _shell_html(maria)
    user.first_name = "Renamed"
    user.save(update_fields=["first_name"])  # no service, no bump: the name is in the stamp
    assert "Renamed" in _shell_html(maria)
    assert reverse("admin:index") not in _shell_html(maria)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert reverse("admin:index") in _shell_html(maria)


def test_the_search_box_keeps_the_search_text(maria):
    assert 'value="printer"' in _shell_html(maria, reverse("portal:search") + "?q=printer")
    assert 'value="toner"' in _shell_html(maria, reverse("portal:search") + "?q=toner")


def test_the_toolbar_forms_work_with_the_pages_csrf(user):
    """The buttons of the cached fragment submit forms rendered per request, with CSRF enforced."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    html = browser.get(SHELL).content.decode()
    form = html[html.index('id="shell-color-mode-form"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert (
        browser.post(
            reverse("portal:set-color-mode"), {"color_mode": "dark", "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    assert browser.post(reverse("portal:set-color-mode"), {"color_mode": "light"}).status_code == 403
    user.refresh_from_db()
    assert user.color_mode == "dark"


# --- Redis down --------------------------------------------------------------------------------------------

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


def test_redis_down_computes_every_time(client, user, set_param, catalog, joao, approval_activity, contract):
    set_param(292, True)
    with override_settings(CACHES=DEAD_REDIS):
        client.force_login(user)
        assert client.get(SHELL).status_code == 200
        assert _bell(client) == (0, 0)
        factories.make_notification(requires_confirmation=True)
        assert _bell(client) == (1, 0)
        smartbox_item_add(user=user, activity=catalog["toner"], title="Toner", description="Black")
        assert _menu_count(client, "smartbox") == "1"
        client.force_login(joao)
        factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
        assert _menu_count(client, "approvals") == "1"
        assert client.get(reverse("tickets:my-requests")).status_code == 200


# --- queries --------------------------------------------------------------------------------------------


def test_the_shell_costs_two_queries_on_a_hit(maria, user, django_assert_max_num_queries):
    factories.make_notification(requires_confirmation=True)
    maria.get(SHELL)  # fills the entry
    with django_assert_max_num_queries(2):  # the user, the parameters (the session from the cache)
        assert maria.get(SHELL).status_code == 200


def test_an_approvers_shell_costs_two_queries_on_a_hit(
    client_as, joao, user, approval_activity, contract, django_assert_max_num_queries
):
    factories.open_ticket(requester=user, activity=approval_activity, contract=contract)
    page = client_as(joao)
    page.get(SHELL)
    with django_assert_max_num_queries(2):
        assert _menu_count(page, "approvals") == "1"


@pytest.mark.parametrize("size", [3, 30])
def test_list_pages_cost_at_most_six_queries_whatever_the_size(
    maria, user, activity, contract, size, django_assert_max_num_queries
):
    for i in range(size):
        factories.open_ticket(requester=user, activity=activity, contract=contract, title=f"Printer {i}")
        factories.make_notification(title=f"Notice {i}")
    for url in (reverse("tickets:my-requests"), reverse("notifications:list")):
        maria.get(url)
        with django_assert_max_num_queries(6):
            assert maria.get(url).status_code == 200


# --- sessions ---------------------------------------------------------------------------------------------


def test_logout_removes_the_session_from_the_cache_and_the_database(maria):
    key = maria.session.session_key
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    assert maria.get(SHELL).status_code == 200
    assert cache.get(KEY_PREFIX + key) is not None or REDIS_URL == ""  # read through the cache
    maria.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(KEY_PREFIX + key) is None
    assert maria.get(SHELL).status_code == 302


def test_a_deactivated_user_is_logged_out_at_their_next_request(maria, user):
    assert maria.get(SHELL).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = maria.get(SHELL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_sessions_cached_copy_lives_five_minutes_at_most(maria):
    """A logout while Redis is unreachable cannot delete the copy: its life bounds a comeback."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    from core.sessions import CACHE_TIMEOUT

    maria.get(SHELL)
    key = KEY_PREFIX + maria.session.session_key
    # Redis reports the time to live; local memory keeps its expiry times in ``_expire_info``.
    ttl = cache.ttl(key) if REDIS_URL else cache._expire_info[cache.make_key(key)] - time.time()
    assert 0 < ttl <= CACHE_TIMEOUT
