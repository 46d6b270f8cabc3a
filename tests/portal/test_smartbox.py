"""The Smartbox (docs/domain.md, element 9; parameters 292 and 247): Add and Continue, edit, remove,
submit together."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.exceptions import ApplicationError
from portal.models import SmartboxItem
from portal.services import smartbox_submit
from tests import factories
from tickets.models import Ticket

SMARTBOX = "/smartbox/"


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


@pytest.fixture
def smartbox_on(set_param, portal_ready):
    set_param(292, True)


def _form_url(activity):
    return reverse("catalog:activity-new", kwargs={"pk": activity.pk})


def test_smartbox_is_absent_when_parameter_292_is_off(maria, catalog, portal_ready):
    assert reverse("portal:smartbox") == SMARTBOX
    assert maria.get(SMARTBOX).status_code == 404
    html = maria.get(_form_url(catalog["toner"])).content.decode()
    assert "Add and Finish" in html
    assert "Add and Continue" not in html
    assert SMARTBOX not in maria.get("/").content.decode()
    r = maria.post(_form_url(catalog["toner"]), {"title": "T", "description": "D", "action": "continue"})
    assert Ticket.objects.count() == 1
    assert not SmartboxItem.objects.exists()
    assert r.status_code == 302


def test_add_and_continue_fills_the_smartbox_and_returns_to_the_catalog(maria, user, catalog, smartbox_on):
    r = maria.post(
        _form_url(catalog["toner"]), {"title": "Toner", "description": "Empty", "action": "continue"}
    )
    assert r.status_code == 302
    assert r["Location"] == "/"
    item = SmartboxItem.objects.get()
    assert (item.user, item.activity, item.title) == (user, catalog["toner"], "Toner")
    assert not Ticket.objects.exists()
    html = maria.get("/").content.decode()
    assert 'id="smartbox-count">1<' in html
    assert "was added to the Smartbox" in html


def test_add_and_continue_refuses_attachments(maria, catalog, smartbox_on):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    r = maria.post(
        _form_url(catalog["toner"]),
        {"title": "T", "description": "D", "attachments": [f], "action": "continue"},
    )
    assert r.status_code == 200
    assert "keeps no attachments" in r.content.decode()
    assert not SmartboxItem.objects.exists()


@pytest.mark.parametrize(("unchecked", "checked_attr"), [(True, False), (False, True)])
def test_items_are_checked_by_default_according_to_parameter_247(
    maria, user, catalog, smartbox_on, set_param, unchecked, checked_attr
):
    set_param(247, unchecked)
    item = factories.SmartboxItemFactory(user=user, activity=catalog["toner"])
    html = maria.get(SMARTBOX).content.decode()
    tag = html[html.index(f'id="item-{item.pk}"') - 120 : html.index(f'id="item-{item.pk}"') + 40]
    assert ("checked" in tag) is checked_attr


def test_submit_the_checked_items_together(maria, user, catalog, smartbox_on):
    a = factories.SmartboxItemFactory(user=user, activity=catalog["toner"], title="Toner")
    b = factories.SmartboxItemFactory(user=user, activity=catalog["jam"], title="Jam")
    c = factories.SmartboxItemFactory(user=user, activity=catalog["payslip"], title="Kept")
    r = maria.post(SMARTBOX, {"items": [a.pk, b.pk], "submit": "1"})
    tickets = list(Ticket.objects.order_by("pk"))
    assert [t.title for t in tickets] == ["Toner", "Jam"]
    assert r.status_code == 302
    assert parse_qs(urlparse(r["Location"]).query) == {"t": [str(t.pk) for t in tickets]}
    assert list(SmartboxItem.objects.all()) == [c]
    html = maria.get(r["Location"]).content.decode()
    assert "Your 2 requests were registered" in html


def test_submit_is_all_or_nothing(user, catalog, smartbox_on):
    good = factories.SmartboxItemFactory(user=user, activity=catalog["toner"])
    bad = factories.SmartboxItemFactory(
        user=user, activity=catalog["jam"], description=""
    )  # a ticket needs one
    with pytest.raises(ValidationError):  # the second ticket has no description
        smartbox_submit(user=user, item_ids=[good.pk, bad.pk])
    assert not Ticket.objects.exists()
    assert SmartboxItem.objects.count() == 2


def test_items_of_an_activity_no_longer_visible_are_refused(user, catalog, smartbox_on):
    item = factories.SmartboxItemFactory(user=user, activity=catalog["toner"])
    catalog["toner"].available_in_portal = False
    catalog["toner"].save(update_fields=["available_in_portal"])
    with pytest.raises(ApplicationError):
        smartbox_submit(user=user, item_ids=[item.pk])
    assert not Ticket.objects.exists()


def test_submitting_nothing_explains_itself(maria, user, catalog, smartbox_on):
    factories.SmartboxItemFactory(user=user, activity=catalog["toner"])
    r = maria.post(SMARTBOX, {"submit": "1"}, follow=True)
    assert "Select at least one item" in r.content.decode()
    assert not Ticket.objects.exists()


def test_edit_and_remove_an_item(maria, user, catalog, smartbox_on):
    item = factories.SmartboxItemFactory(user=user, activity=catalog["toner"], title="Old")
    url = reverse("portal:smartbox-edit", kwargs={"pk": item.pk})
    assert 'name="attachments"' not in maria.get(url).content.decode()
    assert maria.post(url, {"title": "New", "description": "Changed"}).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.description) == ("New", "Changed")
    maria.post(SMARTBOX, {"remove": item.pk})
    assert not SmartboxItem.objects.exists()


def test_other_users_items_answer_404(maria, other_user, catalog, smartbox_on):
    theirs = factories.SmartboxItemFactory(user=other_user, activity=catalog["toner"])
    assert maria.get(reverse("portal:smartbox-edit", kwargs={"pk": theirs.pk})).status_code == 404
    assert maria.post(SMARTBOX, {"remove": theirs.pk}).status_code == 404
    maria.post(SMARTBOX, {"items": [theirs.pk], "submit": "1"})
    assert not Ticket.objects.exists()
    assert SmartboxItem.objects.count() == 1
