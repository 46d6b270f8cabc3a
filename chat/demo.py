"""Demo data of the chat, called by ``seed_demo`` (portal/management/commands/seed_demo.py): the chat
turned on (316), an origin "Chat" (315), End-user computing and Access and identity offered through
the chat, Password reset as the activity of direct attendance (317), and the "while you were away"
e-mail template (447). Idempotent, like the rest of the demo data."""

from __future__ import annotations

from catalog.models import Activity, Portfolio, Service
from outbox.models import EmailTemplate, EmailTemplateTranslation
from parameters import registry as r
from parameters.models import ParameterChange
from parameters.services import parameter_set
from tickets.models import Origin

PORTFOLIOS = ["End-user computing", "Access and identity"]
DIRECT_ACTIVITY = "Password reset"
_LINK = "${LINKSOLICITACAOSERVICO}"
AWAY_TEMPLATE = {
    "name": "Chat: a message while you were away",
    "en": (
        "Request ${IDSERVICEREQUEST}: new chat message from ${AUTHOR}",
        "Hello,\n\n${AUTHOR} wrote in the chat of request ${IDSERVICEREQUEST} while you were away:\n\n"
        f"${{MESSAGE}}\n\nAnswer in the chat: {_LINK}\n",
    ),
    "pt-br": (
        "Solicitação ${IDSERVICEREQUEST}: nova mensagem de ${AUTHOR} no chat",
        "Olá,\n\n${AUTHOR} escreveu no chat da solicitação ${IDSERVICEREQUEST} enquanto você estava ausente:"
        f"\n\n${{MESSAGE}}\n\nResponda no chat: {_LINK}\n",
    ),
    "es": (
        "Solicitud ${IDSERVICEREQUEST}: nuevo mensaje de ${AUTHOR} en el chat",
        "Hola,\n\n${AUTHOR} escribió en el chat de la solicitud ${IDSERVICEREQUEST} mientras usted no estaba:"
        f"\n\n${{MESSAGE}}\n\nResponda en el chat: {_LINK}\n",
    ),
}


def seed_chat_demo() -> None:
    origin, _created = Origin.objects.get_or_create(name="Chat")
    portfolios = Portfolio.objects.filter(name__in=PORTFOLIOS)
    portfolios.update(available_via_chat=True)
    services = Service.objects.filter(portfolio__in=portfolios)
    services.update(available_via_chat=True)
    activities = Activity.objects.filter(service__in=services, approver_group__isnull=True)
    activities.update(available_via_chat=True)
    direct = Activity.objects.filter(name=DIRECT_ACTIVITY).first()
    subject, body = AWAY_TEMPLATE["en"]
    template, _created = EmailTemplate.objects.get_or_create(
        name=AWAY_TEMPLATE["name"], defaults={"subject": subject, "body": body}
    )
    for language in ("pt-br", "es"):
        subject, body = AWAY_TEMPLATE[language]
        EmailTemplateTranslation.objects.get_or_create(
            template=template, language=language, defaults={"subject": subject, "body": body}
        )
    values = {
        r.CHAT_ENABLED: True,
        r.CHAT_ORIGIN: origin.pk,
        r.CHAT_ACTIVITY: direct.pk if direct else None,
        r.CHAT_AWAY_EMAIL_TEMPLATE: template.pk,
    }
    for p, value in values.items():
        parameter_set(p=p, value=value, via=ParameterChange.Via.SYSTEM)
