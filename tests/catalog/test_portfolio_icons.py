"""A portfolio's icon is a Bootstrap Icons name (core.icons), rendered aria-hidden beside its name."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError

from catalog.models import Portfolio
from core.icons import icon_names, validate_icon_name

pytestmark = pytest.mark.django_db


def test_only_names_of_the_vendored_icons_are_valid():
    assert {"people", "laptop", "building", "globe"} <= icon_names()
    validate_icon_name("laptop")
    validate_icon_name("")
    for bad in ("💻", "bi-laptop", "no-such-icon", "<script>"):
        with pytest.raises(ValidationError):
            validate_icon_name(bad)


def test_the_model_refuses_an_emoji():
    p = Portfolio(name="Computing", icon="💻")
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "icon" in exc.value.message_dict


def test_the_data_migration_maps_the_seeded_emoji_to_names():
    migration = importlib.import_module("catalog.migrations.0003_portfolio_icon_bootstrap_icons")
    kept = Portfolio.objects.create(name="A", icon="🔐")
    other = Portfolio.objects.create(name="B", icon="★")
    named = Portfolio.objects.create(name="C", icon="laptop")
    migration.icons_to_names(global_apps, None)
    assert [Portfolio.objects.get(pk=p.pk).icon for p in (kept, other, named)] == [
        "shield-lock",
        "",
        "laptop",
    ]


def test_the_portfolio_card_shows_the_icon_hidden_from_screen_readers(client_as, user):
    Portfolio.objects.create(name="Computing", icon="laptop")
    html = client_as(user).get("/").content.decode()
    assert '<i class="bi bi-laptop catalog-icon me-1" aria-hidden="true"></i>' in html
