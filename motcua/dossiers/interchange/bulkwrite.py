"""Inserting many rows fast: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

Rows are dicts of attribute names (``agency_id``, ``payload``...) to Python values; fields not
given take the model field's default, exactly as ``Model(**row)`` would. Runs inside the
caller's transaction (COPY is transactional on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

BATCH = 2000


def _defaults(model: type[models.Model]) -> list[tuple[models.Field, str, Any]]:
    now = timezone.now()
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            default = now
        else:
            default = field.get_default()
        columns.append((field, field.attname, default))
    return columns


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int] | None:
    """Insert ``rows``; returns their primary keys in order when the backend gives them cheaply
    (bulk_create), None after a PostgreSQL COPY (read them back by a unique column)."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        _copy(model, rows)
        return None
    objects = [model(**row) for row in rows]
    model.objects.bulk_create(objects, batch_size=BATCH)
    return [obj.pk for obj in objects]


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    """A value in PostgreSQL's COPY text format (the column's own type parses it)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


def _copy(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    columns = _defaults(model)
    names = ", ".join(connection.ops.quote_name(field.column) for field, _, _ in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
            chunk: list[str] = []
            for row in rows:
                chunk.append(
                    "\t".join(
                        [_text(row.get(attname, default)) for _f, attname, default in columns]
                    )
                )
                if len(chunk) >= BATCH:
                    copy.write("\n".join(chunk) + "\n")
                    chunk = []
            if chunk:
                copy.write("\n".join(chunk) + "\n")


def update_column(model: type[models.Model], column: str, values: list[tuple[int, Any]]) -> None:
    """``UPDATE table SET column = value WHERE pk = id`` for many (id, value) pairs at once."""
    if not values:
        return
    field = model._meta.get_field(column)
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(field.column)
    pk = connection.ops.quote_name(model._meta.pk.column)
    sql = f"UPDATE {table} SET {name} = %s WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(value, key) for key, value in values])
