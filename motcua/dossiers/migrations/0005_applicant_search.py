from django.db import migrations, models


def fill_applicant_search(apps, schema_editor):
    # The rule is imported, not copied: the column must equal what the services write.
    from motcua.dossiers.search import applicant_search_text

    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.exclude(applicant_name="", applicant_id_number="", applicant_phone="")
    batch = []
    for d in rows.only("pk", "applicant_name", "applicant_id_number", "applicant_phone").iterator(
        chunk_size=2000
    ):
        d.applicant_search = applicant_search_text(
            d.applicant_name, d.applicant_id_number, d.applicant_phone
        )
        batch.append(d)
        if len(batch) >= 2000:
            Dossier.objects.bulk_update(batch, ["applicant_search"])
            batch = []
    Dossier.objects.bulk_update(batch, ["applicant_search"])


def trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index serves the search's LIKE '%word%' (SQLite scans)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_applicant_search_trgm ON dossiers_dossier "
        "USING gin (applicant_search gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_code_upper_trgm ON dossiers_dossier "
        "USING gin (upper(code) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS dossier_applicant_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS dossier_code_upper_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_returned_for_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_search",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_applicant_search, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
