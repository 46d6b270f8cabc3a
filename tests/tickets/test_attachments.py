"""Attachments: upload checks (size 278, extensions 318, real content), add/remove services."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload
from parameters.uploads import upload_rules
from tests.tickets.helpers import move
from tickets.models import Attachment, Situation
from tickets.services.attachments import AttachmentRefused, attachment_add, attachment_remove

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name="report.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def validate(file):
    """The checks as the portal applies them (parameters 278 and 318)."""
    return validate_upload(file, upload_rules())


# --- validate_upload ------------------------------------------------------------------------------


def test_a_pdf_is_accepted_with_its_real_type(db):
    info = validate(upload(content_type="text/html"))  # the browser's claim is not trusted
    assert (info.name, info.size, info.content_type) == ("report.pdf", len(PDF), "application/pdf")


def test_a_plain_text_file_is_accepted(db):
    assert validate(upload("notes.txt", b"just some notes\n")).content_type == "text/plain"


def test_oversized_upload_is_refused(db, set_param):
    set_param(278, 100)
    with pytest.raises(ValidationError) as exc:
        validate(upload(content=PDF + b"x" * 200))
    assert exc.value.code == "too_big"
    assert "limit" in exc.value.messages[0]


def test_default_limit_is_five_megabytes(db):
    validate(upload(content=PDF + b"x" * (5 * 1024 * 1024 - len(PDF))))
    with pytest.raises(ValidationError):
        validate(upload(content=PDF + b"x" * (5 * 1024 * 1024)))


def test_empty_file_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        validate(upload(content=b""))
    assert exc.value.code == "empty"


@pytest.mark.parametrize("name", ["setup.exe", "RUN.BAT", "invoice.exe.pdf", "x.Ps1"])
def test_forbidden_extension_is_refused(db, name):
    with pytest.raises(ValidationError) as exc:
        validate(upload(name))
    assert exc.value.code == "forbidden_extension"


def test_forbidden_extensions_come_from_parameter_318(db, set_param):
    set_param(318, " .docx , odt")
    validate(upload("setup.exe", PDF))  # no longer listed
    with pytest.raises(ValidationError):
        validate(upload("letter.DOCX", PDF))


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "windows"),
        (b"\x7fELF\x02\x01\x01\x00", "elf"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (b"\xcf\xfa\xed\xfe\x07\x00", "macho"),
    ],
)
def test_renamed_executable_is_refused(db, content, what):
    with pytest.raises(ValidationError) as exc:
        validate(upload("holiday-photo.jpg", content, "image/jpeg"))
    assert exc.value.code == "executable"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><script>alert(1)</script></body></html>",
        b"\xef\xbb\xbf  <!DOCTYPE html><p>hi",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<svg onload=alert(1)>",
        b"some text first\n<script>alert(1)</script>",
    ],
)
def test_html_svg_and_xml_content_is_refused_whatever_the_name(db, content):
    with pytest.raises(ValidationError) as exc:
        validate(upload("notes.txt", content, "text/plain"))
    assert exc.value.code == "markup"


@pytest.mark.parametrize("name", ["page.html", "image.svg", "data.XML"])
def test_markup_extensions_are_refused(db, name):
    with pytest.raises(ValidationError) as exc:
        validate(upload(name, b"plain words"))
    assert exc.value.code == "markup"


def test_the_name_loses_any_directory(db):
    assert validate(upload("../../etc/passwd.txt", b"x")).name == "passwd.txt"
    assert validate(upload("C:\\Users\\m\\a.txt", b"x")).name == "a.txt"


# --- services -------------------------------------------------------------------------------------


def test_attachment_add_stores_the_file_under_a_random_name(ticket, user, settings):
    att = attachment_add(ticket=ticket, file=upload("My report.pdf"), actor=user)
    assert att.original_name == "My report.pdf"
    assert att.size == len(PDF)
    assert att.content_type == "application/pdf"
    assert att.uploaded_by == user
    folder, stored = att.file.name.split("/")
    assert folder == "attachments"
    assert "report" not in stored
    assert len(stored) == 32
    assert (settings.MEDIA_ROOT / att.file.name).read_bytes() == PDF


def test_attachment_add_refuses_a_bad_file_and_stores_nothing(ticket, user, settings):
    with pytest.raises(ValidationError):
        attachment_add(ticket=ticket, file=upload("a.jpg", b"MZ\x90\x00"), actor=user)
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "attachments").exists() or not any(
        (settings.MEDIA_ROOT / "attachments").iterdir()
    )


@pytest.mark.parametrize("situation", [Situation.RESOLVED, Situation.CLOSED, Situation.CANCELED])
def test_attachment_add_refused_on_final_ticket(ticket, user, situation):
    move(ticket, situation=situation)
    with pytest.raises(AttachmentRefused):
        attachment_add(ticket=ticket, file=upload(), actor=user)
    assert not Attachment.objects.exists()


def test_attachment_add_refused_for_another_user(ticket, other_user):
    with pytest.raises(AttachmentRefused):
        attachment_add(ticket=ticket, file=upload(), actor=other_user)


def test_attendant_of_the_group_may_add(ticket, attendant):
    assert attachment_add(ticket=ticket, file=upload(), actor=attendant).uploaded_by == attendant


def test_attachment_remove_deletes_row_and_file(ticket, user, settings, django_capture_on_commit_callbacks):
    att = attachment_add(ticket=ticket, file=upload(), actor=user)
    path = settings.MEDIA_ROOT / att.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=att, actor=user)
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_attachment_remove_refused_on_final_ticket(ticket, user):
    att = attachment_add(ticket=ticket, file=upload(), actor=user)
    move(ticket, situation=Situation.CLOSED)
    with pytest.raises(AttachmentRefused):
        attachment_remove(attachment=att, actor=user)
    assert Attachment.objects.count() == 1


# --- pages ----------------------------------------------------------------------------------------

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def page_url(t):
    return reverse("tickets:attachments", args=[t.pk])


def download_url(att):
    return reverse("tickets:attachment-download", args=[att.ticket_id, att.pk])


def msgs(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_requester_adds_lists_and_downloads_a_file(client_as, user, ticket):
    client = client_as(user)
    r = client.post(page_url(ticket), {"file": upload("Invoice 2024.pdf")})
    assert r.status_code == 302
    att = Attachment.objects.get()
    page = client.get(page_url(ticket)).content.decode()
    assert "Invoice 2024.pdf" in page
    assert download_url(att) in page
    assert "/media/" not in page
    d = client.get(download_url(att))
    assert d.status_code == 200
    assert d["Content-Disposition"].startswith("attachment;")
    assert "Invoice 2024.pdf" in d["Content-Disposition"]
    assert d["X-Content-Type-Options"] == "nosniff"
    assert d["Content-Type"] == "application/pdf"
    assert b"".join(d.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("big.pdf", PDF + b"x" * 300, "limit"),
        ("tool.exe", PDF, ".exe"),
        ("photo.jpg", b"MZ\x90\x00rest", "program"),
        ("page.txt", b"<html><script>x</script>", "web page"),
    ],
)
def test_refused_uploads_show_the_reason_and_store_nothing(
    client_as, user, ticket, set_param, name, content, needle
):
    set_param(278, 200)
    r = client_as(user).post(page_url(ticket), {"file": upload(name, content)})
    assert r.status_code == 200
    assert needle in r.content.decode()
    assert not Attachment.objects.exists()


def test_final_ticket_lists_and_downloads_but_refuses_add_and_remove(client_as, user, ticket):
    att = attachment_add(ticket=ticket, file=upload(), actor=user)
    move(ticket, situation=Situation.CLOSED)
    client = client_as(user)
    page = client.get(page_url(ticket)).content.decode()
    assert 'id="attachments-closed"' in page
    assert 'id="attachment-form"' not in page
    assert "data-remove" not in page
    assert client.get(download_url(att)).status_code == 200
    r = client.post(page_url(ticket), {"file": upload("x.pdf")})
    assert "can no longer be changed" in msgs(r)[0]
    r = client.post(reverse("tickets:attachment-remove", args=[ticket.pk, att.pk]))
    assert Attachment.objects.count() == 2 - 1


def test_remove_confirmation_then_post(client_as, user, ticket):
    att = attachment_add(ticket=ticket, file=upload(), actor=user)
    client = client_as(user)
    remove = reverse("tickets:attachment-remove", args=[ticket.pk, att.pk])
    assert b'id="confirm-remove"' in client.get(remove).content
    assert Attachment.objects.exists()
    assert client.post(remove).status_code == 302
    assert not Attachment.objects.exists()


def test_download_rules(client_as, user, other_user, attendant, admin_user, ticket, far_attendant):
    att = attachment_add(ticket=ticket, file=upload(), actor=user)
    for who, code in ((other_user, 404), (far_attendant, 404), (attendant, 200), (admin_user, 200)):
        c = Client()
        c.force_login(who)
        assert c.get(download_url(att)).status_code == code, who.username
    assert Client().get(download_url(att)).status_code == 302
    # The attachment id must belong to the ticket in the URL.
    other = attachment_add(ticket=ticket, file=upload(), actor=user)
    wrong = reverse("tickets:attachment-download", args=[ticket.pk + 999, other.pk])
    assert client_as(user).get(wrong).status_code == 404


def test_attendant_downloads_from_the_admin_ticket_page(client_as, user, attendant, ticket):
    att = attachment_add(ticket=ticket, file=upload("scan.pdf"), actor=user)
    html = client_as(attendant).get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    assert download_url(att) in html
    assert "scan.pdf" in html


def test_solution_shows_in_description_only_with_parameter_371(client_as, user, closed, set_param):
    client = client_as(user)
    url = reverse("tickets:description", args=[closed.pk])
    assert b'id="ticket-solution"' not in client.get(url).content
    set_param(371, True)
    assert b"Replaced the toner." in client.get(url).content
