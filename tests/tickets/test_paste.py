"""Screenshots pasted into a request (issue 26): tickets:attachment-paste, the image panel's endpoint
(tickets/views.py ``attachment_paste``, static/js/paste-image.js). The same checks as any upload (278,
318, content), the same rule of who may add files (tickets.policies.can_change_attachments), JSON for
the script and a redirect for the plain form; the thumbnail is the checked download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factories
from tickets.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JSON = {"HTTP_ACCEPT": "application/json"}


def png(name="image.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def paste(client, ticket, file, **extra):
    return client.post(reverse("tickets:attachment-paste", args=[ticket.pk]), {"file": file, **extra}, **JSON)


def test_a_pasted_screenshot_becomes_an_attachment_shown_from_the_checked_download(client_as, user, captured):
    client = client_as(user)
    response = paste(client, captured, png("screenshot-20261206-101500.png"))
    assert response.status_code == 201
    att = Attachment.objects.get(ticket=captured)
    download = reverse("tickets:attachment-download", args=[captured.pk, att.pk])
    assert response.json() == {
        "id": att.pk,
        "name": "screenshot-20261206-101500.png",
        "url": download,
        "image": True,
        "message": "File screenshot-20261206-101500.png attached.",
    }
    assert (att.content_type, att.uploaded_by) == ("image/png", user)
    page = client.get(reverse("tickets:description", args=[captured.pk])).content.decode()
    assert f'<img src="{download}" alt="screenshot-20261206-101500.png"' in page
    assert "/media/" not in page
    got = client.get(download)
    assert got.status_code == 200
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Type"] == "image/png"


def test_another_user_can_neither_paste_nor_open_it(client_as, user, other_user, captured):
    paste(client_as(user), captured, png())
    att = Attachment.objects.get(ticket=captured)
    other = Client()
    other.force_login(other_user)
    assert paste(other, captured, png()).status_code == 404
    assert other.get(reverse("tickets:attachment-download", args=[captured.pk, att.pk])).status_code == 404
    assert Attachment.objects.filter(ticket=captured).count() == 1


def test_an_oversized_file_is_refused_with_the_usual_message(client_as, user, captured, set_param):
    set_param(278, 50)
    response = paste(client_as(user), captured, png())
    assert response.status_code == 400
    assert response.json()["error"] == "The file image.png has 72\xa0bytes; the limit is 50\xa0bytes."
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (png("tool.exe", b"MZ\x90\x00"), "Files of type .exe are not accepted."),
        (png("fake.png", b"MZ\x90\x00\x03"), "is a program or a script"),
        (png("page.png", b"<html><script>alert(1)</script>"), "contains a web page"),
    ],
)
def test_a_forbidden_file_is_refused_with_the_usual_message(client_as, user, captured, file, message):
    response = paste(client_as(user), captured, file)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Attachment.objects.exists()


def test_a_finished_ticket_refuses_with_the_attachments_message(client_as, user, closed):
    response = paste(client_as(user), closed, png())
    assert response.status_code == 403
    assert "its attachments can no longer be changed" in response.json()["error"]


def test_a_person_in_copy_may_not_add(client_as, user, captured):
    reader = factories.sharing_roles(user, [captured])["person_in_copy"]
    response = paste(client_as(reader), captured, png())
    assert response.status_code == 403
    assert response.json()["error"] == "You cannot change the attachments of this ticket."


def test_the_attendant_pastes_from_the_chat_console(client_as, attendant, captured):
    assert paste(client_as(attendant), captured, png()).status_code == 201


def test_without_a_file_the_form_says_so(client_as, user, captured):
    response = client_as(user).post(reverse("tickets:attachment-paste", args=[captured.pk]), **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Choose a file to attach."


@pytest.mark.parametrize(
    ("page", "target"),
    [
        ("description", "tickets:description"),
        ("message", "tickets:message"),
        ("bogus", "tickets:description"),
    ],
)
def test_the_plain_form_redirects_back_with_the_message(client_as, user, captured, page, target):
    client = client_as(user)
    url = reverse("tickets:attachment-paste", args=[captured.pk])
    response = client.post(url, {"file": png(), "page": page})
    assert response.status_code == 302
    assert response.url == reverse(target, args=[captured.pk])
    assert Attachment.objects.filter(ticket=captured).count() == 1
    refused = client.post(url, {"file": png("x.exe", b"MZ"), "page": page}, follow=True)
    assert "Files of type .exe are not accepted." in refused.content.decode()


def test_csrf_is_required(user, captured):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert paste(client, captured, png()).status_code == 403
    assert not Attachment.objects.exists()


def test_the_panel_offers_the_paste_zone_to_who_may_add(client_as, user, captured):
    page = client_as(user).get(reverse("tickets:description", args=[captured.pk])).content.decode()
    assert 'id="paste-zone"' in page
    assert 'id="image-form"' in page


def test_a_finished_ticket_shows_its_images_without_the_paste_zone(client_as, user, closed):
    page = client_as(user).get(reverse("tickets:description", args=[closed.pk])).content.decode()
    assert 'id="image-panel"' in page
    assert 'id="paste-zone"' not in page
