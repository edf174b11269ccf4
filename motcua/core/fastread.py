"""Rows of a ``values_list`` query set with PostgreSQL's timestamps parsed in C.

Django (psycopg 3) registers its own ``timestamptz`` loader, a Python subclass of psycopg's that
puts its time zone on each value: ≈ 4 µs a timestamp, most of the cost of reading a long list of
dossiers (measured on the report's late list: 12–15 µs a row of three timestamps, 1–1.5 µs with
psycopg's own loader, which its binary package implements in C). :func:`value_rows` runs the
query set's own SQL with psycopg's loader on that one cursor: the same instants, aware, in the
session's time zone (UTC, as Django sets it). Any other case — another database or driver, a
column Django converts after reading, a session not in UTC — is the plain ``list(qs)``.
tests/core/test_fastread.py proves the two equal.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable


def value_rows(qs: QuerySet) -> list[tuple[Any, ...]]:
    """``list(qs)`` of a ``values_list`` query set (not flat, not named): tuples of the values.
    The steps of Django's own (``SQLCompiler.execute_sql`` and ``results_iter``), on a cursor
    with psycopg's ``timestamptz`` loader."""
    connection = connections[qs.db]
    if (
        qs._iterable_class is not ValuesListIterable
        or connection.vendor != "postgresql"
        or connection.timezone_name != "UTC"
    ):
        return list(qs)
    try:
        from psycopg.types.datetime import TimestamptzLoader
    except ImportError:  # psycopg2
        return list(qs)
    compiler = qs.query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
        if not sql:
            raise EmptyResultSet
    except EmptyResultSet:
        return []
    if compiler.get_converters([s[0] for s in compiler.select[0 : compiler.col_count]]):
        return list(qs)  # values Django changes after reading
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        return [tuple(r[: compiler.col_count]) for r in rows]
    return rows
