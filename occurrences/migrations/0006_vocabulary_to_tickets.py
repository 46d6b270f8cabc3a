"""The occurrence vocabulary (categories, origins) moved to the tickets app (tickets 0006): removed
from this app's state only; the tables, rows and indexes stay where they are. The occurrences app
keeps no model: it is the Occurrence Register (form, service, page, tasks) above tickets."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("occurrences", "0005_occurrence_to_tickets"),
        ("tickets", "0006_occurrence_vocabulary_from_occurrences"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Category"),
                migrations.DeleteModel(name="Origin"),
            ],
            database_operations=[],
        ),
    ]
