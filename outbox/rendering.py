"""Rendering an outbox row into a multipart e-mail, at send time, in the recipient's language.

Placeholders are written ``${NAME}`` (upper-case letters, digits, underscores). A placeholder
the context does not know is **left visible** as typed (``${TYPO}``), so an administrator who
misspells one sees it in the first e-mail instead of getting a silently blank sentence.

The text/plain part is the template's body with the values substituted. The text/html
alternative is ``templates/outbox/email/base.html``: every value — the administrator's
text and the user-written occurrence alike — is autoescaped there, so markup in an occurrence
(``<script>``) shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from outbox.models import OutboundEmail
from outbox.preferences import kind_of_key, unsubscribe_url
from outbox.replies import inbound_address, reply_address, reply_marker, thread_id

# Headers only the outbox writes: a row's extra headers cannot replace them.
_OWN_HEADERS = frozenset(
    {"message-id", "x-smart-portal-outbox", "from", "to", "subject", "reply-to", "list-unsubscribe"}
)
PLACEHOLDER_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")
LINK_PLACEHOLDER = "LINKSOLICITACAOSERVICO"
# The link of e-mails that are not about a ticket (notifications): "Open in Smart Portal".
PORTAL_LINK_PLACEHOLDER = "LINK"


def render_placeholders(text: str, context: Mapping[str, object]) -> str:
    """Replace each known ``${NAME}`` by ``context[NAME]``; unknown placeholders stay as typed."""

    def _sub(m: re.Match) -> str:
        key = m.group(1)
        if key not in context:
            return m.group(0)
        value = context[key]
        return "" if value is None else str(value)

    return PLACEHOLDER_RE.sub(_sub, text or "")


def render_texts(email: OutboundEmail) -> tuple[str, str]:
    """(subject, body) of the row: the template's texts in the row's language, values substituted."""
    subject, body = email.template.texts_for(email.language or settings.LANGUAGE_CODE)
    context = email.context or {}
    subject = " ".join(render_placeholders(subject, context).split())  # one line: no header injection
    return subject, render_placeholders(body, context)


def render_email(email: OutboundEmail, *, connection=None) -> EmailMultiAlternatives:
    """The multipart message (text/plain + text/html) for an outbox row, with its stable Message-ID.

    With ``INBOUND_ADDRESS`` set (README, "Receiving e-mail") the body starts with the reply marker,
    and a ticket's e-mail carries the recipient's signed reply address and the ticket's thread
    (:mod:`outbox.replies`)."""
    language = email.language or settings.LANGUAGE_CODE
    context = email.context or {}
    extra = {k: str(v) for k, v in (email.headers or {}).items() if k.lower() not in _OWN_HEADERS}
    ticket_id = str(context.get("IDSERVICEREQUEST", ""))
    # An automatic e-mail (RFC 3834 Auto-Submitted: the inbound auto-reply) invites no answer.
    automatic = "auto-submitted" in {k.lower() for k in extra}
    marker = reply_marker(language) if inbound_address() is not None and not automatic else ""
    reply_to = reply_address(int(ticket_id), email.recipient) if ticket_id.isdigit() else ""
    kind = kind_of_key(email.idempotency_key)
    unsubscribe = unsubscribe_url(email.recipient, kind) if kind is not None else ""
    with translation.override(language):
        subject, body = render_texts(email)
        html = render_to_string(
            "outbox/email/base.html",
            {
                "subject": subject,
                "body": body,
                "link": context.get(LINK_PLACEHOLDER, ""),
                "portal_link": ""
                if LINK_PLACEHOLDER in context
                else context.get(PORTAL_LINK_PLACEHOLDER, ""),
                "ticket_number": context.get("IDSERVICEREQUEST", ""),
                "language": language,
                "reply_marker": marker,
                "can_reply": bool(reply_to),
                "unsubscribe_url": unsubscribe,
            },
        )
    headers = {**extra, "Message-ID": email.message_id, "X-Smart-Portal-Outbox": str(email.pk)}
    if reply_to:
        headers.update({"In-Reply-To": thread_id(ticket_id), "References": thread_id(ticket_id)})
    if unsubscribe:
        # RFC 8058: mail clients show "Unsubscribe" and POST to the link without the user logging in.
        headers.update(
            {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=f"{marker}\n\n{body}" if marker else body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
