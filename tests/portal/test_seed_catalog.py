"""seed_demo's catalog for the portal: translations, evaluations, an activity asking impact/urgency."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from catalog.models import Activity, Portfolio, Service, ServiceEvaluation


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_every_portfolio_and_service_has_portuguese_and_spanish_texts(seeded):
    for model in (Portfolio, Service):
        for item in model.objects.all():
            for field in ("name_pt_br", "name_es", "description_pt_br", "description_es"):
                assert getattr(item, field), (item, field)
    printing = Service.objects.get(name="Printing")
    with translation.override("es"):
        assert printing.display_name == "Impresión"
    with translation.override("pt-br"):
        assert printing.display_name == "Impressão"


def test_evaluations_and_impact_urgency_are_seeded_once(seeded):
    assert ServiceEvaluation.objects.count() >= 4
    assert Activity.objects.filter(asks_impact_urgency=True).exists()
    before = ServiceEvaluation.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert ServiceEvaluation.objects.count() == before


def test_seeded_catalog_pages_render(seeded, client):
    from accounts.models import User

    client.force_login(User.objects.get(username="maria"))
    service = Service.objects.get(name="Printing")
    assert client.get(f"/catalog/portfolio/{service.portfolio_id}/").status_code == 200
    assert client.get(f"/catalog/service/{service.pk}/").status_code == 200
    activity = service.activities.first()
    assert client.get(f"/catalog/activity/{activity.pk}/new/").status_code == 200
    assert client.get("/smartbox/").status_code == 200
