"""Ticket attachments: upload checks and the add/remove services.

Reused by the catalog's "open a request" form (another app): keep these signatures stable.

- :func:`validate_upload` ``(file) -> UploadInfo`` raises :class:`django.core.exceptions.ValidationError`
  with a message for the user (size, parameter 278; extension, parameter 318; the real content,
  read from its first bytes). Usable as-is in a form's ``clean_<field>``.
- :func:`attachment_add` ``(*, ticket, file, actor) -> Attachment`` validates again, stores the
  file under a random name in ``MEDIA_ROOT/attachments/`` and records it.
- :func:`attachment_remove` ``(*, attachment, actor) -> None``.

Both services raise :class:`AttachmentRefused` (an ``ApplicationError`` with ``.message``) when
the ticket's situation or the actor does not allow the change, and ``ValidationError`` for a bad
file. Files are never served from ``MEDIA_URL``: the download view checks who may see the ticket
and answers ``Content-Disposition: attachment`` with ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from parameters import registry as r
from parameters.accessors import param

from .access import ticket_lock
from .models import Attachment, Ticket
from .policies import can_change_attachments

SNIFF_BYTES = 1024
MAX_NAME_LENGTH = 255

# Extensions refused whatever parameter 318 says: a browser would render them as a page.
MARKUP_EXTENSIONS = frozenset(
    {"html", "htm", "xhtml", "xht", "shtml", "svg", "svgz", "xml", "xsl", "xslt", "mht", "mhtml", "hta"}
)

# (signature, what it is) of executable content, checked on the first bytes.
EXECUTABLE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"#!", "script"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O / Java class"),
)

# What browsers take for a web page when they sniff (WHATWG MIME sniffing, "HTML" patterns), plus XML/SVG.
_MARKUP_START = re.compile(
    rb"^<(\?xml|!doctype|!--|html|head|body|script|iframe|svg|h1|div|font|table|a|style|title|b|br|p|"
    rb"object|embed|meta|link|form|img|math)[\s>/]",
    re.IGNORECASE,
)
_MARKUP_ANYWHERE = re.compile(rb"<(html|svg|script|iframe|!doctype|\?xml)[\s>/]", re.IGNORECASE)

# Signatures of common documents, to record a content type that does not come from the browser.
_KNOWN_TYPES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_SAFE_GUESSES = ("text/plain", "text/csv", "application/")


class AttachmentRefused(ApplicationError):
    pass


@dataclass(frozen=True)
class UploadInfo:
    """What :func:`validate_upload` learned about an accepted file."""

    name: str  # the cleaned original name (shown, never used on disk)
    size: int
    content_type: str


def clean_name(name: str | None) -> str:
    """The file's own name without any directory, control characters or surrounding blanks."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep_ext = dot and len(ext) < 20
        name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + dot + ext if keep_ext else name[:MAX_NAME_LENGTH]
    return name


def forbidden_extensions() -> set[str]:
    """Parameter 318 ("exe,bat,.sh"): lower case, without dots or blanks."""
    raw = param(r.FORBIDDEN_EXTENSIONS) or ""
    return {e.strip().lower().lstrip(".") for e in raw.split(",") if e.strip().strip(".")}


def _extensions(name: str) -> list[str]:
    """Every suffix of a name: "a.tar.gz" -> ["tar", "gz"]; "report.exe.pdf" -> ["exe", "pdf"]."""
    return [p.lower().strip() for p in name.split(".")[1:] if p.strip()]


def _head(file) -> bytes:
    pos = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return file.read(SNIFF_BYTES) or b""
    finally:
        file.seek(pos)


def _content_type(head: bytes, name: str) -> str:
    for signature, ctype in _KNOWN_TYPES:
        if head.startswith(signature):
            return ctype
    guess, _encoding = mimetypes.guess_type(name, strict=False)
    if guess and guess.startswith(_SAFE_GUESSES) and "xml" not in guess and "html" not in guess:
        return guess
    return "application/octet-stream"


def validate_upload(file) -> UploadInfo:
    """Check an uploaded file; raise ``ValidationError`` (a message for the user) when it is refused.

    Refused: an empty file, one over parameter 278 bytes, a name with an extension of parameter 318
    (any of its suffixes: "invoice.exe.pdf" too) or a web-page/XML extension, and content that is an
    executable (MZ, ELF, Mach-O, "#!" script) or HTML/SVG/XML whatever the name says.
    """
    name = clean_name(getattr(file, "name", ""))
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    limit = param(r.MAX_UPLOAD_BYTES)
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    if limit and size > limit:
        raise ValidationError(
            _("The file %(name)s has %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    exts = _extensions(name)
    banned = forbidden_extensions()
    for ext in exts:
        if ext in banned:
            raise ValidationError(
                _("Files of type .%(ext)s are not accepted.") % {"ext": ext}, code="forbidden_extension"
            )
        if ext in MARKUP_EXTENSIONS:
            raise ValidationError(
                _("Web pages and XML/SVG files (.%(ext)s) are not accepted; send a PDF or an image instead.")
                % {"ext": ext},
                code="markup",
            )
    head = _head(file)
    for signature, _what in EXECUTABLE_SIGNATURES:
        if head.startswith(signature):
            raise ValidationError(
                _("The file %(name)s is a program or a script, which is not accepted (whatever its name).")
                % {"name": name},
                code="executable",
            )
    text = head.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n\x0c")
    if _MARKUP_START.match(text) or _MARKUP_ANYWHERE.search(head):
        raise ValidationError(
            _(
                "The file %(name)s contains a web page or XML/SVG markup, which is not accepted; "
                "send a PDF or an image instead."
            )
            % {"name": name},
            code="markup",
        )
    return UploadInfo(name=name, size=size, content_type=_content_type(head, name))


def _check_change(*, ticket: Ticket, actor) -> None:
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
def attachment_add(*, ticket: Ticket, file, actor) -> Attachment:
    """Validate ``file`` and attach it to ``ticket`` (stored as ``attachments/<uuid>``).

    Raises ``ValidationError`` for a refused file and :class:`AttachmentRefused` when the ticket is
    final or ``actor`` is neither its requester nor one of its attendants.
    A failure inside this service deletes the stored file; a rollback of the caller's transaction
    after it returns leaves an unreferenced file in ``attachments/`` (harmless: never served).
    """
    ticket_lock(ticket, fields=("situation",))
    _check_change(ticket=ticket, actor=actor)
    info = validate_upload(file)
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
    stored = attachment.file.name
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    """Delete an attachment of an open ticket (row now, file after the commit)."""
    ticket = attachment.ticket
    ticket_lock(ticket, fields=("situation",))
    _check_change(ticket=ticket, actor=actor)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)
