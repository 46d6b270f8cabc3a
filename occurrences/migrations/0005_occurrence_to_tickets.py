"""The Occurrence model moved to the tickets app (tickets 0005): removed from this app's state only;
its table, rows and indexes stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("occurrences", "0004_occurrence_emails_pending"),
        ("tickets", "0005_occurrence_from_occurrences"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Occurrence")],
            database_operations=[],
        ),
    ]
