"""The default texts of the two approval e-mail templates, in the three languages. Administrators
edit them in the admin (E-mail templates); the services find them by name (approvals/services.py).
Created by migration 0002 and, when missing, by the demo data (approvals/demo.py)."""

from __future__ import annotations

from typing import Any

_LINK = "${LINKSOLICITACAOSERVICO}"

TEMPLATES = {
    "Approval request": {
        "en": (
            "Ticket ${IDSERVICEREQUEST} awaits your approval",
            'Hello ${APPROVERNAME},\n\n${REQUESTERNAME} asks for "${TITLE}" (${SERVICE}) and your approval '
            "is needed ${ONBEHALFOF}.\n\n${DESCRIPTION}\n\nApprove or not approve it here: " + _LINK + "\n",
        ),
        "pt-br": (
            "A solicitação ${IDSERVICEREQUEST} aguarda a sua aprovação",
            'Olá ${APPROVERNAME},\n\n${REQUESTERNAME} solicita "${TITLE}" (${SERVICE}) e é necessária a sua '
            "aprovação ${ONBEHALFOF}.\n\n${DESCRIPTION}\n\nAprove ou não aprove aqui: " + _LINK + "\n",
        ),
        "es": (
            "La solicitud ${IDSERVICEREQUEST} espera su aprobación",
            'Hola ${APPROVERNAME},\n\n${REQUESTERNAME} solicita "${TITLE}" (${SERVICE}) y se necesita su '
            "aprobación ${ONBEHALFOF}.\n\n${DESCRIPTION}\n\nApruebe o no apruebe aquí: " + _LINK + "\n",
        ),
    },
    "Approval decision": {
        "en": (
            "Ticket ${IDSERVICEREQUEST}: ${RESULT}",
            'Hello ${REQUESTERNAME},\n\nYour request ${IDSERVICEREQUEST} "${TITLE}" was ${RESULT} by '
            "${DECIDEDBY}.\n${JUSTIFICATION}\n${OBSERVATIONS}\n\nSituation: ${SITUACAO}\n"
            "${LINKSOLICITACAOSERVICO}\n",
        ),
        "pt-br": (
            "Solicitação ${IDSERVICEREQUEST}: ${RESULT}",
            'Olá ${REQUESTERNAME},\n\nA sua solicitação ${IDSERVICEREQUEST} "${TITLE}" foi avaliada por '
            "${DECIDEDBY}: ${RESULT}.\n${JUSTIFICATION}\n${OBSERVATIONS}\n\nSituação: ${SITUACAO}\n"
            "${LINKSOLICITACAOSERVICO}\n",
        ),
        "es": (
            "Solicitud ${IDSERVICEREQUEST}: ${RESULT}",
            'Hola ${REQUESTERNAME},\n\nSu solicitud ${IDSERVICEREQUEST} "${TITLE}" fue evaluada por '
            "${DECIDEDBY}: ${RESULT}.\n${JUSTIFICATION}\n${OBSERVATIONS}\n\nSituación: ${SITUACAO}\n"
            "${LINKSOLICITACAOSERVICO}\n",
        ),
    },
}


def email_templates_ensure(*, template_model: Any = None, translation_model: Any = None) -> None:
    """Create the templates (and their translations) that do not exist yet; never overwrite an
    administrator's edits. The migration passes its historical models."""
    from outbox.models import EmailTemplate as CurrentTemplate
    from outbox.models import EmailTemplateTranslation as CurrentTranslation

    EmailTemplate = template_model or CurrentTemplate
    Translation = translation_model or CurrentTranslation
    for name, texts in TEMPLATES.items():
        subject, body = texts["en"]
        template, _created = EmailTemplate.objects.get_or_create(
            name=name, defaults={"subject": subject, "body": body}
        )
        for language in ("pt-br", "es"):
            subject, body = texts[language]
            Translation.objects.get_or_create(
                template=template, language=language, defaults={"subject": subject, "body": body}
            )
