"""Checks of an uploaded file, for every form and service that accepts one (ticket attachments,
the catalog's request form).

:func:`validate_upload` ``(file, rules) -> UploadInfo`` raises
:class:`django.core.exceptions.ValidationError` with a message for the user; usable as-is in a
form's ``clean_<field>``. The limits come from the caller (:class:`UploadRules`; the portal's are
parameters 278 and 318: :func:`parameters.uploads.upload_rules`), so this module depends on
nothing of the project.
"""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class UploadRules:
    """What a caller accepts: at most ``max_bytes`` (None or 0: no limit) and none of the
    ``forbidden_extensions`` (lower case, without the dot)."""

    max_bytes: int | None = None
    forbidden_extensions: frozenset[str] = frozenset()


def parse_extensions(raw: str | None) -> frozenset[str]:
    """A list such as "exe,bat,.sh": lower case, without dots or blanks."""
    return frozenset(e.strip().lower().lstrip(".") for e in (raw or "").split(",") if e.strip().strip("."))


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


def _extensions(name: str) -> list[str]:
    """Every suffix of a name: "a.tar.gz" -> ["tar", "gz"]; "report.exe.pdf" -> ["exe", "pdf"]."""
    return [p.lower().strip() for p in name.split(".")[1:] if p.strip()]


def _head(file: Any) -> bytes:
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


def validate_upload(file: Any, rules: UploadRules) -> UploadInfo:
    """Check an uploaded file; raise ``ValidationError`` (a message for the user) when it is refused.

    Refused: an empty file, one over ``rules.max_bytes``, a name with a forbidden extension (any of
    its suffixes: "invoice.exe.pdf" too) or a web-page/XML extension, and content that is an
    executable (MZ, ELF, Mach-O, "#!" script) or HTML/SVG/XML whatever the name says.
    """
    name = clean_name(getattr(file, "name", ""))
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    limit = rules.max_bytes
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    if limit and size > limit:
        raise ValidationError(
            _("The file %(name)s has %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    exts = _extensions(name)
    banned = rules.forbidden_extensions
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
