"""My Requests (docs/domain.md, "My Requests"): filters, sorting, columns, pagination, empty states,
query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.tickets.helpers import (
    TICKET_COLUMNS,
    clone_tickets,
    column_headers,
    move,
    row_actions,
    row_html,
    row_ids,
    text_of,
)
from tickets.models import Situation, SlaStatus, Ticket

URL = "/my-requests/"

pytestmark = pytest.mark.django_db


def get(client, **params):
    return client.get(URL, params)


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def test_url_name_and_menu_entry(maria):
    assert reverse("tickets:my-requests") == URL
    r = maria.get("/")
    assert f'href="{URL}"' in r.content.decode()


def test_anonymous_is_sent_to_login(client):
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_lists_only_the_users_own_tickets(maria, ticket, other_user, activity, contract):
    theirs = factories.open_ticket(requester=other_user, activity=activity, contract=contract)
    r = get(maria)
    assert r.status_code == 200
    assert row_ids(r.content) == [ticket.pk]
    assert theirs.pk not in row_ids(r.content)


def test_column_headers_exactly_as_the_requirement(maria, ticket):
    # Title only when parameter 301 is on (below)
    expected = [c for c in TICKET_COLUMNS if c != "Title"] + ["Actions"]
    assert column_headers(get(maria).content) == expected


def test_title_column_only_when_parameter_301_is_on(maria, ticket, set_param):
    assert "Title" not in column_headers(get(maria).content)
    assert "Printer is broken" not in row_html(get(maria).content, ticket.pk)
    set_param(301, True)
    r = get(maria)
    assert column_headers(r.content)[4] == "Title"
    assert "Printer is broken" in row_html(r.content, ticket.pk)


def test_row_shows_the_ticket_data(maria, ticket):
    html = row_html(get(maria).content, ticket.pk)
    text = text_of(html)
    assert str(ticket.pk) in text
    assert ticket.service.name in text
    assert ticket.activity.name in text
    assert "Request" in text
    assert "In Progress" in text
    assert "Capture" in text
    assert "Service desk" in text
    assert "16h" in text  # priority 3 of the factory's time of attendance
    assert 'class="badge sla-badge text-bg-success"' in html
    assert "On time" in text


@pytest.mark.parametrize(
    ("status", "css", "label"),
    [
        (SlaStatus.ON_TIME, "text-bg-success", "On time"),
        (SlaStatus.TO_EXPIRE, "text-bg-warning", "To expire"),
        (SlaStatus.EXPIRED, "text-bg-danger", "Expired"),
        (SlaStatus.SUSPENDED, "text-bg-secondary", "Suspended"),
    ],
)
def test_sla_status_badge(maria, ticket, status, css, label):
    now = timezone.now()
    fields = {
        SlaStatus.ON_TIME: {"time_limit": now + timedelta(days=5), "sla_warning_at": now + timedelta(days=4)},
        SlaStatus.TO_EXPIRE: {
            "time_limit": now + timedelta(hours=1),
            "sla_warning_at": now - timedelta(hours=1),
        },
        SlaStatus.EXPIRED: {
            "time_limit": now - timedelta(hours=1),
            "sla_warning_at": now - timedelta(hours=2),
        },
        SlaStatus.SUSPENDED: {"situation": Situation.SUSPENDED},
    }[status]
    move(ticket, **fields)
    html = row_html(get(maria, situation="all").content, ticket.pk)
    assert f'<span class="badge sla-badge {css}" data-sla-status="{status.value}">{label}</span>' in html


def test_sla_duration_hours_and_minutes(maria, ticket):
    move(ticket, sla_minutes=90)
    assert "1h 30min" in text_of(row_html(get(maria).content, ticket.pk))


# --- Search ----------------------------------------------------------------------------------


@pytest.fixture
def two_tickets(user, activity, contract):
    other_activity = factories.ActivityFactory(name="Password reset", service__name="Identity")
    a = factories.open_ticket(
        requester=user,
        activity=activity,
        contract=contract,
        title="Printer jam",
        description="Paper stuck in tray 2",
    )
    b = factories.open_ticket(
        requester=user,
        activity=other_activity,
        contract=contract,
        title="Locked out",
        description="Cannot log in since Monday",
    )
    return a, b


@pytest.mark.parametrize(
    ("term", "which"),
    [
        ("jam", 0),  # title
        ("TRAY 2", 0),  # description, case-insensitive
        ("identity", 1),  # service name
        ("password", 1),  # activity name
        ("monday", 1),
    ],
)
def test_search_matches_title_description_service_activity(maria, two_tickets, term, which):
    r = get(maria, search=term)
    assert row_ids(r.content) == [two_tickets[which].pk]


def test_search_by_ticket_number(maria, two_tickets):
    a, b = two_tickets
    assert b.pk in row_ids(get(maria, search=str(b.pk)).content)
    assert row_ids(get(maria, search=f"#{a.pk}").content) == [a.pk]


def test_search_with_huge_number_is_harmless(maria, two_tickets):
    r = get(maria, search="9" * 40)
    assert r.status_code == 200
    assert row_ids(r.content) == []


def test_search_field_keeps_the_typed_value(maria, two_tickets):
    r = get(maria, search='<b>"jam"</b>')
    html = r.content.decode()
    assert 'value="&lt;b&gt;&quot;jam&quot;&lt;/b&gt;"' in html
    assert '<b>"jam"</b>' not in html


# --- Situation ------------------------------------------------------------------------------


@pytest.fixture
def mixed(user, ticket):
    """One ticket of each of three situations."""
    suspended, closed = clone_tickets(ticket, 2)
    move(suspended, situation=Situation.SUSPENDED)
    move(closed, situation=Situation.CLOSED, closed_at=timezone.now())
    return {"in_progress": ticket, "suspended": suspended, "closed": closed}


def test_situation_filter(maria, mixed):
    assert row_ids(get(maria, situation="suspended").content) == [mixed["suspended"].pk]
    assert sorted(row_ids(get(maria, situation="all").content)) == sorted(t.pk for t in mixed.values())
    assert len(row_ids(get(maria).content)) == 3  # default without parameter 264: every situation


def test_parameter_264_preselects_in_progress_but_all_stays_possible(maria, mixed, set_param):
    set_param(264, True)
    r = get(maria)
    assert row_ids(r.content) == [mixed["in_progress"].pk]
    assert '<option value="in_progress" selected>In Progress</option>' in r.content.decode()
    r = get(maria, situation="all")
    assert len(row_ids(r.content)) == 3
    assert '<option value="all" selected>All situations</option>' in r.content.decode()


def test_filter_labels_exactly(maria, ticket):
    html = get(maria).content.decode()
    for label in ("Search", "Situation", "Sort by", "Order"):
        assert f'">{label}</label>' in html


# --- Sort by / Order ------------------------------------------------------------------------

SORT_KEYS = [
    "ticket",
    "type",
    "service",
    "activity",
    "created",
    "task",
    "group",
    "situation",
    "time_limit",
    "sla_status",
    "priority",
]


@pytest.mark.parametrize("key", SORT_KEYS)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_key_works(maria, mixed, key, order):
    r = get(maria, sort=key, order=order, situation="all")
    assert r.status_code == 200
    assert len(row_ids(r.content)) == 3


def test_sort_choices_are_the_whitelist():
    from tickets.forms import SORT_CHOICES
    from tickets.selectors import SORT_FIELDS

    assert [k for k, _ in SORT_CHOICES] == SORT_KEYS
    assert set(SORT_FIELDS) == set(SORT_KEYS)


def test_sort_by_priority_in_both_orders(maria, ticket):
    p1, p5 = clone_tickets(ticket, 2)
    move(p1, priority=1)
    move(p5, priority=5)
    assert row_ids(get(maria, sort="priority", order="asc").content) == [p1.pk, ticket.pk, p5.pk]
    assert row_ids(get(maria, sort="priority", order="desc").content) == [p5.pk, ticket.pk, p1.pk]


def test_default_order_is_newest_first(maria, ticket):
    older = clone_tickets(ticket, 1, start=ticket.created_at - timedelta(days=1))[0]
    assert row_ids(get(maria).content) == [ticket.pk, older.pk]
    assert row_ids(get(maria, order="asc").content) == [older.pk, ticket.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "requester__password"},
        {"sort": "-id"},
        {"sort": "description"},
        {"order": "sideways"},
        {"situation": "bogus"},
        {"situation": "in_progress' OR 1=1 --"},
        {"per_page": "7"},
        {"per_page": "-1"},
        {"per_page": "abc"},
        {"page": "abc"},
        {"page": "9999"},
        {"unknown": "x"},
    ],
)
def test_unknown_or_invalid_values_are_ignored(maria, mixed, params):
    r = get(maria, **params)
    assert r.status_code == 200
    assert sorted(row_ids(r.content)) == sorted(t.pk for t in mixed.values())


def test_invalid_sort_falls_back_to_default_selection(maria, ticket):
    html = get(maria, sort="requester__password", order="sideways").content.decode()
    assert '<option value="created" selected>Created on</option>' in html
    assert '<option value="desc" selected>Descending</option>' in html


# --- Pagination, count, empty states -------------------------------------------------------------


def test_pagination_with_count_and_filters_kept(maria, ticket):
    clone_tickets(ticket, 24)
    r = get(maria, situation="in_progress", search="printer", per_page="10", sort="ticket", order="asc")
    assert len(row_ids(r.content)) == 10
    html = r.content.decode()
    # A search reads its page only (core/pagination.py): the total is known from the last page.
    assert "More than 10 tickets" in text_of(html)
    assert (
        "?situation=in_progress&amp;search=printer&amp;per_page=10&amp;sort=ticket&amp;order=asc&amp;page=2"
        in html
    )
    r3 = get(
        maria, situation="in_progress", search="printer", per_page="10", sort="ticket", order="asc", page="3"
    )
    assert len(row_ids(r3.content)) == 5
    assert "25 tickets" in text_of(r3.content.decode())
    assert "Page 3 of 3" in text_of(r3.content.decode())
    # No ticket appears on two pages.
    pages = [row_ids(get(maria, per_page="10", sort="ticket", page=str(p)).content) for p in (1, 2, 3)]
    assert len({pk for page in pages for pk in page}) == 25


@pytest.mark.parametrize(("per_page", "rows"), [("10", 10), ("20", 20), ("50", 30), ("100", 30), (None, 20)])
def test_page_size_chosen_by_the_user(maria, ticket, per_page, rows):
    clone_tickets(ticket, 29)
    params = {"per_page": per_page} if per_page else {}
    assert len(row_ids(get(maria, **params).content)) == rows


def test_count_is_singular_for_one_ticket(maria, ticket):
    assert "1 ticket" in text_of(get(maria).content.decode())


def test_empty_state_when_the_user_has_no_tickets(maria, other_user, activity, contract):
    factories.open_ticket(requester=other_user, activity=activity, contract=contract)
    html = get(maria).content.decode()
    assert 'data-empty="no-tickets"' in html
    assert "You have no requests yet." in html
    assert "<table" not in html


def test_empty_state_when_no_ticket_matches(maria, ticket, set_param):
    html = get(maria, search="nothing-like-this").content.decode()
    assert 'data-empty="no-match"' in html
    assert "No ticket matches the filters." in html
    # Parameter 264 preselects In Progress: a user whose tickets are all closed sees "no match".
    move(ticket, situation=Situation.CLOSED, closed_at=timezone.now())
    set_param(264, True)
    assert 'data-empty="no-match"' in get(maria).content.decode()


def test_empty_state_with_264_and_no_tickets_at_all(maria, set_param):
    set_param(264, True)
    assert 'data-empty="no-tickets"' in get(maria).content.decode()


# --- Query count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"per_page": "100", "situation": "all", "sort": "group"},
        {"per_page": "10", "page": "2", "sort": "sla_status", "order": "asc"},
        {"search": "printer", "situation": "in_progress"},
    ],
)
def test_fixed_number_of_queries_whatever_the_size(
    client_as, user, ticket, set_param, django_assert_num_queries, n, params
):
    """session + user + parameter snapshot + page ids (with those of the next pages: no count) +
    page rows + the Approvals menu state + the notifications bell, whatever the number of tickets,
    the page size, the page and the filters; a search adds one query (the catalog names it matches, see
    ``tickets.selectors._search_q``). No transaction: the page only reads."""
    for number in (298, 252, 302, 299, 301):
        set_param(number, True)
    clone_tickets(ticket, n - 1)
    Ticket.objects.filter(pk__in=Ticket.objects.values("pk")[: n // 2]).update(responsible=user)
    client = client_as(user)
    per_page = int(params.get("per_page", 20))
    page = min(int(params.get("page", 1)), -(-n // per_page))  # past the end: the last page
    # A page past the end (a stale link) costs a count and the last page's two queries.
    past_end = page < int(params.get("page", 1))
    with django_assert_num_queries(7 + bool(params.get("search")) + 2 * past_end):
        r = client.get(URL, params)
    assert r.status_code == 200
    assert len(row_ids(r.content)) == min(n - (page - 1) * per_page, per_page)


def test_row_actions_respect_the_policies(maria, mixed, set_param):
    """Every action has a page; each row shows what its policy allows, in the order of docs/domain.md
    ("My Requests: row actions")."""
    ip, sus, closed = mixed["in_progress"], mixed["suspended"], mixed["closed"]
    r = get(maria)
    assert row_actions(r.content, ip.pk) == ["Description", "Attachments"]
    assert row_actions(r.content, closed.pk) == [
        "Register opinion",
        "Reopen service request",
        "Satisfaction Survey",
        "Description",
        "Attachments",
    ]
    set_param(298, True)
    set_param(252, True)
    set_param(302, True)
    r = get(maria)
    # The "+" of Register occurrence is a button of its own, before the menu of the others.
    assert row_actions(r.content, ip.pk) == [
        "Register occurrence",
        "Description",
        "Attachments",
        "Occurrence",
        "Cancel Request",
    ]
    assert row_actions(r.content, sus.pk) == ["Description", "Attachments", "Occurrence", "Cancel Request"]
    assert row_actions(r.content, closed.pk) == [
        "Register opinion",
        "Reopen service request",
        "Satisfaction Survey",
        "Description",
        "Attachments",
        "Occurrence",
    ]
    set_param(299, True)
    move(ip, responsible=ip.requester)  # captured (any user will do for the rule)
    assert row_actions(get(maria).content, ip.pk)[-1] == "Message"
    plus = row_html(r.content, ip.pk)
    assert 'aria-label="Register occurrence"' in plus
    assert 'class="bi bi-plus-lg"' in plus


def test_row_action_links_carry_the_list_filters(maria, ticket, set_param):
    set_param(252, True)
    html = row_html(get(maria, situation="in_progress", page="1").content, ticket.pk)
    assert f'href="/my-requests/{ticket.pk}/occurrences/new/?next=situation%3Din_progress%26page%3D1"' in html


# --- Rows (templates/tickets/_ticket_row.html): every value escaped -------------------------------


def test_row_values_are_escaped(maria, user, contract, set_param):
    set_param(301, True)  # Title column
    activity = factories.ActivityFactory(name="<i>Reset</i>", service__name='<b>Mail & "Calendar"</b>')
    t = factories.open_ticket(
        requester=user, activity=activity, contract=contract, title="<script>alert('x')</script>"
    )
    html = row_html(get(maria).content, t.pk)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Mail &amp; &quot;Calendar&quot;&lt;/b&gt;" in html
    assert "&lt;i&gt;Reset&lt;/i&gt;" in html


def test_row_action_links_carry_the_list_query(maria, ticket, set_param):
    set_param(252, True)
    html = row_html(get(maria, search=f"#{ticket.pk}", situation="in_progress").content, ticket.pk)
    # The filters travel URL-encoded in one "next" value, so the list comes back as it was.
    assert (
        f'href="/my-requests/{ticket.pk}/?next=search%3D%2523{ticket.pk}%26situation%3Din_progress"' in html
    )


def test_rows_use_the_active_language(client_as, user, ticket):
    user.preferred_language = "pt-br"
    user.save(update_fields=["preferred_language"])
    client = client_as(user)
    html = row_html(client.get(URL, HTTP_ACCEPT_LANGUAGE="pt-br").content, ticket.pk)
    assert "Em andamento" in html or "Em Andamento" in html
    assert ">Descrição<" in html


def test_search_is_served_by_trigram_indexes_on_postgresql(require_postgres):
    """Migration 0004 creates them; without them a search reads every ticket of the requester."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'tickets_ticket' AND indexdef LIKE %s",
            ["%gin_trgm_ops%"],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"ticket_title_trgm", "ticket_description_trgm"}


# --- Paging without counting the whole list (core.pagination) --------------------------------------


def test_a_long_list_says_more_than_and_still_pages_to_its_end(maria, user, ticket):
    clone_tickets(ticket, 260)  # 261 tickets: more than the 10 pages of 20 read ahead
    html = get(maria).content.decode()
    assert "More than 200 tickets" in html
    assert "Page 1 of" not in html
    assert 'href="?page=10"' in html or "page=10" in html
    last = get(maria, page="14").content.decode()  # 261 = 13 pages of 20 + 1
    assert "261 tickets" in last
    assert len(row_ids(last.encode())) == 1
    assert "Page 14 of 14" in last


def test_a_stale_page_number_shows_the_last_page(maria, user, ticket):
    clone_tickets(ticket, 24)
    html = get(maria, page="99").content.decode()
    assert "25 tickets" in html
    assert len(row_ids(html.encode())) == 5


def test_a_search_reads_its_page_only_and_still_pages_to_its_end(maria, user, ticket):
    """A text search cannot be read from the sort index: it reads its page and one row more
    (core/pagination.py), says "More than" the rows it has seen and pages forward."""
    clone_tickets(ticket, 50, title="Scanner jammed")  # 50 matches: 3 pages of 20
    clone_tickets(ticket, 30, title="VPN down")
    html = get(maria, search="scanner").content.decode()
    assert "More than 20 tickets" in html  # 21 rows read: pages 1 and 2 are known
    assert "page=2" in html
    assert "page=3" not in html
    second = get(maria, search="scanner", page="2").content.decode()
    assert "More than 40 tickets" in second
    assert "page=3" in second
    last = get(maria, search="scanner", page="3").content.decode()
    assert "50 tickets" in last  # rows 41-50 read: the end is seen
    assert "Page 3 of 3" in last
    assert len(row_ids(last.encode())) == 10
    unfiltered = get(maria).content.decode()  # 81 tickets: within the ten pages read
    assert "81 tickets" in unfiltered


def test_connections_plan_with_the_random_read_cost_of_a_disk_without_seeks(require_postgres):
    """smartportal/settings/base.py: with PostgreSQL's default (4), a search in a short list is
    planned as bitmap scans of the whole table's trigram indexes instead of the list's own index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
