"""The catalog restricted by unit (issue 27): the same "visible only where allowed" rule as the groups
of parameter 293, in the one home of the catalog's visibility (catalog/selectors.py), so the pages,
search, the Smartbox, knowledge links and chat follow it."""

import pytest
from django.urls import reverse

from accounts.models import Unit
from catalog import selectors
from knowledge.selectors import article_list_visible
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(user, other_user):
    finance = Unit.objects.create(name="Finance")
    payroll = Unit.objects.create(name="Payroll team", parent=finance)
    sales = Unit.objects.create(name="Sales")
    user.unit = payroll  # maria: below Finance
    user.save()
    other_user.unit = sales  # joao
    other_user.save()
    return {"finance": finance, "payroll": payroll, "sales": sales}


def test_an_item_restricted_to_a_unit_is_for_it_and_the_units_below(user, other_user, catalog, units):
    catalog["payroll"].units.add(units["finance"])
    assert catalog["payslip"] in set(selectors.activity_list_visible(user=user))
    assert catalog["payroll"] not in set(selectors.service_list_visible(user=other_user))
    assert catalog["payslip"] not in set(selectors.activity_list_visible(user=other_user))
    nobody = factories.UserFactory(username="nounit")
    assert catalog["payroll"] not in set(selectors.service_list_visible(user=nobody))
    assert catalog["printing"] in set(selectors.service_list_visible(user=nobody))  # no units: everyone


def test_a_hidden_item_answers_404_by_url_and_is_not_found(client_as, user, other_user, catalog, units):
    catalog["toner"].units.add(units["payroll"])
    catalog["business"].units.add(units["sales"])  # portfolio: its services and activities too
    maria, joao = client_as(user), None
    assert maria.get(reverse("catalog:activity-new", args=[catalog["toner"].pk])).status_code == 200
    assert maria.get(reverse("catalog:service", args=[catalog["payroll"].pk])).status_code == 404
    assert "Toner" not in maria.get(reverse("portal:search"), {"q": "payslip"}).content.decode()
    joao = client_as(other_user)
    assert joao.get(reverse("catalog:activity-new", args=[catalog["toner"].pk])).status_code == 404
    assert joao.get(reverse("catalog:service", args=[catalog["payroll"].pk])).status_code == 200


def test_several_units_list_an_item_once(user, catalog, units):
    catalog["payroll"].units.add(units["finance"], units["payroll"])
    assert list(selectors.service_list_visible(user=user)).count(catalog["payroll"]) == 1


def test_knowledge_of_a_hidden_service_is_hidden(user, other_user, catalog, units):
    article = factories.ArticleFactory()
    article.services.add(catalog["payroll"])
    catalog["payroll"].units.add(units["payroll"])
    assert article in set(article_list_visible(user=user))
    assert article not in set(article_list_visible(user=other_user))
