"""The late list's "overdue at the end" (decisions.md #51): the open dossiers by agency and due
date, a partial index (closed_at IS NULL). On PostgreSQL it is built CONCURRENTLY (the migration
is not atomic), so that a large dossier table keeps taking writes meanwhile; elsewhere it is
created as usual."""

from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(("closed_at__isnull", True)),
    fields=["agency", "due_at"],
    name="dossier_agency_open_due",
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_agency_open_due "
            "ON dossiers_dossier (agency_id, due_at) WHERE closed_at IS NULL"
        )
        return
    schema_editor.add_index(apps.get_model("dossiers", "Dossier"), INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS dossier_agency_open_due")
        return
    schema_editor.remove_index(apps.get_model("dossiers", "Dossier"), INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("dossiers", "0013_dossier_late_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="dossier", index=INDEX)],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
