"""Fewer indexes to maintain on every dossier write, none that a query uses.

- ``dossier.agency_id`` alone: every lookup by agency is served by the (agency, received_at),
  (agency, closed_at) and (agency, delivered_at) indexes, which start with it.
- ``dossierevent.dossier_id`` alone: served by the unique (dossier_id, seq) index.
- ``dossier.code`` with ``varchar_pattern_ops`` (PostgreSQL): only ``LIKE 'prefix%'`` uses it;
  the code search is ``UPPER(code) LIKE UPPER('%...%')`` (``icontains``), which cannot.
- receiving unit, internal process, current step, assignee, event actor and the applicant's ID:
  indexed only where set (partial indexes). Every query asks for given values (``= x``,
  ``IN (...)``, the foreign-key checks of ``ON DELETE PROTECT``), which imply ``IS NOT NULL``
  / ``<> ''``; imported history has none of them.

The foreign keys themselves are untouched: the field changes are recorded in the state only
(Django would otherwise drop and re-validate each constraint), and the database side drops the
indexes by name.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, suffix of Django's index name): the indexes db_index=True / unique created.
_DROPPED = [
    ("dossiers_dossier", "agency_id", ""),
    ("dossiers_dossier", "receiving_unit_id", ""),
    ("dossiers_dossier", "process_id", ""),
    ("dossiers_dossier", "current_step_id", ""),
    ("dossiers_dossier", "assignee_id", ""),
    ("dossiers_dossierevent", "dossier_id", ""),
    ("dossiers_dossierevent", "actor_id", ""),
    ("dossiers_dossier", "code", "_like"),  # PostgreSQL only
]


def _drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column, suffix in _DROPPED:
        name = schema_editor._create_index_name(table, [column], suffix=suffix)
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def _create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column, suffix in _DROPPED:
        if suffix == "_like" and schema_editor.connection.vendor != "postgresql":
            continue
        name = schema_editor._create_index_name(table, [column], suffix=suffix)
        ops = " varchar_pattern_ops" if suffix == "_like" else ""
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)}{ops})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_default_agency_levels"),
        ("dossiers", "0002_event_attach"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="dossier",
            name="dossier_applicant_id",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dossier",
                    name="agency",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dossiers",
                        to="catalog.agency",
                        verbose_name="handling agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_dossiers",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assignee",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="current_step",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="catalog.processstep",
                        verbose_name="current step",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="process",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="catalog.internalprocess",
                        verbose_name="internal process",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="receiving_unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="received_dossiers",
                        to="catalog.agency",
                        verbose_name="receiving unit",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossierevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="actor",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossierevent",
                    name="dossier",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="dossiers.dossier",
                        verbose_name="dossier",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(_drop_indexes, _create_indexes)],
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("applicant_id_number", ""), _negated=True),
                fields=["applicant_id_number"],
                name="dossier_applicant_id",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("receiving_unit__isnull", False)),
                fields=["receiving_unit"],
                name="dossier_receiving_unit",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("process__isnull", False)),
                fields=["process"],
                name="dossier_process",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("current_step__isnull", False)),
                fields=["current_step"],
                name="dossier_current_step",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("assignee__isnull", False)),
                fields=["assignee"],
                name="dossier_assignee",
            ),
        ),
        migrations.AddIndex(
            model_name="dossierevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)), fields=["actor"], name="event_actor"
            ),
        ),
    ]
