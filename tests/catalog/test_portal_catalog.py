"""The catalog in the portal (docs/domain.md): home, portfolio and service pages, visibility
(availability flags and, with parameter 293, groups), translations, evaluations, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalog import selectors
from catalog.models import ServiceEvaluation
from tests import factories


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def _url(name, obj):
    return reverse(f"catalog:{name}", kwargs={"pk": obj.pk})


# --- pages -----------------------------------------------------------------------------------


def test_home_shows_business_and_technical_portfolios_apart_linking_to_their_pages(maria, catalog):
    r = maria.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    business = html.index('id="business-heading"')
    technical = html.index('id="technical-heading"')
    assert business < html.index("Human Resources") < technical < html.index("End-user computing")
    assert f'href="{_url("portfolio", catalog["business"])}"' in html
    assert "👥" in html
    assert "People matters" in html


def test_portfolio_page_lists_its_services_with_their_rating(maria, catalog, other_user):
    factories.ServiceEvaluationFactory(service=catalog["payroll"], user=other_user, stars=4)
    r = maria.get(_url("portfolio", catalog["business"]))
    html = r.content.decode()
    assert "Payroll" in html
    assert "Printing" not in html
    assert f'href="{_url("service", catalog["payroll"])}"' in html
    assert "4.0 of 5 (1 evaluation)" in html


def test_service_page_shows_requests_and_incidents_apart(maria, catalog):
    r = maria.get(_url("service", catalog["printing"]))
    html = r.content.decode()
    requests_at = html.index('id="request-activities"')
    incidents_at = html.index('id="incident-activities"')
    assert requests_at < html.index("Toner replacement") < incidents_at < html.index("Printer is broken")
    assert f'href="{_url("activity-new", catalog["toner"])}"' in html
    assert f'href="{_url("activity-new", catalog["jam"])}"' in html


def test_new_request_buttons_hidden_and_form_404_with_parameter_246(maria, catalog, set_param):
    set_param(246, True)
    r = maria.get(_url("service", catalog["printing"]))
    assert r.status_code == 200
    assert _url("activity-new", catalog["toner"]) not in r.content.decode()
    assert maria.get(_url("activity-new", catalog["toner"])).status_code == 404


# --- visibility ------------------------------------------------------------------------------


def test_unavailable_portfolio_hides_its_services_and_activities_everywhere(maria, catalog, set_param):
    p = catalog["technical"]
    p.available_in_portal = False
    p.save(update_fields=["available_in_portal"])
    assert "End-user computing" not in maria.get("/").content.decode()
    assert maria.get(_url("portfolio", p)).status_code == 404
    assert maria.get(_url("service", catalog["printing"])).status_code == 404
    assert maria.get(_url("activity-new", catalog["toner"])).status_code == 404
    assert "Printing" not in maria.get(reverse("portal:search") + "?q=Print").content.decode()


def test_unavailable_service_and_activity_are_hidden(maria, catalog):
    catalog["payroll"].available_in_portal = False
    catalog["payroll"].save(update_fields=["available_in_portal"])
    catalog["toner"].available_in_portal = False
    catalog["toner"].save(update_fields=["available_in_portal"])
    assert "Payroll" not in maria.get(_url("portfolio", catalog["business"])).content.decode()
    assert maria.get(_url("service", catalog["payroll"])).status_code == 404
    assert maria.get(_url("activity-new", catalog["payslip"])).status_code == 404
    html = maria.get(_url("service", catalog["printing"])).content.decode()
    assert "Toner replacement" not in html
    assert "Printer is broken" in html
    assert maria.get(_url("activity-new", catalog["toner"])).status_code == 404


def test_groups_are_ignored_when_parameter_293_is_off(maria, catalog):
    secret = factories.GroupFactory(name="Board")
    catalog["technical"].groups.add(secret)
    assert maria.get(_url("portfolio", catalog["technical"])).status_code == 200
    assert maria.get(_url("activity-new", catalog["toner"])).status_code == 200


def test_groups_restrict_each_level_when_parameter_293_is_on(client_as, user, other_user, catalog, set_param):
    set_param(293, True)
    board = factories.GroupFactory(name="Board")
    other_user.groups.add(board)
    catalog["technical"].groups.add(board)  # portfolio restricted -> its services and activities too
    catalog["toner"].groups.add(board)  # activity restricted
    maria = client_as(user)
    assert "End-user computing" not in maria.get("/").content.decode()
    assert "Human Resources" in maria.get("/").content.decode()  # no groups: for everyone
    assert maria.get(_url("portfolio", catalog["technical"])).status_code == 404
    assert maria.get(_url("service", catalog["printing"])).status_code == 404
    assert maria.get(_url("activity-new", catalog["jam"])).status_code == 404

    joao = client_as(other_user)
    assert "End-user computing" in joao.get("/").content.decode()
    assert joao.get(_url("service", catalog["printing"])).status_code == 200
    assert joao.get(_url("activity-new", catalog["toner"])).status_code == 200


def test_activity_of_a_group_service_is_hidden_from_non_members(user, catalog, set_param):
    set_param(293, True)
    catalog["payroll"].groups.add(factories.GroupFactory(name="HR"))
    visible = set(selectors.activity_list_visible(user=user))
    assert catalog["payslip"] not in visible
    assert catalog["toner"] in visible


def test_visibility_returns_each_item_once_for_a_member_of_several_groups(user, catalog, set_param):
    set_param(293, True)
    a, b = factories.GroupFactory(name="A"), factories.GroupFactory(name="B")
    user.groups.add(a, b)
    catalog["payroll"].groups.add(a, b)
    services = list(selectors.service_list_visible(user=user))
    assert services.count(catalog["payroll"]) == 1


# --- translations ----------------------------------------------------------------------------


def test_display_texts_use_the_current_language_and_fall_back_to_the_default(catalog):
    printing = catalog["printing"]
    printing.name_pt_br = "Impressão"
    with translation.override("pt-br"):
        assert printing.display_name == "Impressão"
        assert printing.display_description == "Printers"  # no Portuguese description: default text
    with translation.override("es"):
        assert printing.display_name == "Printing"
        assert printing.display_description == "Impresoras y fotocopiadoras"
    with translation.override("en"):
        assert printing.display_description == "Printers"


def test_home_in_the_users_language(client_as, user, catalog):
    p = catalog["business"]
    p.name_es, p.description_es = "Recursos Humanos", "Asuntos de personas"
    p.save(update_fields=["name_es", "description_es"])
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    html = client_as(user).get("/").content.decode()
    assert "Recursos Humanos" in html
    assert "Asuntos de personas" in html


def test_admin_change_page_has_translation_fields(client_as, admin_user, catalog):
    r = client_as(admin_user).get(reverse("admin:catalog_service_change", args=[catalog["printing"].pk]))
    html = r.content.decode()
    for field in ("name_pt_br", "name_es", "description_pt_br", "description_es"):
        assert f'name="{field}"' in html


# --- evaluations -----------------------------------------------------------------------------


def test_user_evaluates_a_service_then_changes_the_evaluation(maria, user, catalog, other_user):
    factories.ServiceEvaluationFactory(service=catalog["payroll"], user=other_user, stars=2)
    url = reverse("catalog:service-evaluation", kwargs={"pk": catalog["payroll"].pk})
    r = maria.post(url, {"stars": "5", "review": "Very fast!"})
    assert r.status_code == 302
    assert r["Location"].endswith("#evaluations")
    r = maria.post(url, {"stars": "4", "review": "Fast."})
    assert ServiceEvaluation.objects.filter(service=catalog["payroll"], user=user).count() == 1
    ev = ServiceEvaluation.objects.get(service=catalog["payroll"], user=user)
    assert (ev.stars, ev.review) == (4, "Fast.")
    html = maria.get(_url("service", catalog["payroll"])).content.decode()
    assert "3.0 of 5 (2 evaluations)" in html
    assert "Fast." in html
    assert "Update evaluation" in html


def test_evaluation_needs_stars_between_1_and_5(maria, catalog):
    url = reverse("catalog:service-evaluation", kwargs={"pk": catalog["payroll"].pk})
    assert maria.post(url, {"stars": "6"}).status_code == 400
    assert maria.post(url, {"review": "no stars"}).status_code == 400
    assert not ServiceEvaluation.objects.exists()


def test_hidden_service_cannot_be_evaluated(maria, catalog):
    catalog["payroll"].available_in_portal = False
    catalog["payroll"].save(update_fields=["available_in_portal"])
    url = reverse("catalog:service-evaluation", kwargs={"pk": catalog["payroll"].pk})
    assert maria.post(url, {"stars": "5"}).status_code == 404


# --- query counts ----------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("by_group", [False, True], ids=["293-off", "293-on"])
def test_catalog_pages_run_a_fixed_number_of_queries(
    maria, user, set_param, service_desk, by_group, django_assert_num_queries
):
    set_param(292, True)  # the Smartbox counter is part of the shell
    set_param(293, by_group)
    group = factories.GroupFactory(name="Everyone")
    user.groups.add(group)
    groups = [group] if by_group else []

    def urls(acts):
        service = acts[0].service
        return {
            "home": "/",
            "portfolio": _url("portfolio", service.portfolio),
            "service": _url("service", service),
            "search": reverse("portal:search") + "?q=findable",
            "suggest": reverse("portal:search-suggest") + "?q=findable",
        }

    small = factories.build_catalog(
        portfolios=2, services=2, activities=2, executor_group=service_desk, groups=groups
    )
    maria.get("/")  # session warm
    before = {k: _count(maria, u) for k, u in urls(small).items()}
    factories.build_catalog(
        portfolios=4, services=5, activities=4, executor_group=service_desk, groups=groups
    )
    after = {k: _count(maria, u) for k, u in urls(small).items()}
    assert after == before, (before, after)
    # Pinned: user and the parameters, in autocommit (the session and the
    # shell's state, Smartbox counter, Approvals menu and bell, come from the cache) + the
    # page's own reads (home: portfolios; portfolio: it and its services; service: it, its activities,
    # recent evaluations, mine, related knowledge; search: services, activities; portfolio and
    # service: their open campaigns, campaigns.templatetags); the home also shows the latest news.
    expected = {"home": 4, "portfolio": 5, "service": 8, "search": 4, "suggest": 4}
    for name, url in urls(small).items():
        with django_assert_num_queries(expected[name]):
            maria.get(url)
