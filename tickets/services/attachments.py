"""Ticket attachments: the add/remove services (the file checks are :mod:`core.uploads`).

- :func:`attachment_add` ``(*, ticket, file, actor) -> Attachment`` validates again, stores the
  file under a random name in ``MEDIA_ROOT/attachments/`` and records it.
- :func:`attachment_remove` ``(*, attachment, actor) -> None``.

Both services raise :class:`AttachmentRefused` (an ``ApplicationError`` with ``.message``) when
the ticket's situation or the actor does not allow the change, and ``ValidationError`` for a bad
file. Files are never served from ``MEDIA_URL``: the download view checks who may see the ticket
and answers ``Content-Disposition: attachment`` with ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.uploads import validate_upload
from parameters.uploads import upload_rules

from ..access import ticket_lock
from ..models import Attachment, Ticket
from ..policies import can_change_attachments, can_remove_attachment

if TYPE_CHECKING:
    from accounts.models import User


class AttachmentRefused(ApplicationError):
    pass


def _check_change(*, ticket: Ticket, actor: User) -> None:
    if can_change_attachments(actor, ticket):
        return
    if ticket.is_final:
        raise AttachmentRefused(
            _("Ticket %(number)s is %(situation)s: its attachments can no longer be changed.")
            % {"number": ticket.number, "situation": ticket.get_situation_display()}
        )
    raise AttachmentRefused(_("You cannot change the attachments of this ticket."))


# --- services -----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, ticket: Ticket, file, actor: User) -> Attachment:
    """Validate ``file`` and attach it to ``ticket`` (stored as ``attachments/<uuid>``).

    Raises ``ValidationError`` for a refused file and :class:`AttachmentRefused` when the ticket is
    final or ``actor`` is neither its requester nor one of its attendants.
    A failure inside this service deletes the stored file; a rollback of the caller's transaction
    after it returns leaves an unreferenced file in ``attachments/`` (harmless: never served).
    """
    ticket_lock(ticket)
    _check_change(ticket=ticket, actor=actor)
    info = validate_upload(file, upload_rules())
    attachment = Attachment(
        ticket=ticket,
        original_name=info.name,
        size=info.size,
        content_type=info.content_type,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    file.seek(0)
    attachment.file.save(info.name, file, save=False)  # random name: see models.attachment_upload_to
    stored = str(attachment.file.name)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    """Delete an attachment of an open ticket (row now, file after the commit)."""
    ticket = attachment.ticket
    ticket_lock(ticket)
    _check_change(ticket=ticket, actor=actor)
    if not can_remove_attachment(actor, ticket, attachment.uploaded_by_id):
        raise AttachmentRefused(_("You can remove only the files you attached."))
    storage, name = attachment.file.storage, str(attachment.file.name)
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)
