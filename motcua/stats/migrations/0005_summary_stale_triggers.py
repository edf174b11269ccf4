"""Mark summarised days stale in the transaction that changes them (stats/summary.py).

A change to a dossier marks the local days of the flows it can move, old and new values:
its reception day when a column the received-day counters read changes, its closing day for
the closed-day counters, its delivery day for the delivered-day counters (the columns are those
read by ``dossier_conditions`` / ``move_conditions`` for each instant of ``FLOW_INSTANTS``).
Inserts and deletes mark all three days. A procedure moved to another field marks every day
of its dossiers. Only days already in ``stats_summaryday`` are touched (an index probe
otherwise), so the cost on a reception or a same-day step is one probe.

PostgreSQL reads local days with the zone's name; SQLite (tests, development) with its fixed
offset (Vietnam's zone has kept +07:00 since 1975), checked below.
"""

import datetime as dt

from django.db import migrations

from motcua.core.localtime import LOCAL_TZ, LOCAL_TZ_NAME

# Columns each group of flow counters reads (besides the instant itself).
RECEIVED = ("agency_id", "procedure_id", "one_way", "received_at", "channel", "online_class")
CLOSED = ("agency_id", "procedure_id", "one_way", "received_at", "closed_at", "outcome", "due_at")
DELIVERED = ("agency_id", "procedure_id", "one_way", "delivered_at", "delivery_channel")
EVER_IN = "({r}.closed_at IS NULL OR {r}.closed_at > {r}.received_at)"
WATCHED = sorted(set(RECEIVED + CLOSED + DELIVERED))


def _row(cols, r):
    return "(" + ", ".join(f"{r}.{c}" for c in cols) + ")"


def _pg_day(expr):
    return f"({expr} AT TIME ZONE '{LOCAL_TZ_NAME}')::date"


PG_SQL = f"""
CREATE OR REPLACE FUNCTION stats_summary_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  days date[] := '{{}}';
BEGIN
  IF TG_OP = 'INSERT' THEN
    days := ARRAY[{_pg_day("NEW.received_at")}, {_pg_day("NEW.closed_at")},
                  {_pg_day("NEW.delivered_at")}];
  ELSIF TG_OP = 'DELETE' THEN
    days := ARRAY[{_pg_day("OLD.received_at")}, {_pg_day("OLD.closed_at")},
                  {_pg_day("OLD.delivered_at")}];
  ELSE
    IF ({_row(RECEIVED, "OLD")[1:-1]}, {EVER_IN.format(r="OLD")})
       IS DISTINCT FROM ({_row(RECEIVED, "NEW")[1:-1]}, {EVER_IN.format(r="NEW")}) THEN
      days := days || {_pg_day("OLD.received_at")} || {_pg_day("NEW.received_at")};
    END IF;
    IF {_row(CLOSED, "OLD")} IS DISTINCT FROM {_row(CLOSED, "NEW")} THEN
      days := days || {_pg_day("OLD.closed_at")} || {_pg_day("NEW.closed_at")};
    END IF;
    IF {_row(DELIVERED, "OLD")} IS DISTINCT FROM {_row(DELIVERED, "NEW")} THEN
      days := days || {_pg_day("OLD.delivered_at")} || {_pg_day("NEW.delivered_at")};
    END IF;
  END IF;
  IF cardinality(days) > 0 THEN
    UPDATE stats_summaryday SET stale = true WHERE NOT stale AND day = ANY(days);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_summary_stale_write AFTER INSERT OR DELETE ON dossiers_dossier
  FOR EACH ROW EXECUTE FUNCTION stats_summary_mark_stale();
CREATE TRIGGER stats_summary_stale_update AFTER UPDATE ON dossiers_dossier
  FOR EACH ROW WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)})
  EXECUTE FUNCTION stats_summary_mark_stale();

CREATE OR REPLACE FUNCTION stats_summary_field_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stats_summaryday SET stale = true WHERE NOT stale AND day IN (
    SELECT {_pg_day("received_at")} FROM dossiers_dossier WHERE procedure_id = NEW.id
    UNION SELECT {_pg_day("closed_at")} FROM dossiers_dossier WHERE procedure_id = NEW.id
    UNION SELECT {_pg_day("delivered_at")} FROM dossiers_dossier WHERE procedure_id = NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER stats_summary_field_moved AFTER UPDATE ON catalog_procedure
  FOR EACH ROW WHEN (OLD.field_id IS DISTINCT FROM NEW.field_id)
  EXECUTE FUNCTION stats_summary_field_moved();
"""

PG_REVERSE = """
DROP TRIGGER IF EXISTS stats_summary_stale_write ON dossiers_dossier;
DROP TRIGGER IF EXISTS stats_summary_stale_update ON dossiers_dossier;
DROP TRIGGER IF EXISTS stats_summary_field_moved ON catalog_procedure;
DROP FUNCTION IF EXISTS stats_summary_mark_stale();
DROP FUNCTION IF EXISTS stats_summary_field_moved();
"""


def _offset_hours() -> int:
    offsets = {LOCAL_TZ.utcoffset(dt.datetime(y, m, 1)) for y in range(1976, 2040) for m in (1, 7)}
    assert len(offsets) == 1, "SQLite triggers need a zone with one fixed offset"
    (offset,) = offsets
    return int(offset.total_seconds() // 3600)


def _sqlite_sql() -> list[str]:
    h = _offset_hours()

    def day(expr):
        return f"date({expr}, '{h:+d} hours')"

    def mark(*exprs):
        return (
            "UPDATE stats_summaryday SET stale = 1 WHERE stale = 0 AND day IN ("
            + ", ".join(day(e) for e in exprs)
            + ");"
        )

    def changed(cols, extra=""):
        parts = [f"OLD.{c} IS NOT NEW.{c}" for c in cols]
        if extra:
            parts.append(f"{extra.format(r='OLD')} IS NOT {extra.format(r='NEW')}")
        return " OR ".join(parts)

    instants = ("received_at", "closed_at", "delivered_at")
    return [
        "CREATE TRIGGER stats_summary_stale_insert AFTER INSERT ON dossiers_dossier BEGIN "
        + mark(*(f"NEW.{i}" for i in instants))
        + " END",
        "CREATE TRIGGER stats_summary_stale_delete AFTER DELETE ON dossiers_dossier BEGIN "
        + mark(*(f"OLD.{i}" for i in instants))
        + " END",
        "CREATE TRIGGER stats_summary_stale_received AFTER UPDATE ON dossiers_dossier "
        f"WHEN {changed(RECEIVED, EVER_IN)} BEGIN "
        + mark("OLD.received_at", "NEW.received_at")
        + " END",
        "CREATE TRIGGER stats_summary_stale_closed AFTER UPDATE ON dossiers_dossier "
        f"WHEN {changed(CLOSED)} BEGIN " + mark("OLD.closed_at", "NEW.closed_at") + " END",
        "CREATE TRIGGER stats_summary_stale_delivered AFTER UPDATE ON dossiers_dossier "
        f"WHEN {changed(DELIVERED)} BEGIN " + mark("OLD.delivered_at", "NEW.delivered_at") + " END",
        "CREATE TRIGGER stats_summary_field_moved AFTER UPDATE ON catalog_procedure "
        "WHEN OLD.field_id IS NOT NEW.field_id BEGIN "
        "UPDATE stats_summaryday SET stale = 1 WHERE stale = 0 AND day IN ("
        f"SELECT {day('received_at')} FROM dossiers_dossier WHERE procedure_id = NEW.id "
        f"UNION SELECT {day('closed_at')} FROM dossiers_dossier WHERE procedure_id = NEW.id "
        f"UNION SELECT {day('delivered_at')} FROM dossiers_dossier WHERE procedure_id = NEW.id"
        "); END",
    ]


SQLITE_TRIGGERS = (
    "stats_summary_stale_insert",
    "stats_summary_stale_delete",
    "stats_summary_stale_received",
    "stats_summary_stale_closed",
    "stats_summary_stale_delivered",
    "stats_summary_field_moved",
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_SQL)
    elif vendor == "sqlite":
        for statement in _sqlite_sql():
            schema_editor.execute(statement)
    else:  # pragma: no cover
        raise RuntimeError(f"stale-day triggers not written for {vendor}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_daily_summary"),
        ("dossiers", "0010_rating_officials"),
        ("catalog", "0004_agency_abbreviation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
