"""The default texts of the knowledge review e-mail template, in the three languages. Administrators edit
them in the admin (E-mail templates); knowledge/services.py finds it by name. Created by migration 0002
(and by the demo data when missing)."""

from __future__ import annotations

from typing import Any

REVIEW_TEMPLATE_NAME = "Knowledge article review"

TEMPLATES = {
    REVIEW_TEMPLATE_NAME: {
        "en": (
            'Review the knowledge article "${TITLE}" by ${REVIEWDATE}',
            'Hello ${AUTHORNAME},\n\nThe knowledge article "${TITLE}" that you wrote is due for review on '
            "${REVIEWDATE}. Please check that it is still right and set its next review date.\n\n${LINK}\n",
        ),
        "pt-br": (
            'Revise o artigo de conhecimento "${TITLE}" até ${REVIEWDATE}',
            'Olá ${AUTHORNAME},\n\nO artigo de conhecimento "${TITLE}" que você escreveu deve ser '
            "revisado em ${REVIEWDATE}. Verifique se ele continua correto e defina a próxima data de "
            "revisão.\n\n${LINK}\n",
        ),
        "es": (
            'Revise el artículo de conocimiento "${TITLE}" antes del ${REVIEWDATE}',
            'Hola ${AUTHORNAME},\n\nEl artículo de conocimiento "${TITLE}" que usted escribió debe revisarse '
            "el ${REVIEWDATE}. Compruebe que sigue siendo correcto y fije su próxima fecha de revisión.\n\n"
            "${LINK}\n",
        ),
    },
}


def email_templates_ensure(*, template_model: Any = None, translation_model: Any = None) -> None:
    """Create the template (and its translations) when missing; never overwrite an administrator's
    edits. The migration passes its historical models."""
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
