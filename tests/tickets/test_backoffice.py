"""The attendant's side: occurrence with "Notify applicant" (template 251), through the outbox."""

from django.urls import reverse

from outbox.models import OutboundEmail
from tests import factories
from tickets.models import Occurrence


def post_occurrence(client, ticket, **extra):
    category = factories.CategoryFactory(name="Memo")
    data = {"category": category.pk, "text": "Called the user.", "public": "on", **extra}
    return client.post(reverse("admin:tickets_ticket_occurrence", args=[ticket.pk]), data)


def test_notify_applicant_emails_the_requester_with_template_251(
    client_as, attendant, user, ticket, set_param, django_capture_on_commit_callbacks
):
    template = factories.EmailTemplateFactory()
    set_param(251, template.pk)
    client = client_as(attendant)
    assert (
        b"Notify applicant"
        in client.get(reverse("admin:tickets_ticket_occurrence", args=[ticket.pk])).content
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = post_occurrence(client, ticket, notify_applicant="on")
    assert r.status_code == 302
    occ = Occurrence.objects.get(text="Called the user.")
    assert occ.author == attendant
    email = OutboundEmail.objects.get()
    assert (email.recipient, email.template, email.status) == (
        user.email,
        template,
        OutboundEmail.Status.SENT,
    )


def test_without_notify_applicant_nobody_is_emailed(client_as, attendant, ticket, set_param):
    set_param(251, factories.EmailTemplateFactory().pk)
    post_occurrence(client_as(attendant), ticket)
    assert Occurrence.objects.filter(text="Called the user.").exists()
    assert not OutboundEmail.objects.exists()


def test_notify_applicant_without_template_still_saves(client_as, attendant, ticket):
    post_occurrence(client_as(attendant), ticket, notify_applicant="on")
    assert Occurrence.objects.filter(text="Called the user.").exists()
    assert not OutboundEmail.objects.exists()


def test_hidden_note_is_never_emailed(client_as, attendant, ticket, set_param):
    set_param(251, factories.EmailTemplateFactory().pk)
    post_occurrence(client_as(attendant), ticket, notify_applicant="on", public="")
    assert not OutboundEmail.objects.exists()
