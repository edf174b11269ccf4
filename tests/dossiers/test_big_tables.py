"""The big-table measures of docs/decisions.md ("partition"): on PostgreSQL, BRIN indexes on
the event table's time columns serve the daily audit digest's query, and the big tables carry
their own autovacuum thresholds. SQLite is left as it was."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection, transaction

from motcua.dossiers.models import DossierEvent
from motcua.ops.auditchain import day_entries

pytestmark = pytest.mark.django_db

migration = importlib.import_module("motcua.dossiers.migrations.0011_big_tables_brin_autovacuum")
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="BRIN and storage parameters are PostgreSQL's"
)


@postgresql_only
def test_the_event_table_has_brin_indexes_on_its_time_columns():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [DossierEvent._meta.db_table],
        )
        defs = dict(cur.fetchall())
    for name, column in migration.BRIN_INDEXES.items():
        assert f"USING brin ({column})" in defs[name]


@postgresql_only
def test_the_big_tables_carry_their_autovacuum_thresholds():
    with connection.cursor() as cur:
        for table, options in migration.STORAGE.items():
            cur.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
            (reloptions,) = cur.fetchone()
            assert set(reloptions) == {f"{k}={v}" for k, v in options.items()}
            assert all(0 < float(v) < 0.2 for v in options.values())  # below PostgreSQL's


@postgresql_only
def test_the_daily_digest_query_can_use_the_brin_index():
    """The query day_entries really runs, explained on an empty table with sequential scans,
    plain index scans and nested loops discouraged (else the planner of an empty table walks
    the agency's dossiers): the events of the day are then reached through
    event_recorded_brin, so the index applies to the query's predicate."""
    seen = []

    def capture(execute, sql, params, many, context):
        if DossierEvent._meta.db_table in sql:
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        day_entries(1, dt.date(2025, 12, 10))
    [(sql, params)] = seen
    with transaction.atomic(), connection.cursor() as cur:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_nestloop"):
            cur.execute(f"SET LOCAL {setting} = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "event_recorded_brin" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite side")
def test_sqlite_is_left_without_them():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
            [DossierEvent._meta.db_table],
        )
        names = {row[0] for row in cur.fetchall()}
    assert names and not names & set(migration.BRIN_INDEXES)
