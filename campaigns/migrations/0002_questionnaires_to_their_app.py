"""The questionnaires moved to the ``questionnaires`` app (questionnaires 0001 creates their state
there), below the catalog, so that an activity's request form can use them (issue 27). Here their
state leaves ``campaigns`` and the campaign's questionnaire and the answer's question point to the
new models: the tables, their rows and the foreign key constraints stay as they are.

The content types follow the models (``app_label`` campaigns -> questionnaires), so the permissions
granted on them (and the groups holding them) keep working.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("questionnairecategory", "questionnaire", "questiongroup", "question")


def content_types_move(apps, schema_editor, *, old="campaigns", new="questionnaires"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue  # already there (created by a post_migrate run in between): keep it
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, old="questionnaires", new="campaigns")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("campaigns", "0001_initial"),
        ("questionnaires", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="campaign",
                    name="questionnaire",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="campaigns", to="questionnaires.questionnaire", verbose_name="questionnaire"),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="question",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="answers", to="questionnaires.question", verbose_name="question"),
                ),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="QuestionGroup"),
                migrations.DeleteModel(name="Questionnaire"),
                migrations.DeleteModel(name="QuestionnaireCategory"),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
