"""The single automatic reply to an unknown sender (parameter 205; README, "Receiving e-mail").

An e-mail from an address that is no active user creates nothing; with 205 = Y its sender gets one
reply pointing to the portal, through the outbox (template "Auto-reply to unknown senders", created
by migration ``inbound/0002`` and editable in the admin), in the language the message is written in
when it can be told (``Content-Language``, else its words), else the portal's default.

Never answered (RFC 3834, section 2): automatic messages (``Auto-Submitted``, ``Precedence``
bulk/list/junk, delivery status notifications, out-of-office, mailing lists), the portal's own
e-mails, a null sender and addresses nobody reads (no-reply, mailer-daemon…). The reply itself says
``Auto-Submitted: auto-replied`` and carries no "Reply above this line" marker. A sender gets at most
one every ``INBOUND_AUTO_REPLY_HOURS`` hours: the inbound log is asked, and the outbox's unique key
(the sender and the period) keeps two readers at once from sending two.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.urls import absolute_url
from outbox.models import EmailTemplate, EmailTemplateTranslation, OutboundEmail
from outbox.services import email_queue

from .models import InboundEmail
from .parsing import ParsedEmail

#: The template's name; its texts when it has to be (re)created (migration 0002 creates it with them).
AUTO_REPLY_TEMPLATE_NAME = "Auto-reply to unknown senders"
AUTO_REPLY_TEXTS = {
    "en": (
        "Automatic reply: ${SUBJECT}",
        "Hello,\n\nWe received your e-mail, but its address is not one of Smart Portal's users, so no "
        "request was opened.\n\nPlease open your request in the portal: ${LINK}\n\nThis is an automatic "
        "reply, sent once: you will not get another one for a while.",
    ),
    "pt-br": (
        "Resposta automática: ${SUBJECT}",
        "Olá,\n\nRecebemos o seu e-mail, mas o endereço dele não é de um usuário do Smart Portal, por isso "
        "nenhuma solicitação foi aberta.\n\nAbra a sua solicitação no portal: ${LINK}\n\nEsta é uma "
        "resposta automática, enviada uma vez: você não receberá outra tão cedo.",
    ),
    "es": (
        "Respuesta automática: ${SUBJECT}",
        "Hola:\n\nRecibimos su correo, pero su dirección no es de un usuario de Smart Portal, así que no "
        "se abrió ninguna solicitud.\n\nAbra su solicitud en el portal: ${LINK}\n\nEsta es una respuesta "
        "automática, enviada una vez: no recibirá otra en un tiempo.",
    ),
}

_KEY_PREFIX = "inbound-auto-reply:"

# Local parts nobody reads (RFC 2142 roles that are robots, and the usual no-reply spellings).
_NOBODY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-_.].*|.*[-_.]no[-_.]?reply|mailer[-_.]?daemon|"
    r"postmaster|bounces?([-+_.].*)?|.*-bounces?|majordomo|listserv|.*-request|owner-.*|"
    r"auto[-_.]?reply|autoresponder)$"
)


# A few frequent words of each language (greetings, thanks, function words): enough to tell
# pt-BR, es and en apart in a short e-mail.
def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORDS = {
    "pt-br": _vocabulary(
        "olá ola obrigado obrigada não você vocês preciso meu minha está estou uma para com "
        "bom boa dia tarde solicitação ajuda favor porque também então"
    ),
    "es": _vocabulary(
        "hola gracias necesito usted ustedes mi está estoy una para con buenos buenas días tardes "
        "solicitud ayuda favor porque también entonces pero muy el los las"
    ),
    "en": _vocabulary(
        "hello hi thanks thank please need my is am the and with for good morning afternoon request "
        "help because also then but very"
    ),
}


def never_answer_reason(parsed: ParsedEmail) -> str:
    """Why ``parsed`` must get no automatic reply, or "" (RFC 3834, section 2)."""
    if parsed.automatic:
        return parsed.automatic
    if parsed.own:
        return "one of the portal's own e-mails"
    if not parsed.sender or parsed.null_sender:
        return "null sender"
    if _NOBODY.match(parsed.sender.partition("@")[0]):
        return "an address nobody reads"
    return ""


def guess_language(parsed: ParsedEmail) -> str:
    """The site language the message is written in, else the portal's default (``LANGUAGE_CODE``)."""
    codes = [code for code, _name in settings.LANGUAGES]
    for tag in re.split(r"[,;\s]+", parsed.language_hint.lower()):
        if tag in codes:
            return tag
        base = tag.split("-")[0]
        for code in codes:
            if base and code.split("-")[0] == base:
                return code
    words = re.findall(r"\w+", f"{parsed.subject}\n{parsed.text}".lower())[:400]
    scores = {code: sum(w in vocabulary for w in words) for code, vocabulary in _WORDS.items()}
    best = max(scores, key=lambda code: scores[code])
    if scores[best] >= 2 and list(scores.values()).count(scores[best]) == 1 and best in codes:
        return best
    return settings.LANGUAGE_CODE


def auto_reply_template() -> EmailTemplate:
    """The active template of the auto-reply; created again with its default texts if deleted."""
    template = EmailTemplate.objects.filter(name=AUTO_REPLY_TEMPLATE_NAME, active=True).order_by("pk").first()
    if template is not None:
        return template
    with transaction.atomic():
        subject, body = AUTO_REPLY_TEXTS["en"]
        template = EmailTemplate.objects.create(name=AUTO_REPLY_TEMPLATE_NAME, subject=subject, body=body)
        EmailTemplateTranslation.objects.bulk_create(
            EmailTemplateTranslation(template=template, language=lang, subject=texts[0], body=texts[1])
            for lang, texts in AUTO_REPLY_TEXTS.items()
            if lang != "en"
        )
    return template


def auto_reply_queue(
    *, parsed: ParsedEmail, row: InboundEmail, now: datetime
) -> tuple[OutboundEmail | None, str]:
    """Queue the auto-reply to ``row``'s sender in the caller's transaction (the one recording the
    message); returns (the outbox row or None, the sentence the inbound log records)."""
    why_not = never_answer_reason(parsed)
    if why_not:
        return None, _("No automatic reply (%(why)s).") % {"why": why_not}
    hours = settings.INBOUND_AUTO_REPLY_HOURS
    recent = InboundEmail.objects.filter(
        sender=row.sender, auto_reply__isnull=False, received_at__gte=now - timedelta(hours=hours)
    ).exclude(pk=row.pk)
    if recent.exists():
        return None, _("No automatic reply: the sender had one within %(hours)s hours.") % {"hours": hours}
    period = int(now.timestamp() // (max(hours, 1) * 3600))
    digest = hashlib.sha256(row.sender.encode()).hexdigest()[:40]
    headers = {"Auto-Submitted": "auto-replied"}
    if parsed.message_id and not parsed.message_id.endswith("@inbound.invalid>"):
        headers.update({"In-Reply-To": parsed.message_id, "References": parsed.message_id})
    email = email_queue(
        template=auto_reply_template(),
        context={"SUBJECT": parsed.subject[:150], "LINK": absolute_url(reverse("portal:home"))},
        idempotency_key=f"{_KEY_PREFIX}{digest}:{period}",
        address=row.sender,
        language=guess_language(parsed),
        headers=headers,
    )
    if email is None:
        return None, ""
    if InboundEmail.objects.filter(auto_reply=email).exclude(pk=row.pk).exists():
        # A parallel reader queued it for another message of this sender (the unique key made this
        # call wait for its commit and return its row): that message has it, not this one.
        return None, _("No automatic reply: the sender had one within %(hours)s hours.") % {"hours": hours}
    return email, _("An automatic reply pointing to the portal was sent.")
