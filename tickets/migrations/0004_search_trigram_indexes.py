"""My Requests search (``icontains`` on title and description) served by trigram indexes
(PostgreSQL only, core/trigram.py): ``make bench``'s search of "printer" among 100,000 tickets of
one user no longer reads them all."""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_actions_models")]
    operations = [
        trigram_indexes(
            "tickets_ticket",
            {"ticket_title_trgm": "title", "ticket_description_trgm": "description"},
        )
    ]
