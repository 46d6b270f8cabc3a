"""Occurrence Register (docs/domain.md, "My Requests"): preconditions, 262/263 locking, validation,
success."""

import re

import pytest
from django.urls import reverse

from occurrences import services
from tests import factories
from tests.tickets.helpers import label_texts, move, row_actions
from tickets.models import Occurrence, Situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    return factories.CategoryFactory(name="Customer follow-up")


@pytest.fixture
def origin(db):
    return factories.OriginFactory(name="Portal")


@pytest.fixture
def enabled(set_param):
    set_param(252, True)


def url(ticket):
    return reverse("occurrences:register", kwargs={"pk": ticket.pk})


def portal_occurrences(ticket):
    return Occurrence.objects.filter(ticket=ticket, is_system=False)


def post(client, ticket, category, origin, **extra):
    data = {"category": category.pk, "origin": origin.pk, "text": "The printer still jams.", **extra}
    return client.post(url(ticket), data)


def test_url_name():
    assert reverse("occurrences:register", kwargs={"pk": 5}) == "/my-requests/5/occurrences/new/"


def test_form_heading_labels_and_save(client_as, user, ticket, enabled, category, origin):
    r = client_as(user).get(url(ticket))
    assert r.status_code == 200
    html = r.content.decode()
    assert '<h1 class="h3 mb-3">Occurrence Register</h1>' in html
    labels = label_texts(r.content)
    for label in ("Category", "Origin", "Occurrence", "Notify Responsible"):
        assert label in labels, labels
    assert re.search(r'<button type="submit"[^>]*>Save</button>', html)
    assert 'type="checkbox" name="notify_responsible"' in html


def test_choices_are_the_active_records(client_as, user, ticket, enabled, category, origin):
    factories.CategoryFactory(name="Retired category", active=False)
    factories.OriginFactory(name="Fax machine", active=False)
    html = client_as(user).get(url(ticket)).content.decode()
    assert "Customer follow-up" in html
    assert "Portal" in html
    assert "Retired category" not in html
    assert "Fax machine" not in html


def test_lifecycle_categories_of_the_system_are_not_offered(
    client_as, user, ticket, enabled, category, origin
):
    from tickets.models import Category, SystemCategory

    Category.system(SystemCategory.CLOSING)
    form = client_as(user).get(url(ticket)).context["form"]
    assert list(form.fields["category"].queryset) == [category]


# --- preconditions -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_nothing_saved(client, ticket, enabled, category, origin):
    r = post(client, ticket, category, origin)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert r.status_code == 302
    assert client.get(url(ticket))["Location"].startswith("/accounts/login/")
    assert not portal_occurrences(ticket).exists()


def test_another_users_ticket_is_404_and_nothing_saved(
    client_as, other_user, ticket, enabled, category, origin
):
    client = client_as(other_user)
    assert client.get(url(ticket)).status_code == 404
    assert post(client, ticket, category, origin).status_code == 404
    assert not portal_occurrences(ticket).exists()


def test_refused_when_parameter_252_is_off(client_as, user, ticket, category, origin):
    client = client_as(user)
    r = post(client, ticket, category, origin, next="situation=all")
    assert r.status_code == 302
    assert r["Location"] == "/my-requests/?situation=all"
    assert not portal_occurrences(ticket).exists()
    page = client.get(r["Location"]).content.decode()
    assert "Registering occurrences through the portal is not enabled." in page
    assert client.get(url(ticket)).status_code == 302


@pytest.mark.parametrize("situation", sorted(set(Situation.values) - {Situation.IN_PROGRESS}))
def test_refused_when_the_ticket_is_not_in_progress(
    client_as, user, ticket, enabled, category, origin, situation
):
    move(ticket, situation=situation)
    client = client_as(user)
    r = post(client, ticket, category, origin)
    assert r.status_code == 302
    assert r["Location"] == "/my-requests/"
    assert not portal_occurrences(ticket).exists()
    assert "can only be registered on tickets In Progress" in client.get("/my-requests/").content.decode()


def test_plus_button_only_on_in_progress_tickets_with_252(client_as, user, ticket, set_param):
    client = client_as(user)
    assert "Register occurrence" not in row_actions(client.get("/my-requests/").content, ticket.pk)
    set_param(252, True)
    assert "Register occurrence" in row_actions(client.get("/my-requests/").content, ticket.pk)
    move(ticket, situation=Situation.SUSPENDED)
    assert "Register occurrence" not in row_actions(client.get("/my-requests/").content, ticket.pk)


# --- success -------------------------------------------------------------------------------------


def test_success_saves_redirects_with_filters_and_message(client_as, user, ticket, enabled, category, origin):
    client = client_as(user)
    r = post(
        client,
        ticket,
        category,
        origin,
        notify_responsible="on",
        next="situation=in_progress&search=printer&page=1&sort=priority",
    )
    assert r.status_code == 302
    assert r["Location"] == "/my-requests/?search=printer&situation=in_progress&sort=priority&page=1"
    occ = portal_occurrences(ticket).get()
    assert (occ.category, occ.origin, occ.author, occ.text) == (
        category,
        origin,
        user,
        "The printer still jams.",
    )
    assert occ.public is True
    assert occ.is_system is False
    assert occ.notify is True
    page = client.get(r["Location"]).content.decode()
    assert "Occurrence registered." in page


def test_notify_flag_off_is_saved(client_as, user, ticket, enabled, category, origin):
    post(client_as(user), ticket, category, origin)
    assert portal_occurrences(ticket).get().notify is False


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/x", "/admin/", "javascript:alert(1)"]
)
def test_next_cannot_leave_my_requests(client_as, user, ticket, enabled, category, origin, evil):
    r = post(client_as(user), ticket, category, origin, next=evil)
    assert r["Location"] == "/my-requests/"


def test_next_is_kept_in_the_form(client_as, user, ticket, enabled, category, origin):
    r = client_as(user).get(url(ticket), {"next": "situation=all&page=3"})
    assert '<input type="hidden" name="next" value="situation=all&amp;page=3">' in r.content.decode()


# --- validation ----------------------------------------------------------------------------------


def test_validation_errors_next_to_the_field_and_text_kept(
    client_as, user, ticket, enabled, category, origin
):
    r = client_as(user).post(url(ticket), {"origin": origin.pk, "text": "Keep <this> text", "next": "page=2"})
    assert r.status_code == 200
    html = r.content.decode()
    assert re.search(r'id="div_id_category".*?This field is required\.', html, re.S)
    assert "Keep &lt;this&gt; text</textarea>" in html
    assert '<input type="hidden" name="next" value="page=2">' in html
    assert not portal_occurrences(ticket).exists()


def test_empty_text_is_refused(client_as, user, ticket, enabled, category, origin):
    r = post(client_as(user), ticket, category, origin, text="   ")
    assert r.status_code == 200
    assert re.search(r'id="div_id_text".*?This field is required\.', r.content.decode(), re.S)
    assert not portal_occurrences(ticket).exists()


def test_inactive_category_cannot_be_posted(client_as, user, ticket, enabled, category, origin):
    retired = factories.CategoryFactory(active=False)
    r = post(client_as(user), ticket, retired, origin)
    assert r.status_code == 200
    assert not portal_occurrences(ticket).exists()


# --- parameters 262 / 263 ------------------------------------------------------------------------


def test_valid_262_and_263_lock_the_fields(client_as, user, ticket, enabled, set_param, category, origin):
    other_category = factories.CategoryFactory(name="Memo")
    other_origin = factories.OriginFactory(name="E-mail")
    set_param(262, category.pk)
    set_param(263, origin.pk)
    client = client_as(user)
    html = client.get(url(ticket)).content.decode()
    assert re.search(r'<select name="category"[^>]*disabled', html)
    assert re.search(r'<select name="origin"[^>]*disabled', html)
    assert re.search(rf'<option value="{category.pk}" selected>', html)
    # A posted other value is ignored: the locked records are saved.
    r = post(client, ticket, other_category, other_origin)
    assert r.status_code == 302
    occ = portal_occurrences(ticket).get()
    assert (occ.category, occ.origin) == (category, origin)


def test_locked_fields_need_not_be_posted(client_as, user, ticket, enabled, set_param, category, origin):
    set_param(262, category.pk)
    set_param(263, origin.pk)
    r = client_as(user).post(url(ticket), {"text": "Only text"})
    assert r.status_code == 302
    assert portal_occurrences(ticket).get().category == category


@pytest.mark.parametrize("how", ["missing", "inactive"])
def test_invalid_262_263_do_not_lock(client_as, user, ticket, enabled, set_param, category, origin, how):
    if how == "missing":
        set_param(262, 987654)
        set_param(263, 987654)
    else:
        set_param(262, factories.CategoryFactory(active=False).pk)
        set_param(263, factories.OriginFactory(name="Old", active=False).pk)
    client = client_as(user)
    html = client.get(url(ticket)).content.decode()
    assert not re.search(r'<select name="category"[^>]*disabled', html)
    assert not re.search(r'<select name="origin"[^>]*disabled', html)
    post(client, ticket, category, origin)
    occ = portal_occurrences(ticket).get()
    assert (occ.category, occ.origin) == (category, origin)


# --- service -------------------------------------------------------------------------------------


def test_service_leaves_the_emails_to_the_worker_once_committed(
    user, ticket, enabled, category, origin, set_param, django_capture_on_commit_callbacks
):
    """With Notify Responsible the occurrence is saved with its e-mails pending and no outbox row;
    once the transaction commits, the task writes the rows and clears the flag."""
    from outbox.models import EmailTemplate, OutboundEmail

    template = EmailTemplate.objects.create(
        name="Occurrence", subject="Ticket ${IDSERVICEREQUEST}", body="${OCCURRENCE}"
    )
    set_param(253, template.pk)
    responsible = factories.UserFactory(email="resp@example.com")
    ticket.responsible = responsible
    ticket.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        occ = services.occurrence_register(
            ticket_id=ticket.pk,
            actor=user,
            category=category,
            origin=origin,
            text="x",
            notify_responsible=True,
        )
        occ.refresh_from_db()
        assert occ.emails_pending is True
        assert not OutboundEmail.objects.exists()
    [enqueue] = [c for c in callbacks if c.__name__ == "enqueue_after_commit"]
    with django_capture_on_commit_callbacks(execute=True):
        enqueue()
    occ.refresh_from_db()
    assert occ.emails_pending is False
    assert list(OutboundEmail.objects.values_list("recipient", "idempotency_key")) == [
        ("resp@example.com", f"occurrence:{occ.pk}:{template.pk}:{responsible.pk}")
    ]


def test_service_without_notify_leaves_nothing_pending(
    user, ticket, enabled, category, origin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        occ = services.occurrence_register(
            ticket_id=ticket.pk,
            actor=user,
            category=category,
            origin=origin,
            text="x",
            notify_responsible=False,
        )
    occ.refresh_from_db()
    assert occ.emails_pending is False
    assert [c.__name__ for c in callbacks if c.__name__ == "enqueue_after_commit"] == []


def test_service_rechecks_the_situation_under_lock(user, ticket, enabled, category, origin):
    """The page was shown while In Progress; the ticket was suspended before Save."""
    from tickets.models import Ticket

    Ticket.objects.filter(pk=ticket.pk).update(situation=Situation.SUSPENDED)
    with pytest.raises(services.OccurrenceRefused):
        services.occurrence_register(
            ticket_id=ticket.pk,
            actor=user,
            category=category,
            origin=origin,
            text="x",
            notify_responsible=False,
        )
    assert not portal_occurrences(ticket).exists()


def test_service_refuses_another_users_ticket(other_user, ticket, enabled, category, origin):
    from django.http import Http404

    with pytest.raises(Http404):
        services.occurrence_register(
            ticket_id=ticket.pk,
            actor=other_user,
            category=category,
            origin=origin,
            text="x",
            notify_responsible=False,
        )
    assert not portal_occurrences(ticket).exists()


def test_save_costs_a_fixed_number_of_queries(
    client_as, user, ticket, enabled, category, origin, set_param, django_assert_num_queries, attendant
):
    """The portal's most frequent write: session, user, the parameters, the category and the origin
    posted (validated by the form's querysets), then the service's transaction (a savepoint pair
    here, BEGIN/COMMIT outside the test): the ticket read and locked at once (its row only) and the
    occurrence, whatever the ticket's history. The e-mails cost the request nothing: the worker
    writes them once the transaction commits."""
    from outbox.models import EmailTemplate

    template = EmailTemplate.objects.create(
        name="Occurrence", subject="Ticket ${IDSERVICEREQUEST}", body="${OCCURRENCE}"
    )
    set_param(253, template.pk)
    client = client_as(user)
    client.get("/")  # session warm
    post(client, ticket, category, origin, notify_responsible="on", text="First")
    for i in range(3):
        with django_assert_num_queries(8):  # the session from the cache (cached_db)
            r = post(client, ticket, category, origin, notify_responsible="on", text=f"Any news? {i}")
        assert r.status_code == 302
    assert portal_occurrences(ticket).count() == 4


def test_an_invalid_save_shows_the_ticket_and_the_errors_in_a_fixed_number_of_queries(
    client_as, user, ticket, enabled, category, origin, django_assert_num_queries
):
    """Nothing is locked: session, user, the parameters, the category and origin posted, the ticket
    as pages show it (service and activity in the same query), the two lists of choices and the
    ticket's images (tickets/paste.py, the image panel)."""
    client = client_as(user)
    post(client, ticket, category, origin)  # session warm
    with django_assert_num_queries(11):  # + the Approvals menu state and the notifications bell
        r = post(client, ticket, category, origin, text="")
    assert r.status_code == 200
    html = r.content.decode()
    assert ticket.service.name in html
    assert ticket.activity.name in html
    assert "This field is required." in html


def test_a_category_or_origin_deactivated_is_refused_at_once(
    client_as, user, ticket, enabled, category, origin
):
    """The choices are read by the request that validates them."""
    client = client_as(user)
    assert post(client, ticket, category, origin).status_code == 302
    for record in (category, origin):
        record.active = False
        record.save()
        r = post(client, ticket, category, origin, text="After the change")
        assert r.status_code == 200
        assert "Select a valid choice" in r.content.decode()
        record.active = True
        record.save()
    assert post(client, ticket, category, origin, text="Back").status_code == 302
    texts = list(portal_occurrences(ticket).values_list("text", flat=True))
    assert texts == ["Back", "The printer still jams."]


@pytest.mark.parametrize("bad", ["system", "abc", "9" * 30, "999999", ""])
def test_a_category_not_offered_is_refused_next_to_the_field(
    client_as, user, ticket, enabled, category, origin, bad
):
    from tickets.models import Category, SystemCategory

    value = {"system": lambda: Category.system(SystemCategory.CAPTURE).pk}.get(bad, lambda: bad)()
    r = client_as(user).post(url(ticket), {"category": value, "origin": origin.pk, "text": "Kept text"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kept text" in html
    assert 'id="id_category"' in html
    assert "is-invalid" in html or "invalid-feedback" in html
    assert not portal_occurrences(ticket).exists()
