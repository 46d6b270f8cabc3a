"""Trigram indexes for ``icontains`` searches, as a migration operation (PostgreSQL only).

Django writes ``icontains`` as ``UPPER(column) LIKE UPPER('%word%')``; a ``pg_trgm`` GIN index on
``UPPER(column)`` serves it instead of reading every row. ``pg_trgm`` is a trusted extension
(PostgreSQL 13+): the database owner may create it. Where it cannot be created the migration logs a
warning and the search keeps working, unindexed. Other databases: nothing to do.
"""

from __future__ import annotations

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)


def trigram_indexes(table: str, columns: dict[str, str]) -> migrations.RunPython:
    """``columns``: index name -> column. Creates (and on reverse drops) the indexes."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # e.g. not allowed to create extensions
            logger.warning("pg_trgm not available (%s): the search of %s stays unindexed", exc, table)
            return
        for name, column in columns.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
