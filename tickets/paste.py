"""Screenshots pasted or dropped into a ticket's pages (issue 26): the image panel of the Description,
Message, Occurrence Register and chat pages (templates/tickets/_image_panel.html, static/js/paste-image.js).

An image goes through the one upload path (``tickets.services.attachments.attachment_add``: parameters
278 and 318 and the content checks of ``core.uploads``) and is shown from the checked download
(``tickets:attachment-download``), never from ``MEDIA_URL``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from . import policies
from .models import Attachment, Ticket

if TYPE_CHECKING:
    from accounts.models import User

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")  # what core.uploads records from the content

# Where the panel's plain form (no JavaScript) returns: a page of the same ticket, by name.
RETURN_PAGES = {
    "description": "tickets:description",
    "message": "tickets:message",
    "occurrence": "occurrences:register",
    "chat": "chat:detail",
    "console": "chat:console-chat",
}


def image_list_for_ticket(ticket: Ticket) -> list[Attachment]:
    """The ticket's images (what a thumbnail may show), oldest first: one query."""
    qs = Attachment.objects.filter(ticket=ticket, content_type__in=IMAGE_TYPES)
    return list(qs.only("id", "ticket_id", "original_name", "content_type").order_by("uploaded_at", "id"))


def image_panel(user: User, ticket: Ticket, *, page: str) -> dict[str, Any]:
    """The template context of the image panel on ``page`` (a key of :data:`RETURN_PAGES`)."""
    return {
        "panel_ticket": ticket,
        "panel_images": image_list_for_ticket(ticket),
        "panel_may_add": policies.can_change_attachments(user, ticket),
        "panel_page": page,
    }


def return_url(ticket: Ticket, page: str | None) -> str:
    """The page a plain (no JavaScript) upload returns to; the Description when unknown."""
    name = RETURN_PAGES.get(page or "", "tickets:description")
    return reverse(name, args=[ticket.pk])
