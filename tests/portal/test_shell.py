"""The portal shell (docs/domain.md): Docs, VoIP, parameter 46, the menu, the toolbar."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def test_docs_is_a_real_page_readable_without_login(client, db):
    r = client.get("/docs/")
    assert r.status_code == 200
    assert "Smart Portal user guide" in r.content.decode()


def test_docs_link_follows_the_setting(maria):
    assert 'href="/docs/"' in maria.get("/").content.decode()
    with override_settings(DOCS_URL="https://docs.example.com/portal"):
        assert 'href="https://docs.example.com/portal"' in maria.get("/").content.decode()


def test_no_dead_links_for_elements_not_built_yet(maria):
    html = maria.get("/").content.decode()
    for missing in ("Approvals", "Chat"):
        assert missing not in html


def test_notifications_bell_is_a_button_with_an_empty_state_and_see_all(maria):
    html = maria.get("/").content.decode()
    assert 'id="notifications-bell"' in html
    assert 'aria-label="Notifications"' in html
    assert "You have no notifications." in html
    assert 'href="/notifications/" id="notifications-see-all"' in html


def test_voip_link_only_when_enabled_with_an_extension(maria, set_param):
    assert "voip-link" not in maria.get("/").content.decode()
    set_param(323, True)
    assert "voip-link" not in maria.get("/").content.decode()  # no extension: nothing to call
    set_param(329, "4000")
    assert 'href="tel:4000"' in maria.get("/").content.decode()
    set_param(325, "pbx.example.com")
    assert 'href="sip:4000@pbx.example.com"' in maria.get("/").content.decode()
    set_param(323, False)
    assert "voip-link" not in maria.get("/").content.decode()


def test_voip_headphone_icon_in_the_footer_and_the_credentials_never_on_a_page(maria, set_param):
    assert "voip-footer" not in maria.get("/").content.decode()
    for number, value in (
        (323, True),
        (329, "4000"),
        (324, "pbx.example.com"),
        (327, "agent"),
        (328, "pw-9x"),
    ):
        set_param(number, value)
    html = maria.get("/").content.decode()
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert 'id="voip-footer"' in footer
    assert 'href="sip:4000@pbx.example.com"' in footer  # the server when no domain is set
    assert 'aria-label="Call the service desk"' in footer
    assert "bi-headphones" in footer
    assert 'id="voip-link"' in html  # the toolbar's link stays
    assert "agent" not in html.replace("user-agent", "")
    assert "pw-9x" not in html


def test_smartbox_counter_in_the_menu_only_with_parameter_292(maria, user, set_param, catalog):
    factories.SmartboxItemFactory(user=user, activity=catalog["toner"])
    factories.SmartboxItemFactory(user=user, activity=catalog["jam"])
    assert 'id="smartbox-count"' not in maria.get("/").content.decode()
    set_param(292, True)
    html = maria.get("/").content.decode()
    assert 'href="/smartbox/"' in html
    assert 'id="smartbox-count">2<' in html


def test_portal_is_the_home_screen_with_parameter_46(maria, user, catalog):
    r = maria.get("/")
    assert r.status_code == 200
    assert "Human Resources" in r.content.decode()


def test_without_parameter_46_end_users_land_on_my_requests_and_find_the_catalog_at_catalog(
    maria, catalog, set_param
):
    set_param(46, False)
    r = maria.get("/")
    assert r.status_code == 302
    assert r["Location"] == reverse("tickets:my-requests")
    r = maria.get(reverse("catalog:home"))
    assert r.status_code == 200
    assert "Human Resources" in r.content.decode()
    # "Portal" in the menu leads to the catalog, not to "/".
    assert '<a class="nav-link active" href="/catalog/" aria-current="page">Portal</a>' in r.content.decode()


def test_without_parameter_46_staff_still_get_the_portal(client_as, attendant, catalog, set_param):
    set_param(46, False)
    r = client_as(attendant).get("/")
    assert r.status_code == 200
    assert "Human Resources" in r.content.decode()


def test_search_box_in_the_toolbar(maria):
    html = maria.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html
    assert "js/search.js" in html
