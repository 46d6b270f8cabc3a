"""The questionnaires come from ``campaigns`` (migration campaigns 0002 removes them there): only
Django's model state is created here. The tables stay those campaigns 0001 created (``db_table``),
with their rows, indexes and constraints; nothing runs on the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="QuestionnaireCategory",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "questionnaire category",
                        "verbose_name_plural": "questionnaire categories",
                        "db_table": "campaigns_questionnairecategory",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Questionnaire",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, help_text="Shown above the questions (plain text).", verbose_name="introduction")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created on")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated on")),
                        ("category", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="questionnaires", to="questionnaires.questionnairecategory", verbose_name="category")),
                    ],
                    options={
                        "verbose_name": "questionnaire",
                        "verbose_name_plural": "questionnaires",
                        "db_table": "campaigns_questionnaire",
                        "ordering": ["title", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="QuestionGroup",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                        ("questionnaire", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="groups", to="questionnaires.questionnaire", verbose_name="questionnaire")),
                    ],
                    options={
                        "verbose_name": "group of questions",
                        "verbose_name_plural": "groups of questions",
                        "db_table": "campaigns_questiongroup",
                        "ordering": ["questionnaire", "order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("text", models.TextField(verbose_name="text")),
                        ("kind", models.CharField(choices=[("short_text", "Short text"), ("long_text", "Long text"), ("single_choice", "Single choice"), ("multiple_choice", "Multiple choice"), ("number", "Number"), ("date", "Date"), ("rating", "Rating (1 to 5)"), ("yes_no", "Yes / no"), ("info", "Information text (not a question)")], default="short_text", max_length=20, verbose_name="kind")),
                        ("required", models.BooleanField(default=False, verbose_name="required")),
                        ("choices", models.TextField(blank=True, help_text="Single and multiple choice: one choice per line.", verbose_name="choices")),
                        ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="questions", to="questionnaires.questiongroup", verbose_name="group")),
                    ],
                    options={
                        "verbose_name": "question",
                        "verbose_name_plural": "questions",
                        "db_table": "campaigns_question",
                        "ordering": ["group", "order", "id"],
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("kind", "info"), _negated=True), ("required", False), _connector="OR"), name="question_info_never_required")],
                    },
                ),
            ],
        ),
    ]
