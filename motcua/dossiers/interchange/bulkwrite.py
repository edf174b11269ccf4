"""Inserting many rows fast: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

Rows are dicts of attribute names (``agency_id``, ``payload``...) to Python values; fields not
given take the model field's default, exactly as ``Model(**row)`` would: a callable default
(``uuid4``, ``timezone.now``) is called for each row, never once for the whole COPY. Runs inside the
caller's transaction (COPY is transactional on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from motcua.dossiers.interchange.pgstream import CopyStream

BATCH = 2000


class _PerRow:
    """Marks a column whose default is a callable: a value is made for each row, never shared."""

    def __repr__(self) -> str:
        return "<per-row default>"


PER_ROW: Any = _PerRow()


def _has_callable_default(field: models.Field) -> bool:
    return field.has_default() and callable(field.default)


def _defaults(model: type[models.Model]) -> list[tuple[models.Field, str, Any]]:
    """Each concrete field with the value a row that does not give it takes: ``PER_ROW`` for a
    callable default (``uuid4``, ``timezone.now``, ``dict``), called anew for every row."""
    now = timezone.now()
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            default = None  # only written when the rows give it (ids reserved beforehand)
        elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            default = now
        elif _has_callable_default(field):
            default = PER_ROW
        else:
            default = field.get_default()
        columns.append((field, field.attname, default))
    return columns


def with_row_defaults(
    model: type[models.Model], rows: list[dict[str, Any]], constants: dict[str, Any]
) -> list[dict[str, Any]]:
    """``rows`` with a value of their own for every column with a callable default that neither
    the rows nor ``constants`` give (as ``Model(**row)`` calls the default once per object)."""
    if not rows:
        return rows
    missing = [
        field
        for field, attname, default in _defaults(model)
        if default is PER_ROW and attname not in rows[0] and attname not in constants
    ]
    if not missing:
        return rows
    return [{**row, **{f.attname: f.get_default() for f in missing}} for row in rows]


def insert_rows(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    constants: dict[str, Any] | None = None,
    stream: CopyStream | None = None,
) -> list[int] | None:
    """Insert ``rows``; returns their primary keys in order when the backend gives them cheaply
    (bulk_create), None after a PostgreSQL COPY (read them back by a unique column, or give
    them in the rows: see ``pgstream.reserve_ids``).

    ``constants`` are fields with the same value in every row (written once by COPY).
    ``stream`` (PostgreSQL): queue the COPY on it instead of running it now."""
    if not rows:
        return []
    constants = constants or {}
    if connection.vendor == "postgresql":
        sql, text = copy_statement(model, rows, constants)
        if stream is not None:
            stream.copy(sql, text)
        else:
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(sql) as copy:
                    copy.write(text)
        return None
    objects = [model(**row, **constants) for row in rows]
    model.objects.bulk_create(objects, batch_size=BATCH)
    return [obj.pk for obj in objects]


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escaped(value: str) -> str:
    """A string as COPY text (tab, newline, carriage return and backslash escaped)."""
    # Tabs, newlines and carriage returns are not printable: most strings need no translation.
    if value.isprintable() and "\\" not in value:
        return value
    return value.translate(_ESCAPES)


# One encoder for all rows (json.dumps(cls=...) builds a new one on every call).
_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


def _json(value: Any) -> str:
    return escaped(_ENCODER.encode(value))


_FORMATS: dict[type, Any] = {
    str: escaped,
    type(None): lambda value: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    Decimal: str,
    dt.datetime: dt.datetime.isoformat,
    dt.date: dt.date.isoformat,
    dict: _json,
    list: _json,
}


def _text(value: Any) -> str:
    """A value in PostgreSQL's COPY text format (the column's own type parses it)."""
    format_ = _FORMATS.get(type(value))
    if format_ is not None:
        return format_(value)
    if isinstance(value, str):  # TextChoices members and other str subclasses
        return escaped(str.__str__(value))
    return escaped(str(value))


def _datetime_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if type(value) is dt.datetime:
        return value.isoformat()
    return _text(value)


def _plain_text(value: Any) -> str:
    if type(value) is str:
        return escaped(value)
    return _text(value)


def _integer_text(value: Any) -> str:
    if type(value) is int:
        return str(value)
    return _text(value)


def _formatter(field: models.Field) -> Any:
    """The fastest exact formatter for a column's values (falls back to ``_text``)."""
    if isinstance(field, models.DateTimeField):
        return _datetime_text
    if isinstance(field, models.CharField | models.TextField):
        return _plain_text
    if isinstance(field, models.IntegerField | models.ForeignKey | models.AutoField):
        return _integer_text
    return _text


def copy_layout(
    model: type[models.Model], given: list[str] | tuple[str, ...], constants: dict[str, Any]
) -> tuple[str, str, list[models.Field]]:
    """``COPY ... FROM STDIN`` for rows giving the fields ``given`` (attribute names, in this
    order), the text every line ends with (the other columns: the value ``constants`` gives
    them, else their default; the primary key only when given) and the given fields.

    A column with a callable default must be given (by the rows, see ``with_row_defaults``, or
    by ``constants``): one text shared by every line cannot hold a value made per row."""
    columns = {attname: (field, default) for field, attname, default in _defaults(model)}
    shared = [
        attname
        for attname, (_field, default) in columns.items()
        if default is PER_ROW and attname not in given and attname not in constants
    ]
    if shared:
        raise ValueError(
            f"copy_layout: {model._meta.label}.{', '.join(shared)} has a callable default; "
            "give it in every row or in constants"
        )
    varying = [columns[attname][0] for attname in given]
    constant = [
        (field, constants.get(attname, default))
        for attname, (field, default) in columns.items()
        if attname not in given and not field.primary_key
    ]
    suffix = "".join("\t" + _text(default) for _field, default in constant)
    names = ", ".join(
        connection.ops.quote_name(field.column) for field in [*varying, *(f for f, _ in constant)]
    )
    table = connection.ops.quote_name(model._meta.db_table)
    return f"COPY {table} ({names}) FROM STDIN", suffix, varying  # noqa: S608


def copy_statement(
    model: type[models.Model], rows: list[dict[str, Any]], constants: dict[str, Any]
) -> tuple[str, str]:
    """``COPY ... FROM STDIN`` and its data in text format (see ``copy_layout``); a column
    with a callable default gets a value made for each row."""
    rows = with_row_defaults(model, rows, constants)
    attnames = list(rows[0])
    sql, suffix, fields = copy_layout(model, attnames, constants)
    pairs = [(_formatter(field), attname) for field, attname in zip(fields, attnames, strict=True)]
    width = len(attnames)
    lines: list[str] = []
    for row in rows:
        if len(row) != width:
            raise ValueError("insert_rows: every row must give the same fields")
        lines.append("\t".join([format_(row[name]) for format_, name in pairs]) + suffix)
    lines.append("")
    return sql, "\n".join(lines)


def codes_in_database(codes: list[str]) -> dict[str, int]:
    """The ids of the dossiers whose code is among ``codes``, by code."""
    from motcua.dossiers.models import Dossier

    found: dict[str, int] = {}
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Dossier._meta.db_table)
        sql = f"SELECT code, id FROM {table} WHERE code = ANY(%s)"  # noqa: S608
        with connection.cursor() as cursor:
            for i in range(0, len(codes), 20_000):
                cursor.execute(sql, [codes[i : i + 20_000]])
                found.update(cursor.fetchall())
        return found
    for i in range(0, len(codes), BATCH):
        found.update(
            Dossier.objects.filter(code__in=codes[i : i + BATCH]).values_list("code", "id")
        )
    return found


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
