"""Every model registered in the admin opens: list, add and change pages (generated from the registry,
so a newly registered model is tested without touching this file)."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.test import RequestFactory
from django.urls import reverse

from parameters.models import ParameterValue

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in REGISTERED]


def _url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def _change_arg(model, obj):
    # The parameters screen is addressed by parameter number, every other model by primary key.
    return obj.number if model is ParameterValue else quote(obj.pk)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_changelist_loads_for_superuser(admin_client_as, admin_dataset, model, model_admin):
    response = admin_client_as.get(_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_add_page_loads_for_superuser(admin_client_as, admin_dataset, admin_user, model, model_admin):
    request = RequestFactory().get("/")
    request.user = admin_user
    if not model_admin.has_add_permission(request):
        # Read-only screens (history, outbox, the parameter registry) refuse adding.
        if any((p.name or "").endswith("_add") for p in model_admin.get_urls()):
            assert admin_client_as.get(_url(model, "add")).status_code == 403
        return
    response = admin_client_as.get(_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_change_page_loads_for_superuser(admin_client_as, admin_dataset, model, model_admin):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"add a {model._meta.label} record to admin_dataset (tests/admin/conftest.py)"
    response = admin_client_as.get(_url(model, "change", _change_arg(model, obj)))
    assert response.status_code == 200


def test_admin_index_lists_every_registered_model(admin_client_as, admin_dataset):
    response = admin_client_as.get(reverse("admin:index"))
    assert response.status_code == 200
    for model, _model_admin in REGISTERED:
        assert _url(model, "changelist").encode() in response.content, model._meta.label


def test_user_admin_edits_preferred_language(admin_client_as, user):
    response = admin_client_as.get(_url(type(user), "change", user.pk))
    assert b'name="preferred_language"' in response.content
