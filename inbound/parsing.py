"""Reading one raw e-mail with the standard library's parser (``email.policy.default``): who sent
it, whom it was sent to, whether it is automatic, its clean text and its attachments.

Nothing here touches the database; :mod:`inbound.services` decides what the message causes.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from outbox.replies import reply_markers

MAX_SUBJECT = 255


@dataclass
class Attachment:
    name: str
    content: bytes


@dataclass
class ParsedEmail:
    message_id: str
    sender: str
    subject: str
    recipients: list[str]
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    automatic: str = ""  # why it is an automatic message ("" when a person wrote it)
    own: bool = False  # one of ours came back (our Message-ID or outbox header)
    error: str = ""  # why the parser could not read it ("" when it could)
    null_sender: bool = False  # Return-Path: <> (a bounce's envelope): never answered
    language_hint: str = ""  # Content-Language (inbound/autoreply.py answers in it)


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the parser cannot even decode: treated as absent
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def message_id_of(msg: EmailMessage, raw: bytes) -> str:
    """The message's Message-ID, or one derived from its bytes when it has none (the same bytes read
    twice get the same key)."""
    found = re.search(r"<[^<>\s]{1,240}>", _header(msg, "Message-ID"))
    if found:
        return found.group(0)
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound.invalid>"


def automatic_reason(msg: EmailMessage) -> str:
    """Why the message is an automatic one nobody should answer (RFC 3834 Auto-Submitted,
    Precedence, delivery status notifications, out-of-office), or ""."""
    auto = _header(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _header(msg, "Precedence").lower()
    if precedence in {"bulk", "list", "junk", "auto_reply"}:
        return f"Precedence: {precedence}"
    if msg.get_content_type() == "multipart/report" or _header(msg, "X-Failed-Recipients"):
        return "delivery status notification"
    sender = parseaddr(_header(msg, "From"))[1].lower()
    local = sender.partition("@")[0]
    if local in {"mailer-daemon", "postmaster"} or _header(msg, "Return-Path") == "<>":
        return "delivery status notification"
    if _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond") or _header(msg, "List-Id"):
        return "automatic reply or mailing list"
    if _header(msg, "X-Auto-Response-Suppress").lower() in {"all", "oof"}:
        return "automatic reply"
    return ""


class _TextFromHtml(HTMLParser):
    """HTML → plain text: block elements become line breaks, scripts and styles are dropped."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "head", "title"}:
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "head", "title"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextFromHtml()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in html.unescape("".join(parser.parts)).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Lines that start the quoted history when a client dropped our marker (Gmail, Apple Mail,
# Thunderbird, Outlook; in en, pt-BR and es).
QUOTE_HEADERS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\s*On\b.{0,200}\bwrote:\s*$",
        r"^\s*Em\b.{0,200}\bescreveu:\s*$",
        r"^\s*El\b.{0,200}\bescribió:\s*$",
        r"^\s*-{2,}\s*(Original Message|Mensagem original|Mensaje original)\s*-{2,}\s*$",
        r"^\s*_{10,}\s*$",
        r"^\s*(From|De):\s.+$",
        r"^-- $",
    )
]


def clean_text(text: str) -> str:
    """The new part of a reply: the text above our marker line (and above the client's "On … wrote:"
    line that precedes it); without a marker, above the first common quote header; trailing
    ``>``-quoted lines dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markers = [m.strip("# ").lower() for m in reply_markers()]
    cut = None
    for i, line in enumerate(lines):
        bare = line.lstrip("> ").strip("# ").strip().lower()
        if bare and any(m in bare for m in markers):
            cut = i
            break
    if cut is not None:
        lines = lines[:cut]
        while lines and (not lines[-1].strip() or any(q.match(lines[-1]) for q in QUOTE_HEADERS[:3])):
            lines.pop()
    else:
        for i, line in enumerate(lines):
            if any(q.match(line) for q in QUOTE_HEADERS):
                lines = lines[:i]
                break
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(line.rstrip() for line in lines).strip()


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except Exception:  # an unknown charset or a broken transfer encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else str(payload)
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    return str(content)


def _attachments(msg: EmailMessage) -> list[Attachment]:
    found = []
    for part in msg.iter_attachments():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = part.get_filename() or "attachment"
        found.append(Attachment(name=str(name), content=payload))
    return found


def unreadable(raw: bytes, error: str) -> ParsedEmail:
    """What is recorded of a message the parser could not read: its key and why."""
    return ParsedEmail(
        message_id=f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound.invalid>",
        sender="",
        subject="",
        recipients=[],
        text="",
        error=error[:200],
    )


def parse(raw: bytes) -> ParsedEmail:
    """Parse ``raw``; never raises for a malformed message (the parser records defects and keeps
    what it could read)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)  # noqa: S101  policy.default builds EmailMessage
    addresses = getaddresses(
        [_header(msg, h) for h in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")]
    )
    subject = _header(msg, "Subject")
    return ParsedEmail(
        message_id=message_id_of(msg, raw),
        sender=parseaddr(_header(msg, "From"))[1].strip().lower(),
        subject=subject[: MAX_SUBJECT - 1] + "…" if len(subject) > MAX_SUBJECT else subject,
        recipients=[a.strip().lower() for _name, a in addresses if a],
        text=clean_text(_body_text(msg)),
        attachments=_attachments(msg),
        automatic=automatic_reason(msg),
        own=bool(_header(msg, "X-Smart-Portal-Outbox")),
        null_sender=_header(msg, "Return-Path").replace(" ", "") == "<>",
        language_hint=_header(msg, "Content-Language")[:100],
    )
