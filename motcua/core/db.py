"""A single-row INSERT for the hottest writes (a dossier and its event at reception).

`insert_row(instance)` writes a new model instance exactly as ``instance.save()`` would for a new
row (each field's ``pre_save`` with ``add=True`` — ``auto_now_add`` included — and
``get_db_prep_save``, the same column values and the primary key set back on the instance), but
the statement text is built once per model and database instead of by the SQL compiler on every
call, which is most of the ORM's cost for a 40-column table. Like ``save()`` it refuses unsaved
related objects and marks the enclosing atomic block for rollback when the INSERT fails; unlike
it, the primary key always comes from the database. There are no ``pre_save`` /
``post_save`` signals: this project sends none and listens to none for these models.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections, models, transaction


@lru_cache(maxsize=32)
def _statement(model: type[models.Model], using: str) -> tuple[tuple[models.Field, ...], str, bool]:
    connection = connections[using]
    meta = model._meta
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if not (f.primary_key and getattr(f, "db_returning", False))
        and not getattr(f, "generated", False)
    )
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returning = bool(connection.features.can_return_columns_from_insert)
    if returning:
        sql += f" RETURNING {q(meta.pk.column)}"
    return fields, sql, returning


def insert_row(instance: models.Model, *, using: str = "default") -> models.Model:
    """INSERT ``instance`` (a new row) and set its primary key; returns it."""
    if instance.pk is not None:
        raise ValueError("insert_row writes new rows: this instance already has a primary key")
    connection = connections[using]
    fields, sql, returning = _statement(type(instance), using)
    instance._prepare_related_fields_for_save(operation_name="insert_row")
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    # As save() does: a failed INSERT marks the enclosing atomic block for rollback.
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    setattr(instance, instance._meta.pk.attname, pk)
    instance._state.adding = False
    instance._state.db = using
    return instance
