"""Blank the values that the history kept of secret parameters (issue 20): the admin's history
search matched them, so a prefix search recovered a secret character by character. Since this
change ``parameter_set`` records only who changed a secret, how and when; this clears the rows
written before. Which parameters are secret is read from the registry (``Param.is_secret``), the one
place that declares it: when a parameter is made secret later, a new migration calls this function
again to clean its earlier rows."""

from django.db import migrations


def blank_secret_history(apps, schema_editor):
    from parameters.registry import REGISTRY

    secret = [p.number for p in REGISTRY.values() if p.is_secret]
    ParameterChange = apps.get_model("parameters", "ParameterChange")
    (
        ParameterChange.objects.using(schema_editor.connection.alias)
        .filter(number__in=secret)
        .exclude(old_value="", new_value="")
        .update(old_value="", new_value="")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("parameters", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(blank_secret_history, migrations.RunPython.noop, elidable=False),
    ]
