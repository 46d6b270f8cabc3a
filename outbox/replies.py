"""The reply side of what the outbox sends (README, "Receiving e-mail"): the signed reply address,
the thread's Message-IDs and the "Reply above this line" marker.

A ticket e-mail (one whose placeholders carry ``IDSERVICEREQUEST``: :func:`tickets.emails.ticket_context`)
gets ``Reply-To: support+t<ticket>-<signature>@domain`` when ``INBOUND_ADDRESS`` is set. The
signature is an HMAC of the ticket and the recipient's address (``salted_hmac``, Django's signing
primitive, keyed by ``SECRET_KEY``), in lower-case hex because mail servers may fold the case of a
local part. So the reply address is per recipient: a reply counts only when its From is the
address it was signed for (:func:`reply_token_check`); a subject naming "Request 123" or a
guessed address never does. It is not single-use (``core/tokens.py``) on purpose: a requester may
answer the same e-mail twice.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

_SALT = "outbox.replies.reply-address"
_SIGNATURE_LENGTH = 20  # hex digits: 80 bits
_TOKEN_RE = re.compile(r"^t(?P<ticket>[0-9]{1,12})-(?P<signature>[0-9a-f]{20})$")


def inbound_address() -> tuple[str, str] | None:
    """(local part, domain) of ``INBOUND_ADDRESS`` in lower case, or None when inbound is off."""
    address = parseaddr(getattr(settings, "INBOUND_ADDRESS", "") or "")[1].strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    return local, domain


def _signature(ticket_id: int, address: str) -> str:
    value = f"{ticket_id}:{address.strip().lower()}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def reply_token(ticket_id: int, address: str) -> str:
    """The plus-part of the reply address of ``ticket_id`` for the recipient ``address``."""
    return f"t{ticket_id}-{_signature(ticket_id, address)}"


def reply_address(ticket_id: int, address: str) -> str:
    """``support+<token>@domain`` for this ticket and recipient, or "" when inbound is off."""
    parts = inbound_address()
    if parts is None:
        return ""
    local, domain = parts
    return f"{local}+{reply_token(ticket_id, address)}@{domain}"


def reply_token_check(token: str, sender: str) -> int | None:
    """The ticket id of ``token`` when it was signed for ``sender``; None otherwise (malformed, or
    signed for someone else: a forged From)."""
    m = _TOKEN_RE.match((token or "").strip().lower())
    if m is None or not sender:
        return None
    ticket_id = int(m.group("ticket"))
    if not constant_time_compare(m.group("signature"), _signature(ticket_id, sender)):
        return None
    return ticket_id


def message_id_domain() -> str:
    """The domain of the outbox's Message-IDs (``OutboundEmail.save``)."""
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip().lower() or "smartportal.local"


def thread_id(ticket_id: int | str) -> str:
    """The Message-ID every e-mail about a ticket refers to (In-Reply-To, References), so mail
    clients show them as one conversation."""
    return f"<ticket-{ticket_id}@{message_id_domain()}>"


def reply_marker(language: str) -> str:
    """The line above which a reply is written; the inbound side cuts the text there."""
    with translation.override(language):
        return _("## Reply above this line ##")


def reply_markers() -> list[str]:
    """The marker in every language of the site (a reply may come from any of them)."""
    return sorted({reply_marker(code) for code, _name in settings.LANGUAGES})
