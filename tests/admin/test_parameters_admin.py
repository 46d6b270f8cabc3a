"""The parameters screen: every declared parameter, typed validation, history of who changed what."""

import pytest
from django.urls import reverse

from parameters.accessors import param
from parameters.models import ParameterChange, ParameterValue
from parameters.registry import (
    DEFAULT_CONTRACT,
    REGISTRY,
    REOPEN_DAYS,
    SMARTBOX,
    VOIP_PASSWORD,
)
from tests import factories

LIST_URL = reverse("admin:parameters_parametervalue_changelist")


def edit_url(p):
    return reverse("admin:parameters_parametervalue_change", args=[p.number])


def test_parameter_screen_lists_every_registry_number(admin_client_as):
    response = admin_client_as.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for number, p in REGISTRY.items():
        assert f'id="param-{number}"' in html, number
        assert edit_url(p) in html
    for group in ("Smart Portal", "Ticket", "System", "Chat", "VoIP"):
        assert f"<caption>{group}</caption>" in html


def test_unset_parameter_shows_its_default_marked_as_default(admin_client_as):
    html = admin_client_as.get(LIST_URL).content.decode()
    row = html.split('id="param-171"')[1].split("</tr>")[0]
    assert "7" in row
    assert "default" in row


def test_set_parameter_shows_its_value_without_default_mark(admin_client_as, set_param):
    set_param(REOPEN_DAYS.number, 15)
    html = admin_client_as.get(LIST_URL).content.decode()
    row = html.split('id="param-171"')[1].split("</tr>")[0]
    assert "15" in row
    assert "param-badge" not in row


def test_parameter_screen_search_narrows_the_list(admin_client_as):
    html = admin_client_as.get(LIST_URL, {"q": "smartbox"}).content.decode()
    assert 'id="param-292"' in html
    assert 'id="param-118"' not in html


def test_secret_parameter_is_masked_in_list_and_history(admin_client_as, admin_user):
    admin_client_as.post(edit_url(VOIP_PASSWORD), {"value": "s3cret"})
    assert b"s3cret" not in admin_client_as.get(LIST_URL).content
    history = admin_client_as.get(reverse("admin:parameters_parameterchange_changelist"))
    assert b"s3cret" not in history.content
    assert param(VOIP_PASSWORD) == "s3cret"


@pytest.mark.parametrize("number", [327, 328])
def test_voip_user_and_password_are_write_only(admin_client_as, number):
    admin_client_as.post(edit_url(REGISTRY[number]), {"value": "agent-7f3k"})
    page = admin_client_as.get(edit_url(REGISTRY[number])).content.decode()
    assert "agent-7f3k" not in page
    assert param(REGISTRY[number]) == "agent-7f3k"
    admin_client_as.post(edit_url(REGISTRY[number]), {"value": ""})  # empty keeps it
    assert param(REGISTRY[number]) == "agent-7f3k"
    admin_client_as.post(edit_url(REGISTRY[number]), {"value": "", "clear": "on"})
    assert param(REGISTRY[number]) == ""


@pytest.mark.parametrize(
    ("p", "value", "message"),
    [
        (SMARTBOX, "X", "Enter Y or N."),
        (DEFAULT_CONTRACT, "999999", "There is no contract with id 999999."),
        (DEFAULT_CONTRACT, "abc", "Enter the id of a record, or leave it empty."),
        (REOPEN_DAYS, "abc", "Enter a whole number."),
    ],
    ids=["flag-X", "id-missing", "id-not-a-number", "number-abc"],
)
def test_invalid_value_shows_the_error_and_saves_nothing(admin_client_as, p, value, message):
    response = admin_client_as.post(edit_url(p), {"value": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ParameterValue.objects.exists()
    assert not ParameterChange.objects.exists()
    assert param(p) == p.default


def test_valid_change_is_saved_with_history_of_who_and_when(admin_client_as, admin_user):
    response = admin_client_as.post(edit_url(SMARTBOX), {"value": "Y"})
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert param(SMARTBOX) is True
    change = ParameterChange.objects.get()
    assert (change.number, change.old_value, change.new_value) == (292, "N", "Y")
    assert change.changed_by == admin_user
    assert change.via == ParameterChange.Via.ADMIN
    assert ParameterValue.objects.get(number=292).updated_by == admin_user
    # The edit page shows the history row.
    html = admin_client_as.get(edit_url(SMARTBOX)).content.decode()
    history = html.split('id="parameter-history"')[1]
    assert "admin" in history
    assert "Administration" in history


def test_id_parameter_offers_the_target_records_and_accepts_one(admin_client_as, contract):
    html = admin_client_as.get(edit_url(DEFAULT_CONTRACT)).content.decode()
    assert f'<option value="{contract.pk}">' in html
    assert admin_client_as.post(edit_url(DEFAULT_CONTRACT), {"value": str(contract.pk)}).status_code == 302
    assert param(DEFAULT_CONTRACT) == contract.pk
    assert admin_client_as.post(edit_url(DEFAULT_CONTRACT), {"value": ""}).status_code == 302
    assert param(DEFAULT_CONTRACT) is None
    assert ParameterChange.objects.filter(number=118).count() == 2


def test_number_parameter_accepts_a_whole_number(admin_client_as):
    assert admin_client_as.post(edit_url(REOPEN_DAYS), {"value": "30"}).status_code == 302
    assert param(REOPEN_DAYS) == 30


def test_unknown_parameter_number_is_404(admin_client_as):
    url = reverse("admin:parameters_parametervalue_change", args=[99999])
    assert admin_client_as.get(url).status_code == 404


def test_history_list_is_read_only(admin_client_as, set_param):
    set_param(292, True)
    url = reverse("admin:parameters_parameterchange_changelist")
    html = admin_client_as.get(url).content.decode()
    assert "292" in html
    assert admin_client_as.get(reverse("admin:parameters_parameterchange_add")).status_code == 403
    change = ParameterChange.objects.get()
    page = admin_client_as.get(reverse("admin:parameters_parameterchange_change", args=[change.pk]))
    assert page.status_code == 200
    assert b'type="submit"' not in page.content.split(b'id="content-main"')[1]


def test_attendant_cannot_see_or_change_parameters(client_as, attendant, activity):
    client = client_as(attendant)
    assert client.get(LIST_URL).status_code == 403
    assert client.post(edit_url(SMARTBOX), {"value": "Y"}).status_code == 403
    assert not ParameterChange.objects.exists()


def test_staff_with_view_permission_sees_but_cannot_change(client_as, db):
    from django.contrib.auth.models import Permission

    viewer = factories.UserFactory(username="auditor", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_parametervalue"))
    client = client_as(viewer)
    assert client.get(LIST_URL).status_code == 200
    page = client.get(edit_url(SMARTBOX))
    assert page.status_code == 200
    assert b"disabled" in page.content
    assert client.post(edit_url(SMARTBOX), {"value": "Y"}).status_code == 403
    assert not ParameterChange.objects.exists()
