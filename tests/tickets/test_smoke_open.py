from tests.factories import open_ticket
from tickets.models import Situation, SlaStatus, Ticket


def test_opened_ticket_is_in_progress_with_deadline_and_audit(user, activity, contract):
    t = open_ticket(requester=user, activity=activity, contract=contract)
    assert t.situation == Situation.IN_PROGRESS
    assert t.time_limit is not None
    assert t.occurrences.filter(is_system=True).count() == 1
    assert Ticket.objects.with_sla_status().get(pk=t.pk).sla_status == SlaStatus.ON_TIME


def test_home_requires_login(client, db):
    r = client.get("/")
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_home_renders_for_user(client_as, user):
    r = client_as(user).get("/")
    assert r.status_code == 200
    assert b"Welcome" in r.content
