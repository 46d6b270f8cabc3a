"""The two approval e-mail templates (admin-editable; found by name, approvals/services.py), in the
three languages, and the index the Approvals list reads tickets awaiting approval through."""

from django.db import migrations

_LINK = "${LINKSOLICITACAOSERVICO}"

TEMPLATES = {
    "Approval request": {
        "en": (
            "Ticket ${IDSERVICEREQUEST} awaits your approval",
            "Hello ${APPROVERNAME},\n\n${REQUESTERNAME} asks for \"${TITLE}\" (${SERVICE}) and your approval "
            "is needed ${ONBEHALFOF}.\n\n${DESCRIPTION}\n\nApprove or not approve it here: " + _LINK + "\n",
        ),
        "pt-br": (
            "A solicitação ${IDSERVICEREQUEST} aguarda a sua aprovação",
            "Olá ${APPROVERNAME},\n\n${REQUESTERNAME} solicita \"${TITLE}\" (${SERVICE}) e é necessária a sua "
            "aprovação ${ONBEHALFOF}.\n\n${DESCRIPTION}\n\nAprove ou não aprove aqui: " + _LINK + "\n",
        ),
        "es": (
            "La solicitud ${IDSERVICEREQUEST} espera su aprobación",
            "Hola ${APPROVERNAME},\n\n${REQUESTERNAME} solicita \"${TITLE}\" (${SERVICE}) y se necesita su "
            "aprobación ${ONBEHALFOF}.\n\n${DESCRIPTION}\n\nApruebe o no apruebe aquí: " + _LINK + "\n",
        ),
    },
    "Approval decision": {
        "en": (
            "Ticket ${IDSERVICEREQUEST}: ${RESULT}",
            "Hello ${REQUESTERNAME},\n\nYour request ${IDSERVICEREQUEST} \"${TITLE}\" was ${RESULT} by "
            "${DECIDEDBY}.\n${JUSTIFICATION}\n${OBSERVATIONS}\n\nSituation: ${SITUACAO}\n${LINKSOLICITACAOSERVICO}\n",
        ),
        "pt-br": (
            "Solicitação ${IDSERVICEREQUEST}: ${RESULT}",
            "Olá ${REQUESTERNAME},\n\nA sua solicitação ${IDSERVICEREQUEST} \"${TITLE}\" foi avaliada por "
            "${DECIDEDBY}: ${RESULT}.\n${JUSTIFICATION}\n${OBSERVATIONS}\n\nSituação: ${SITUACAO}\n"
            "${LINKSOLICITACAOSERVICO}\n",
        ),
        "es": (
            "Solicitud ${IDSERVICEREQUEST}: ${RESULT}",
            "Hola ${REQUESTERNAME},\n\nSu solicitud ${IDSERVICEREQUEST} \"${TITLE}\" fue evaluada por "
            "${DECIDEDBY}: ${RESULT}.\n${JUSTIFICATION}\n${OBSERVATIONS}\n\nSituación: ${SITUACAO}\n"
            "${LINKSOLICITACAOSERVICO}\n",
        ),
    },
}


def create_templates(apps, schema_editor):
    EmailTemplate = apps.get_model("notifications", "EmailTemplate")
    Translation = apps.get_model("notifications", "EmailTemplateTranslation")
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


PENDING_INDEX = (
    "CREATE INDEX approval_pending_tickets ON tickets_ticket (current_group_id, created_at DESC, id DESC) "
    "WHERE situation = 'registered' AND current_task = 'approval'"
)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("notifications", "0001_initial"),
        ("tickets", "0004_search_trigram_indexes"),
    ]

    operations = [
        migrations.RunPython(create_templates, migrations.RunPython.noop),
        # A partial index of the (few) tickets awaiting approval, by group, newest first: the
        # Approvals list and the menu count read it instead of the attendants' group index.
        migrations.RunSQL(PENDING_INDEX, "DROP INDEX approval_pending_tickets"),
    ]
