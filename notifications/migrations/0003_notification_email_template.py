"""The default e-mail template of notifications sent with "Notify by e-mail" (English, with Portuguese and
Spanish translations). Administrators edit its texts in the admin like any other template. The same
texts are in notifications.services.NOTIFICATION_TEMPLATE_TEXTS (kept here as they were)."""

from django.db import migrations

NAME = "Portal notification"
TEXTS = {
    "en": (
        "${TITLE}",
        "Hello ${USERNAME},\n\n${SHORTDESCRIPTION}\n\n${DESCRIPTION}\n\nRead it in Smart Portal: ${LINK}",
    ),
    "pt-br": (
        "${TITLE}",
        "Olá ${USERNAME},\n\n${SHORTDESCRIPTION}\n\n${DESCRIPTION}\n\nLeia no Smart Portal: ${LINK}",
    ),
    "es": (
        "${TITLE}",
        "Hola ${USERNAME}:\n\n${SHORTDESCRIPTION}\n\n${DESCRIPTION}\n\nLéala en Smart Portal: ${LINK}",
    ),
}


def create_template(apps, schema_editor):
    EmailTemplate = apps.get_model("notifications", "EmailTemplate")
    Translation = apps.get_model("notifications", "EmailTemplateTranslation")
    if EmailTemplate.objects.filter(name=NAME).exists():
        return
    subject, body = TEXTS["en"]
    template = EmailTemplate.objects.create(name=NAME, subject=subject, body=body, active=True)
    for language in ("pt-br", "es"):
        subject, body = TEXTS[language]
        Translation.objects.create(template=template, language=language, subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification")]

    operations = [migrations.RunPython(create_template, migrations.RunPython.noop)]
