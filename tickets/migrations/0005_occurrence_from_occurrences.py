"""The Occurrence model (a ticket's history) joins the tickets app from the occurrences app, which
keeps the reference data below it (categories, origins): the foreign keys between the two apps
then point one way. State only: the table keeps its name (``occurrences_occurrence``), its rows and
its indexes. Its content type follows, so permissions and admin history that name it are kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_tickets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="tickets", model="occurrence").exists():
        ContentType.objects.using(db).filter(app_label="occurrences", model="occurrence").update(
            app_label="tickets"
        )


def content_type_to_occurrences(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="occurrences", model="occurrence").exists():
        ContentType.objects.using(db).filter(app_label="tickets", model="occurrence").update(
            app_label="occurrences"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("occurrences", "0004_occurrence_emails_pending"),
        ("tickets", "0004_search_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Occurrence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("text", models.TextField(verbose_name="occurrence")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created on")),
                        ("notify", models.BooleanField(default=False, verbose_name="notify responsible")),
                        (
                            "emails_pending",
                            models.BooleanField(
                                default=False,
                                help_text=(
                                    "Its e-mails are still to be written to the outbox (done by the worker "
                                    "within seconds)."
                                ),
                                verbose_name="e-mails pending",
                            ),
                        ),
                        (
                            "public",
                            models.BooleanField(default=True, verbose_name="visible to the requester"),
                        ),
                        ("is_system", models.BooleanField(default=False, verbose_name="system entry")),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="occurrences",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="author",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="occurrences",
                                to="occurrences.category",
                                verbose_name="category",
                            ),
                        ),
                        (
                            "origin",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="occurrences",
                                to="occurrences.origin",
                                verbose_name="origin",
                            ),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="occurrences",
                                to="tickets.ticket",
                                verbose_name="ticket",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "occurrence",
                        "verbose_name_plural": "occurrences",
                        "db_table": "occurrences_occurrence",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["ticket", "-created_at", "-id"], name="occurrence_ticket_created"
                            ),
                            models.Index(
                                condition=models.Q(("emails_pending", True)),
                                fields=["created_at"],
                                name="occurrence_emails_pending",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_to_tickets, content_type_to_occurrences),
    ]
