"""The e-mail templates and the outbox rows moved to the ``outbox`` app (outbox 0001 creates their
state there). Here their state leaves ``notifications`` and the notification's template key points
to ``outbox.EmailTemplate``: the tables, their rows and the foreign key constraint stay as they are.

The content types follow the models (``app_label`` notifications -> outbox), so the permissions
granted on them (add/change/delete/view, and the groups holding them) keep working.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("emailtemplate", "emailtemplatetranslation", "outboundemail")


def content_types_move(apps, schema_editor, *, old="notifications", new="outbox"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue  # already there (created by a post_migrate run in between): keep it
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, old="outbox", new="notifications")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0003_notification_email_template"),
        ("outbox", "0001_initial"),
        # Its data migration reads notifications.EmailTemplate from the historical state: it must run
        # while the model is still declared here.
        ("approvals", "0002_email_templates_pending_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="email_template",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Used with Notify by e-mail. Placeholders: ${TITLE}, ${SHORTDESCRIPTION}, ${DESCRIPTION}, ${LINK}, ${USERNAME}.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notifications",
                        to="outbox.emailtemplate",
                        verbose_name="e-mail template",
                    ),
                ),
                migrations.DeleteModel(name="OutboundEmail"),
                migrations.DeleteModel(name="EmailTemplateTranslation"),
                migrations.DeleteModel(name="EmailTemplate"),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
