"""The outbox's models come from ``notifications`` (migration notifications 0004 removes them
there): only Django's model state is created here. The tables stay those notifications 0001
created (``db_table``), with their rows, indexes and constraints; nothing runs on the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("notifications", "0003_notification_email_template"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="EmailTemplate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=150, verbose_name="name")),
                        ("subject", models.CharField(max_length=250, verbose_name="subject")),
                        ("body", models.TextField(help_text="Placeholders such as ${IDSERVICEREQUEST}, ${REQUESTERNAME}.", verbose_name="body")),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "e-mail template",
                        "verbose_name_plural": "e-mail templates",
                        "db_table": "notifications_emailtemplate",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="EmailTemplateTranslation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("language", models.CharField(choices=[("pt-br", "Portuguese"), ("en", "English"), ("es", "Spanish")], max_length=10, verbose_name="language")),
                        ("subject", models.CharField(max_length=250, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="body")),
                        ("template", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="translations", to="outbox.emailtemplate", verbose_name="template")),
                    ],
                    options={
                        "verbose_name": "translation",
                        "verbose_name_plural": "translations",
                        "db_table": "notifications_emailtemplatetranslation",
                        "constraints": [models.UniqueConstraint(fields=("template", "language"), name="emailtemplate_one_per_language")],
                    },
                ),
                migrations.CreateModel(
                    name="OutboundEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("sending", "Sending"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=10, verbose_name="status")),
                        ("idempotency_key", models.CharField(max_length=200, unique=True, verbose_name="idempotency key")),
                        ("recipient", models.EmailField(max_length=254, verbose_name="recipient")),
                        ("language", models.CharField(blank=True, max_length=10, verbose_name="language")),
                        ("context", models.JSONField(blank=True, default=dict, verbose_name="context")),
                        ("message_id", models.CharField(blank=True, default="", max_length=200, verbose_name="Message-ID")),
                        ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created on")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated on")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent on")),
                        ("template", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="outbound", to="outbox.emailtemplate", verbose_name="template")),
                    ],
                    options={
                        "verbose_name": "outbound e-mail",
                        "verbose_name_plural": "outbound e-mails",
                        "db_table": "notifications_outboundemail",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["status", "created_at"], name="outbound_status_created")],
                    },
                ),
            ],
        ),
    ]
