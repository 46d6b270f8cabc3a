"""Screenshots pasted or dropped into a request (issue 26; static/js/paste-image.js): a paste
``ClipboardEvent`` and a ``drop`` ``DragEvent`` carrying a PNG ``File`` in a ``DataTransfer``, as the
browser sends them for Ctrl/⌘+V and for a dragged file.

* On the request form (the request does not exist yet) the image joins the Attachments field and is
  saved with the request.
* On the Description, the Message page, the Occurrence Register and the chat it is sent at once
  (tickets:attachment-paste: parameters 278/318 and the content checks) and drawn as a thumbnail of the
  checked download; another user gets a 404 for it; a refused file shows the usual message.
"""

from __future__ import annotations

import base64
import struct
import zlib

import pytest
from playwright.sync_api import expect

from parameters.services import parameter_set
from tests import factories
from tickets.models import Attachment, Ticket
from tickets.services.transitions import ticket_capture


def tiny_png() -> bytes:
    """A real 2 x 2 PNG (the thumbnail must decode)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG_B64 = base64.b64encode(tiny_png()).decode()

# Dispatches what the browser sends for a paste (ClipboardEvent) or a drop (DragEvent) of one file.
SEND_FILE = """([selector, kind, name, type, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type}));
  const target = document.querySelector(selector);
  target.focus();
  const event = kind === "paste"
    ? new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
    : new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true});
  return target.dispatchEvent(event);
}"""


def send(
    page, selector: str, kind: str = "paste", name: str = "image.png", b64: str = PNG_B64, type_="image/png"
):
    """Paste or drop a file on ``selector``; True when the page took it (the event's default prevented)."""
    return not page.evaluate(SEND_FILE, [selector, kind, name, type_, b64])


def forget_refusals(audit) -> None:
    """The refusals the test asked for (a 400/403 JSON answer of the paste endpoint) are not broken
    sub-resources."""
    audit.failed_responses[:] = [r for r in audit.failed_responses if "/attachments/paste/" not in r]


@pytest.fixture
def desk(transactional_db):
    return factories.GroupFactory(name="Service desk")


@pytest.fixture
def world(maria, desk, portal_ready):
    for number in (299, 252):  # messages; the occurrence register
        parameter_set(p=number, value=True)
    ana = factories.UserFactory(username="attendant", password="attendant", is_staff=True, groups=[desk])
    activity = factories.ActivityFactory(executor_group=desk, name="Printer repair")
    open_ = factories.open_ticket(
        requester=maria, activity=activity, contract=portal_ready["contract"], title="Printer jam"
    )
    ticket_capture(ticket=open_, actor=ana)
    factories.UserFactory(username="pedro", password="pedro")
    return {"activity": activity, "ticket": open_}


def thumbnails(page):
    return page.locator("#image-thumbs img")


def expect_thumbnail_loaded(page, count: int) -> None:
    expect(thumbnails(page)).to_have_count(count)
    loaded = "i => i.complete && i.naturalWidth === 2"
    page.wait_for_function(f"() => [...document.querySelectorAll('#image-thumbs img')].every({loaded})")


def test_paste_into_the_request_form_then_the_description_and_a_message(page, new_page, login, world):
    login(page, "maria", "maria")
    activity = world["activity"]

    # The request form: the pasted screenshot joins the Attachments field and is saved with the request.
    page.goto(f"/catalog/activity/{activity.pk}/new/")
    expect(page.locator("#paste-into")).to_be_visible()
    page.get_by_label("Title").fill("Screen freezes")
    page.get_by_label("Description").fill("See the screenshot.")
    assert send(page, "#id_description")
    expect(page.locator("#paste-into-list img")).to_have_count(1)
    expect(page.locator("#paste-into-status")).to_have_text("Files to attach: 1.")
    assert page.eval_on_selector("#id_attachments", "i => i.files.length") == 1
    page.get_by_role("button", name="Add and Finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request was registered")
    new = Ticket.objects.exclude(pk=world["ticket"].pk).get()
    (first,) = Attachment.objects.filter(ticket=new)
    assert first.content_type == "image/png"
    assert first.original_name.startswith("screenshot-")
    assert first.original_name.endswith(".png")
    assert first.file.read() == tiny_png()

    # Its Description: the saved screenshot is a thumbnail; another one pasted on the zone joins it.
    page.goto(f"/my-requests/{new.pk}/")
    expect_thumbnail_loaded(page, 1)
    page.locator("#paste-zone").focus()  # keyboard: Tab to the zone, then Ctrl+V
    assert send(page, "#paste-zone")
    expect_thumbnail_loaded(page, 2)
    expect(page.locator("#paste-status")).to_contain_text("attached.")
    assert Attachment.objects.filter(ticket=new).count() == 2
    second = Attachment.objects.filter(ticket=new).latest("pk")
    link = page.locator(f'#image-thumbs a[data-attachment="{second.pk}"]')
    download_url = f"/my-requests/{new.pk}/attachments/{second.pk}/"
    expect(link).to_have_attribute("href", download_url)
    page.reload()  # drawn by the server the same way
    expect_thumbnail_loaded(page, 2)

    # A message: a screenshot dropped into the text box is attached to the ticket once.
    ticket = world["ticket"]
    page.goto(f"/my-requests/{ticket.pk}/messages/")
    expect(page.locator("#image-thumbs-empty")).to_be_visible()
    assert send(page, "#id_text", kind="drop")
    expect_thumbnail_loaded(page, 1)
    expect(page.locator("#image-thumbs-empty")).to_be_hidden()
    assert Attachment.objects.filter(ticket=ticket).count() == 1
    # Text pasted into the box stays the box's own (the event is not cancelled).
    assert page.evaluate(
        """() => { const d = new DataTransfer(); d.setData("text/plain", "hello");
        return document.querySelector("#id_text").dispatchEvent(
          new ClipboardEvent("paste", {clipboardData: d, bubbles: true, cancelable: true})); }"""
    )

    # The occurrence text, too.
    page.goto(f"/my-requests/{ticket.pk}/occurrences/new/")
    assert send(page, "#id_text")
    expect_thumbnail_loaded(page, 2)
    assert Attachment.objects.filter(ticket=ticket).count() == 2

    # Another user cannot open it: 404 by URL.
    other = new_page()
    login(other, "pedro", "pedro")
    response = other.goto(download_url)
    assert response is not None
    assert response.status == 404


def test_an_oversized_or_forbidden_file_is_refused_with_the_usual_message(page, login, world, browser_audit):
    ticket = world["ticket"]
    login(page, "maria", "maria")
    page.goto(f"/my-requests/{ticket.pk}/")
    assert send(page, "#paste-zone", kind="drop", name="tool.exe", type_="application/octet-stream")
    expect(page.locator("#paste-error")).to_have_text("Files of type .exe are not accepted.")
    parameter_set(p=278, value=50)
    assert send(page, "#paste-zone")
    expect(page.locator("#paste-error")).to_contain_text("the limit is 50")
    expect(thumbnails(page)).to_have_count(0)
    assert not Attachment.objects.exists()
    forget_refusals(browser_audit)


def test_without_javascript_the_plain_file_form_attaches(new_page, login, world, tmp_path):
    page = new_page()
    page.context.route(
        "**/paste-image.js", lambda route: route.fulfill(status=200, body="", content_type="text/javascript")
    )
    login(page, "maria", "maria")
    ticket = world["ticket"]
    page.goto(f"/my-requests/{ticket.pk}/messages/")
    expect(page.locator("#paste-zone")).to_be_hidden()
    shot = tmp_path / "shot.png"
    shot.write_bytes(tiny_png())
    page.locator("#image-file").set_input_files(str(shot))
    page.locator("#image-attach").click()
    expect(page.locator(".alert-success")).to_contain_text("File shot.png attached.")
    expect(page).to_have_url(f"{page.url.split('/my-requests/')[0]}/my-requests/{ticket.pk}/messages/")
    expect_thumbnail_loaded(page, 1)
