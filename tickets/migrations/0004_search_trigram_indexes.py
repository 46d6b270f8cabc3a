"""My Requests search (``icontains`` on title and description) served by trigram indexes.

PostgreSQL only: ``pg_trgm`` GIN indexes on ``UPPER(title)`` and ``UPPER(description)``, the
expressions Django writes for ``icontains``, so ``LIKE '%word%'`` reads the index instead of every
ticket of the requester (``make bench``: 100,000 tickets of one user, "printer": 448 ms → see the
closing note of the benchmark issue). ``pg_trgm`` is a trusted extension (PostgreSQL 13+): the
database owner may create it. Where it cannot be created the migration logs a warning and the
search keeps working, unindexed. Other databases: nothing to do.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "ticket_title_trgm": "UPPER(title) gin_trgm_ops",
    "ticket_description_trgm": "UPPER(description) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # e.g. not allowed to create extensions
        logger.warning("pg_trgm not available (%s): My Requests search stays unindexed", exc)
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_ticket USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_actions_models")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
