"""Description and Occurrence (list) pages of My Requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.tickets.helpers import move, text_of
from tickets.models import Occurrence

pytestmark = pytest.mark.django_db


def test_description_url_names():
    assert reverse("tickets:description", kwargs={"pk": 7}) == "/my-requests/7/"
    assert reverse("tickets:occurrences", kwargs={"pk": 7}) == "/my-requests/7/occurrences/"


def test_description_shows_full_description_and_main_data(client_as, user, ticket, attendant):
    move(ticket, description="Line one\n<script>alert(1)</script>\n" + "long " * 300, responsible=attendant)
    r = client_as(user).get(reverse("tickets:description", kwargs={"pk": ticket.pk}))
    assert r.status_code == 200
    html = r.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    text = text_of(html)
    for expected in (
        str(ticket.pk),
        "Request",
        ticket.service.name,
        ticket.activity.name,
        "Printer is broken",
        "In Progress",
        "16h",
        "On time",
        "Service desk",
        "Capture",
        "Ana Atendente",
    ):
        assert expected in text, expected
    for label in (
        "Ticket",
        "Type",
        "Service",
        "Incident/Request",
        "Title",
        "Situation",
        "Priority",
        "Created on",
        "Time limit",
        "SLA status",
        "Current group",
        "Task",
        "Responsible",
    ):
        assert f">{label}</dt>" in html, label
    assert ("long " * 300).strip() in text


def test_description_of_another_users_ticket_is_404(client_as, other_user, ticket):
    assert (
        client_as(other_user).get(reverse("tickets:description", kwargs={"pk": ticket.pk})).status_code == 404
    )


def test_description_of_a_missing_ticket_is_404(client_as, user):
    assert client_as(user).get("/my-requests/999999/").status_code == 404


def test_description_back_link_keeps_the_filters(client_as, user, ticket):
    r = client_as(user).get(
        reverse("tickets:description", kwargs={"pk": ticket.pk}), {"next": "situation=all&page=2&evil=1"}
    )
    assert 'href="/my-requests/?situation=all&amp;page=2"' in r.content.decode()


# --- Occurrence list -------------------------------------------------------------------------------


@pytest.fixture
def occurrences_on(set_param):
    set_param(298, True)


def add_occurrences(ticket, user, n, *, public=True, start=None, text="Entry {i}"):
    category = factories.CategoryFactory(name="Customer follow-up")
    origin = factories.OriginFactory(name="Phone/Fax")
    start = start or timezone.now()
    made = []
    for i in range(n):
        occ = Occurrence.objects.create(
            ticket=ticket, category=category, origin=origin, author=user, text=text.format(i=i), public=public
        )
        Occurrence.objects.filter(pk=occ.pk).update(created_at=start - timedelta(hours=n - i))
        made.append(occ)
    return made


def occurrence_ids(content: bytes) -> list[int]:
    import re

    return [int(x) for x in re.findall(r'data-occurrence="(\d+)"', content.decode())]


def test_occurrence_list_is_404_when_parameter_298_is_off(client_as, user, ticket):
    assert client_as(user).get(reverse("tickets:occurrences", kwargs={"pk": ticket.pk})).status_code == 404


def test_occurrence_list_of_another_users_ticket_is_404(client_as, other_user, ticket, occurrences_on):
    r = client_as(other_user).get(reverse("tickets:occurrences", kwargs={"pk": ticket.pk}))
    assert r.status_code == 404


def test_occurrence_list_last_10_public_newest_first(client_as, user, ticket, occurrences_on):
    ticket.occurrences.all().delete()  # the registration entry
    made = add_occurrences(ticket, user, 12)
    hidden = add_occurrences(
        ticket, user, 1, public=False, start=timezone.now() + timedelta(hours=5), text="internal note"
    )
    r = client_as(user).get(reverse("tickets:occurrences", kwargs={"pk": ticket.pk}))
    assert r.status_code == 200
    ids = occurrence_ids(r.content)
    assert ids == [o.pk for o in reversed(made)][:10]
    assert hidden[0].pk not in ids
    assert "internal note" not in r.content.decode()


def test_occurrence_shows_date_category_origin_author_and_expandable_text(
    client_as, user, ticket, occurrences_on
):
    long_text = "Called the user. <script>alert('x')</script> " + "detail " * 100
    add_occurrences(ticket, user, 1, text=long_text, start=timezone.now() + timedelta(hours=2))
    html = client_as(user).get(reverse("tickets:occurrences", kwargs={"pk": ticket.pk})).content.decode()
    assert "<details>" in html
    assert "<summary" in html
    assert "Customer follow-up" in html
    assert "Phone/Fax" in html
    assert "Maria Silva" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert ("detail " * 100).strip() in html


def test_system_occurrences_use_the_category_label(client_as, user, ticket, occurrences_on):
    html = client_as(user).get(reverse("tickets:occurrences", kwargs={"pk": ticket.pk})).content.decode()
    assert "Request registration" in html  # the registration entry written by ticket_open


def test_occurrence_list_query_count_is_fixed(
    client_as, user, ticket, occurrences_on, django_assert_num_queries
):
    add_occurrences(ticket, user, 15)
    client = client_as(user)
    # session, user, params, ticket, occurrences, the Approvals menu state, the bell (no transaction)
    with django_assert_num_queries(7):
        client.get(reverse("tickets:occurrences", kwargs={"pk": ticket.pk}))
