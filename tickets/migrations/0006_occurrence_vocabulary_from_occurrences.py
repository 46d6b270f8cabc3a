"""The occurrence vocabulary (categories, origins) joins the tickets app from the occurrences app,
which becomes the Occurrence Register above tickets: the foreign keys of tickets and of their
history entries then stay inside tickets. State only: the tables keep their names
(``occurrences_category``, ``occurrences_origin``), their rows, constraints and indexes. Their
content types follow, so permissions and admin history that name them are kept."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("category", "origin")


def _move_content_types(apps, schema_editor, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_to_tickets(apps, schema_editor):
    _move_content_types(apps, schema_editor, "occurrences", "tickets")


def content_types_to_occurrences(apps, schema_editor):
    _move_content_types(apps, schema_editor, "tickets", "occurrences")


CODE_CHOICES = [
    ("request_registration", "Request registration"),
    ("approval", "Approval"),
    ("capture", "Capture"),
    ("execution_record", "Execution record"),
    ("suspension", "Suspension"),
    ("reactivation", "Reactivation"),
    ("resolution", "Resolution"),
    ("closing", "Closing"),
    ("reopening", "Reopening"),
    ("cancellation", "Cancellation"),
    ("reclassification", "Reclassification"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("occurrences", "0005_occurrence_to_tickets"),
        ("tickets", "0005_occurrence_from_occurrences"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Category",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        (
                            "code",
                            models.CharField(
                                blank=True,
                                choices=CODE_CHOICES,
                                help_text="Set on the categories the system uses for lifecycle entries.",
                                max_length=40,
                                null=True,
                                unique=True,
                                verbose_name="system code",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "occurrence category",
                        "verbose_name_plural": "occurrence categories",
                        "db_table": "occurrences_category",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Origin",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "occurrence origin",
                        "verbose_name_plural": "occurrence origins",
                        "db_table": "occurrences_origin",
                        "ordering": ["name"],
                    },
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="origin",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="tickets.origin",
                        verbose_name="origin",
                    ),
                ),
                migrations.AlterField(
                    model_name="occurrence",
                    name="category",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="occurrences",
                        to="tickets.category",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="occurrence",
                    name="origin",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="occurrences",
                        to="tickets.origin",
                        verbose_name="origin",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_tickets, content_types_to_occurrences),
    ]
