"""Units, shared requests and people in copy (issue 27): the rules of tickets/access.py, "Shared with
me" in My Requests, what a reader may do, and the e-mails of people in copy."""

import pytest
from django.urls import reverse

from accounts.models import Unit
from outbox.models import OutboundEmail
from tests import factories
from tests.tickets.helpers import TICKET_COLUMNS, clone_tickets, column_headers, move, row_ids
from tickets import access
from tickets.models import Message, Situation, Ticket, TicketCopy
from tickets.services.backoffice import staff_occurrence_register
from tickets.services.copies import CopyRefused, ticket_copies_add, ticket_copy_remove
from tickets.services.messages import message_send

pytestmark = pytest.mark.django_db

URL = "/my-requests/"
SHARED = {"scope": "shared", "situation": "all"}


@pytest.fixture
def roles(user, ticket):
    return factories.sharing_roles(user, [ticket])


def _ids(viewer):
    return set(access.tickets_shared_with(viewer).values_list("pk", flat=True))


# --- units ---------------------------------------------------------------------------------------


def test_unit_paths_follow_the_tree():
    root = Unit.objects.create(name="Company")
    it = Unit.objects.create(name="IT", parent=root)
    ops = Unit.objects.create(name="Operations", parent=it)
    assert ops.path == f"/{root.pk}/{it.pk}/{ops.pk}/"
    other = Unit.objects.create(name="Sales")
    it.parent = other
    it.save()
    ops.refresh_from_db()
    assert ops.path == f"/{other.pk}/{it.pk}/{ops.pk}/"


def test_a_unit_cannot_go_below_itself():
    from django.core.exceptions import ValidationError

    root = Unit.objects.create(name="Company")
    child = Unit.objects.create(name="IT", parent=root)
    root.parent = child
    with pytest.raises(ValidationError):
        root.full_clean()


# --- who sees what: the three modes --------------------------------------------------------------


def test_no_sharing_shares_nothing(roles, ticket, set_param):
    set_param(2701, "N")
    assert _ids(roles["colleague"]) == set()
    assert _ids(roles["unit_manager"]) == set()
    assert _ids(roles["person_in_copy"]) == {ticket.pk}  # in copy whatever the mode


def test_unit_managers_see_their_units_and_those_below(roles, ticket, set_param):
    set_param(2701, "MANAGERS")
    assert _ids(roles["unit_manager"]) == {ticket.pk}
    assert _ids(roles["colleague"]) == set()
    roles["unit_manager"].is_unit_manager = False
    roles["unit_manager"].save()
    assert _ids(roles["unit_manager"]) == set()


def test_colleagues_see_each_other(roles, ticket, user, activity, contract, set_param):
    set_param(2701, "COLLEAGUES")
    assert _ids(roles["colleague"]) == {ticket.pk}
    assert _ids(roles["unit_manager"]) == {ticket.pk}  # the managers' rule holds too
    theirs = factories.open_ticket(requester=roles["colleague"], activity=activity, contract=contract)
    assert _ids(user) == {theirs.pk}


def test_a_user_of_another_unit_sees_nothing(roles, ticket, set_param):
    set_param(2701, "COLLEAGUES")
    stranger = factories.UserFactory(username="stranger", unit=Unit.objects.create(name="Sales"))
    assert _ids(stranger) == set()
    with pytest.raises(Exception):  # noqa: B017, PT011 (Http404)
        access.ticket_get_for_reader(stranger, ticket.pk)


def test_removing_a_person_from_copy_ends_their_access(roles, ticket, user):
    copied = roles["person_in_copy"]
    assert access.ticket_get_for_reader(copied, ticket.pk) == ticket
    assert ticket_copy_remove(ticket=ticket, actor=user, user_pk=copied.pk)
    assert _ids(copied) == set()


# --- people in copy: who may be added, by whom ---------------------------------------------------


def test_only_colleagues_of_the_unit_can_be_put_in_copy(roles, ticket, user):
    ticket_copies_add(ticket=ticket, actor=user, users=[roles["colleague"]])
    assert TicketCopy.objects.filter(ticket=ticket, user=roles["colleague"]).exists()
    with pytest.raises(CopyRefused):
        ticket_copies_add(ticket=ticket, actor=user, users=[roles["unit_manager"]])  # another unit
    with pytest.raises(CopyRefused):  # only the requester
        ticket_copies_add(ticket=ticket, actor=roles["colleague"], users=[user])


def test_copy_search_on_the_description_page(client_as, roles, ticket, user):
    r = client_as(user).get(reverse("tickets:description", args=[ticket.pk]), {"copy_search": "carl"})
    body = r.content.decode()
    assert "Carlos Lima" in body
    assert f'data-copy-add="{roles["colleague"].pk}"' in body
    assert "Paula Costa" in body  # already in copy: listed, with Remove
    assert f'data-copy-remove="{roles["person_in_copy"].pk}"' in body


def test_request_form_puts_colleagues_in_copy(client_as, portal_ready, catalog, user, set_param):
    roles = factories.sharing_roles(user)
    activity = catalog["payslip"]
    client = client_as(user)
    form = client.get(reverse("catalog:activity-new", args=[activity.pk])).content.decode()
    assert 'name="copies"' in form
    assert "Carlos Lima" in form
    assert "Marta Reis" not in form
    data = {
        "title": "Payslip",
        "description": "Missing",
        "copies": [roles["colleague"].pk],
        "action": "finish",
    }
    r = client.post(reverse("catalog:activity-new", args=[activity.pk]), data)
    assert r.status_code == 302
    ticket = Ticket.objects.get(title="Payslip")
    assert list(ticket.copies.values_list("user_id", flat=True)) == [roles["colleague"].pk]
    # Someone outside the unit is not a choice: the form refuses it.
    data["copies"] = [roles["unit_manager"].pk]
    r = client.post(reverse("catalog:activity-new", args=[activity.pk]), data)
    assert r.status_code == 200
    assert Ticket.objects.filter(title="Payslip").count() == 1


# --- what a reader may do --------------------------------------------------------------------------


def test_a_colleague_adds_a_message_but_cannot_cancel(client_as, roles, captured, set_param):
    for number in (299, 302):
        set_param(number, True)
    set_param(2701, "COLLEAGUES")
    client = client_as(roles["colleague"])
    r = client.post(reverse("tickets:message", args=[captured.pk]), {"text": "I have the same problem"})
    assert r.status_code == 302
    assert Message.objects.filter(ticket=captured, author=roles["colleague"]).exists()
    r = client.post(reverse("tickets:cancel", args=[captured.pk]), {"reason": "no"})
    assert r.status_code == 302
    captured.refresh_from_db()
    assert captured.situation == Situation.IN_PROGRESS
    page = client.get(reverse("tickets:description", args=[captured.pk])).content.decode()
    assert 'data-action="cancel"' not in page
    assert 'data-action="message"' in page
    assert "Maria Silva" in page  # whose request it is


def test_a_person_in_copy_only_reads(client_as, roles, captured, set_param):
    set_param(299, True)
    client = client_as(roles["person_in_copy"])
    assert client.get(reverse("tickets:description", args=[captured.pk])).status_code == 200
    r = client.post(reverse("tickets:message", args=[captured.pk]), {"text": "Hello"})
    assert r.status_code == 302
    assert not Message.objects.filter(author=roles["person_in_copy"]).exists()


# --- My Requests: "Shared with me" ---------------------------------------------------------------


def test_shared_with_me_lists_with_a_requester_column(client_as, roles, ticket, set_param):
    set_param(2701, "MANAGERS")
    client = client_as(roles["unit_manager"])
    own = client.get(URL, {"situation": "all"})
    assert row_ids(own.content) == []
    shared = client.get(URL, SHARED)
    assert row_ids(shared.content) == [ticket.pk]
    expected = [c for c in TICKET_COLUMNS if c != "Title"]
    assert column_headers(shared.content) == [expected[0], "Requester", *expected[1:], "Actions"]
    assert "Maria Silva" in shared.content.decode()
    set_param(2701, "N")
    r = client.get(URL, SHARED)
    assert row_ids(r.content) == []
    assert 'data-empty="no-shared"' in r.content.decode()


def test_my_own_list_keeps_the_13_columns(client_as, roles, user, ticket, set_param):
    set_param(301, True)
    assert column_headers(client_as(user).get(URL).content) == [*TICKET_COLUMNS, "Actions"]


@pytest.mark.parametrize("n", [10, 200])
def test_shared_with_me_has_a_fixed_number_of_queries(
    client_as, roles, user, ticket, set_param, django_assert_num_queries, n
):
    """As My Requests (test_my_requests.py): user + parameters + page ids + page rows + the shell's
    state, whatever the number of shared tickets; the reader roles are annotated, not queried."""
    for number in (298, 252, 302, 299, 301):
        set_param(number, True)
    set_param(2701, "COLLEAGUES")
    clone_tickets(ticket, n - 1)
    for t in Ticket.objects.all()[: n // 2]:
        TicketCopy.objects.get_or_create(ticket=t, user=roles["colleague"])
    client = client_as(roles["colleague"])
    with django_assert_num_queries(7):
        r = client.get(URL, {**SHARED, "per_page": "100"})
    assert len(row_ids(r.content)) == min(n, 100)


# --- e-mails of people in copy --------------------------------------------------------------------


def test_people_in_copy_get_the_occurrence_and_message_emails(roles, captured, attendant, set_param):
    set_param(251, factories.EmailTemplateFactory().pk)
    set_param(417, factories.EmailTemplateFactory().pk)
    set_param(299, True)
    copied = roles["person_in_copy"]
    staff_occurrence_register(
        ticket=captured,
        actor=attendant,
        category=factories.CategoryFactory(),
        origin=None,
        text="The part arrived",
        notify_applicant=True,
    )
    message_send(ticket=captured, author=attendant, text="We will call you")
    to = list(OutboundEmail.objects.values_list("recipient", flat=True))
    assert to.count(copied.email) == 2
    assert to.count(captured.requester.email) == 2
    # Removed: no more e-mails.
    ticket_copy_remove(ticket=captured, actor=captured.requester, user_pk=copied.pk)
    message_send(ticket=captured, author=attendant, text="Done")
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)).count(copied.email) == 2


def test_the_attendant_sees_who_is_in_copy(client_as, roles, captured, attendant):
    r = client_as(attendant).get(reverse("admin:tickets_ticket_change", args=[captured.pk]))
    assert r.status_code == 200
    assert "Paula Costa" in r.content.decode()


def test_a_final_ticket_keeps_its_people_in_copy(roles, captured, attendant, user):
    move(captured, situation=Situation.CANCELED)
    with pytest.raises(CopyRefused):
        ticket_copy_remove(ticket=captured, actor=user, user_pk=roles["person_in_copy"].pk)


def test_a_colleague_attaches_and_removes_only_their_own_files(client_as, roles, captured, user, set_param):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.models import Attachment
    from tickets.services.attachments import attachment_add

    set_param(2701, "COLLEAGUES")
    theirs = attachment_add(ticket=captured, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), actor=user)
    client = client_as(roles["colleague"])
    url = reverse("tickets:attachments", args=[captured.pk])
    r = client.post(url, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 b", content_type="application/pdf")})
    assert r.status_code == 302
    mine = Attachment.objects.get(ticket=captured, uploaded_by=roles["colleague"])
    client.post(reverse("tickets:attachment-remove", args=[captured.pk, theirs.pk]))
    assert Attachment.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("tickets:attachment-remove", args=[captured.pk, mine.pk]))
    assert not Attachment.objects.filter(pk=mine.pk).exists()


def test_the_smartbox_keeps_no_people_in_copy(client_as, portal_ready, catalog, user, set_param):
    set_param(292, True)
    roles = factories.sharing_roles(user)
    activity = catalog["payslip"]
    data = {
        "title": "Later",
        "description": "Keep it",
        "copies": [roles["colleague"].pk],
        "action": "continue",
    }
    r = client_as(user).post(reverse("catalog:activity-new", args=[activity.pk]), data)
    assert r.status_code == 200
    assert "The Smartbox keeps no people in copy" in r.content.decode()


def test_request_sharing_accepts_only_its_three_values():
    from django.core.exceptions import ValidationError

    from parameters import registry as r

    assert r.REQUEST_SHARING.clean("colleagues") == "COLLEAGUES"
    with pytest.raises(ValidationError):
        r.REQUEST_SHARING.clean("everyone")
    assert r.REQUEST_SHARING.parse("everyone") == "N"  # a stored value out of the list: the default


def test_the_description_page_costs_the_same_whatever_the_people_in_copy(
    client_as, roles, ticket, user, django_assert_max_num_queries
):
    """The people in copy are one query (with their names), however many they are."""
    client = client_as(user)
    url = reverse("tickets:description", args=[ticket.pk])
    client.get(url)  # session and shell warm
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for i in range(8):
        TicketCopy.objects.create(ticket=ticket, user=factories.UserFactory(username=f"copy{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(url)
    assert r.content.decode().count("data-copy-remove=") == 9
