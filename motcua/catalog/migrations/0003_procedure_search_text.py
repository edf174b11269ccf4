from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    # The folding rule is imported, not copied: the column must equal what save() writes.
    from motcua.core.text import fold

    Procedure = apps.get_model("catalog", "Procedure")
    batch = []
    for procedure in Procedure.objects.only("pk", "code", "name").iterator(chunk_size=2000):
        procedure.search_text = fold(f"{procedure.code} {procedure.name}")
        batch.append(procedure)
    Procedure.objects.bulk_update(batch, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_default_agency_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
