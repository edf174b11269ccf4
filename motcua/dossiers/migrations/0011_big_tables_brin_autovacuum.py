"""Big tables without partitioning (docs/decisions.md, "partition"): on PostgreSQL only,

* BRIN indexes on the event table's time columns. The daily audit digest and ``audit verify
  --since`` select events by ``recorded_at`` and the integrations' resend by ``at``; neither had
  an index, so each was a scan of the whole event table (per agency, for the digest). Events
  are appended in time order, so a BRIN index (a few pages per million rows) narrows a day to
  its blocks;
* autovacuum thresholds proportional to a fraction of the big tables instead of PostgreSQL's
  20% (40M dead rows at 200M dossiers: months of bloat, and more dead rows than one pass of
  ``maintenance_work_mem`` = 64 MB holds, so several passes over every index), and an
  insert-triggered vacuum of the append-only event table often enough for its visibility map
  and freezing to keep up.

SQLite has neither; nothing is done there. The indexes are built CONCURRENTLY (the migration is
not atomic) so that an existing large event table keeps taking writes meanwhile.
"""

from django.db import migrations

BRIN_INDEXES = {
    "event_recorded_brin": "recorded_at",
    "event_at_brin": "at",
}
STORAGE = {
    "dossiers_dossier": {
        "autovacuum_vacuum_scale_factor": "0.02",
        "autovacuum_analyze_scale_factor": "0.01",
    },
    "dossiers_dossierevent": {
        "autovacuum_vacuum_scale_factor": "0.02",
        "autovacuum_vacuum_insert_scale_factor": "0.02",
        "autovacuum_analyze_scale_factor": "0.02",
    },
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in BRIN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON dossiers_dossierevent USING brin ({column})"
        )
    for table, options in STORAGE.items():
        settings = ", ".join(f"{k} = {v}" for k, v in options.items())
        schema_editor.execute(f"ALTER TABLE {table} SET ({settings})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in BRIN_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    for table, options in STORAGE.items():
        schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(options)})")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("dossiers", "0010_rating_officials"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
