"""Mark snapshotted stock days stale in the transaction that changes them (stats/stock.py).

A dossier is in the stock at the end of day ``d`` when it was received on or before ``d`` and
is open or was closed after ``d``: its *stock days* are ``[day(received), day(closed))``. Its
class there (overdue, not due, awaiting a supplement) reads ``due_at`` and its supplement
waits. A change marks the snapshot days it can alter, old and new values, and only those
(``stats_stockday`` holds only past days, so a change made *now* marks nothing):

* a dossier inserted or deleted: its stock days;
* agency, procedure or one-way changed: its stock days, old and new;
* received or closed moved: the days between the old and the new instant (closing an open
  dossier now marks nothing: it stays in every past stock);
* ``due_at`` changed: the days after its last supplement wait ended (before that, a wait open
  or requested later decides the class, not ``due_at``: stats/counters.py);
* a wait inserted after the dossier's other waits with the due date in force (what the
  services do): the days it is open; any other insert, update of its request or due date, or
  delete: every stock day of the dossier; its reception moved: the days between;
* a procedure moved to another field: every snapshot day.

Days are local days (PostgreSQL with the zone's name; SQLite with the fixed offset checked in
migration 0005).
"""

from django.db import migrations

from motcua.core.localtime import LOCAL_TZ_NAME


GROUPS = ("agency_id", "procedure_id", "one_way")


def _d(expr: str) -> str:
    return f"({expr} AT TIME ZONE '{LOCAL_TZ_NAME}')::date"


def _di(expr: str) -> str:  # an empty instant is "never": after every day
    return f"coalesce({_d(expr)}, 'infinity'::date)"


PG_SQL = f"""
CREATE OR REPLACE FUNCTION stats_stock_mark(lo date, hi date) RETURNS void LANGUAGE sql AS $$
  UPDATE stats_stockday SET stale = true WHERE NOT stale AND day >= lo AND day <= hi;
$$;

CREATE OR REPLACE FUNCTION stats_stock_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_wait timestamptz;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stats_stock_mark({_di("NEW.received_at")}, {_di("NEW.closed_at")});
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stats_stock_mark({_di("OLD.received_at")}, {_di("OLD.closed_at")});
  ELSE
    IF ({", ".join(f"OLD.{c}" for c in GROUPS)}) IS DISTINCT FROM
       ({", ".join(f"NEW.{c}" for c in GROUPS)}) THEN
      PERFORM stats_stock_mark(least({_di("OLD.received_at")}, {_di("NEW.received_at")}),
                               greatest({_di("OLD.closed_at")}, {_di("NEW.closed_at")}));
    END IF;
    IF OLD.received_at IS DISTINCT FROM NEW.received_at THEN
      PERFORM stats_stock_mark(least({_di("OLD.received_at")}, {_di("NEW.received_at")}),
                               greatest({_di("OLD.received_at")}, {_di("NEW.received_at")}));
    END IF;
    IF OLD.closed_at IS DISTINCT FROM NEW.closed_at THEN
      PERFORM stats_stock_mark(least({_di("OLD.closed_at")}, {_di("NEW.closed_at")}),
                               greatest({_di("OLD.closed_at")}, {_di("NEW.closed_at")}));
    END IF;
    IF OLD.due_at IS DISTINCT FROM NEW.due_at THEN
      SELECT max(coalesce(received_at, now())) INTO last_wait
        FROM dossiers_supplementwait WHERE dossier_id = NEW.id;
      PERFORM stats_stock_mark(
        {_di("greatest(NEW.received_at, last_wait)")},
        greatest({_di("OLD.closed_at")}, {_di("NEW.closed_at")}));
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_stock_dossier_write AFTER INSERT OR DELETE ON dossiers_dossier
  FOR EACH ROW EXECUTE FUNCTION stats_stock_dossier();
CREATE TRIGGER stats_stock_dossier_update AFTER UPDATE ON dossiers_dossier
  FOR EACH ROW WHEN ((OLD.agency_id, OLD.procedure_id, OLD.one_way, OLD.received_at,
                      OLD.closed_at, OLD.due_at) IS DISTINCT FROM
                     (NEW.agency_id, NEW.procedure_id, NEW.one_way, NEW.received_at,
                      NEW.closed_at, NEW.due_at))
  EXECUTE FUNCTION stats_stock_dossier();

CREATE OR REPLACE FUNCTION stats_stock_wait() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT received_at, due_at INTO d FROM dossiers_dossier WHERE id = NEW.dossier_id;
    IF NEW.due_before IS NOT DISTINCT FROM d.due_at AND NOT EXISTS (
         SELECT 1 FROM dossiers_supplementwait w WHERE w.dossier_id = NEW.dossier_id
         AND w.id <> NEW.id AND w.requested_at >= NEW.requested_at) THEN
      PERFORM stats_stock_mark({_d("NEW.requested_at")},
                               {_d("coalesce(NEW.received_at, now())")});
    ELSE
      PERFORM stats_stock_mark(coalesce({_d("d.received_at")}, '-infinity'::date),
                               'infinity'::date);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT received_at INTO d FROM dossiers_dossier WHERE id = OLD.dossier_id;
    PERFORM stats_stock_mark(coalesce({_d("d.received_at")}, '-infinity'::date),
                             'infinity'::date);
  ELSIF (OLD.dossier_id, OLD.requested_at, OLD.due_before)
        IS DISTINCT FROM (NEW.dossier_id, NEW.requested_at, NEW.due_before) THEN
    PERFORM stats_stock_mark('-infinity'::date, 'infinity'::date);
  ELSE  -- only the supplement's reception moved: the days between
    PERFORM stats_stock_mark(
      least({_d("coalesce(OLD.received_at, now())")}, {_d("coalesce(NEW.received_at, now())")}),
      greatest({_d("coalesce(OLD.received_at, now())")},
               {_d("coalesce(NEW.received_at, now())")}));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_stock_wait_write AFTER INSERT OR DELETE ON dossiers_supplementwait
  FOR EACH ROW EXECUTE FUNCTION stats_stock_wait();
CREATE TRIGGER stats_stock_wait_update AFTER UPDATE ON dossiers_supplementwait
  FOR EACH ROW WHEN ((OLD.dossier_id, OLD.requested_at, OLD.received_at, OLD.due_before)
                     IS DISTINCT FROM
                     (NEW.dossier_id, NEW.requested_at, NEW.received_at, NEW.due_before))
  EXECUTE FUNCTION stats_stock_wait();

CREATE OR REPLACE FUNCTION stats_stock_field_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stats_stockday SET stale = true WHERE NOT stale;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_stock_field_moved AFTER UPDATE ON catalog_procedure
  FOR EACH ROW WHEN (OLD.field_id IS DISTINCT FROM NEW.field_id)
  EXECUTE FUNCTION stats_stock_field_moved();
"""

PG_REVERSE = """
DROP TRIGGER IF EXISTS stats_stock_dossier_write ON dossiers_dossier;
DROP TRIGGER IF EXISTS stats_stock_dossier_update ON dossiers_dossier;
DROP TRIGGER IF EXISTS stats_stock_wait_write ON dossiers_supplementwait;
DROP TRIGGER IF EXISTS stats_stock_wait_update ON dossiers_supplementwait;
DROP TRIGGER IF EXISTS stats_stock_field_moved ON catalog_procedure;
DROP FUNCTION IF EXISTS stats_stock_dossier();
DROP FUNCTION IF EXISTS stats_stock_wait();
DROP FUNCTION IF EXISTS stats_stock_field_moved();
DROP FUNCTION IF EXISTS stats_stock_mark(date, date);
"""


def _sqlite_sql() -> list[str]:
    from importlib import import_module

    h = import_module("motcua.stats.migrations.0005_summary_stale_triggers")._offset_hours()
    far, never = "'9999-12-31'", "'0001-01-01'"

    def d(expr: str) -> str:
        return f"date({expr}, '{h:+d} hours')"

    def di(expr: str) -> str:
        return f"coalesce({d(expr)}, {far})"

    def mark(lo: str, hi: str, when: str = "1") -> str:
        return (
            f"UPDATE stats_stockday SET stale = 1 WHERE stale = 0 AND ({when}) "
            f"AND day >= {lo} AND day <= {hi};"
        )

    def lo2(a: str, b: str) -> str:
        return f"min({a}, {b})"

    def hi2(a: str, b: str) -> str:
        return f"max({a}, {b})"

    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    o_rec, n_rec = di("OLD.received_at"), di("NEW.received_at")
    o_cl, n_cl = di("OLD.closed_at"), di("NEW.closed_at")
    groups = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in GROUPS)
    last_wait = (
        f"(SELECT max(coalesce(w.received_at, {now})) FROM dossiers_supplementwait w "
        "WHERE w.dossier_id = NEW.id)"
    )
    due_lo = di(f"max(NEW.received_at, coalesce({last_wait}, NEW.received_at))")
    watched = " OR ".join(
        f"OLD.{c} IS NOT NEW.{c}" for c in (*GROUPS, "received_at", "closed_at", "due_at")
    )
    dossier_rec = "(SELECT received_at FROM dossiers_dossier WHERE id = {r}.dossier_id)"
    normal_insert = (
        "NEW.due_before IS (SELECT due_at FROM dossiers_dossier WHERE id = NEW.dossier_id) "
        "AND NOT EXISTS (SELECT 1 FROM dossiers_supplementwait w WHERE "
        "w.dossier_id = NEW.dossier_id AND w.id <> NEW.id AND w.requested_at >= NEW.requested_at)"
    )
    o_wrec, n_wrec = d(f"coalesce(OLD.received_at, {now})"), d(f"coalesce(NEW.received_at, {now})")
    wait_moved = (
        "OLD.dossier_id IS NOT NEW.dossier_id OR OLD.requested_at IS NOT NEW.requested_at "
        "OR OLD.due_before IS NOT NEW.due_before"
    )
    return [
        "CREATE TRIGGER stats_stock_dossier_insert AFTER INSERT ON dossiers_dossier BEGIN "
        + mark(n_rec, n_cl)
        + " END",
        "CREATE TRIGGER stats_stock_dossier_delete AFTER DELETE ON dossiers_dossier BEGIN "
        + mark(o_rec, o_cl)
        + " END",
        f"CREATE TRIGGER stats_stock_dossier_update AFTER UPDATE ON dossiers_dossier "
        f"WHEN {watched} BEGIN "
        + mark(lo2(o_rec, n_rec), hi2(o_cl, n_cl), groups)
        + mark(lo2(o_rec, n_rec), hi2(o_rec, n_rec), "OLD.received_at IS NOT NEW.received_at")
        + mark(lo2(o_cl, n_cl), hi2(o_cl, n_cl), "OLD.closed_at IS NOT NEW.closed_at")
        + mark(due_lo, hi2(o_cl, n_cl), "OLD.due_at IS NOT NEW.due_at")
        + " END",
        "CREATE TRIGGER stats_stock_wait_insert AFTER INSERT ON dossiers_supplementwait BEGIN "
        + mark(d("NEW.requested_at"), n_wrec, normal_insert)
        + mark(
            f"coalesce({d(dossier_rec.format(r='NEW'))}, {never})", far, f"NOT ({normal_insert})"
        )
        + " END",
        "CREATE TRIGGER stats_stock_wait_delete AFTER DELETE ON dossiers_supplementwait BEGIN "
        + mark(f"coalesce({d(dossier_rec.format(r='OLD'))}, {never})", far)
        + " END",
        "CREATE TRIGGER stats_stock_wait_update AFTER UPDATE ON dossiers_supplementwait "
        f"WHEN {wait_moved} OR OLD.received_at IS NOT NEW.received_at BEGIN "
        + mark(never, far, wait_moved)
        + mark(lo2(o_wrec, n_wrec), hi2(o_wrec, n_wrec), f"NOT ({wait_moved})")
        + " END",
        "CREATE TRIGGER stats_stock_field_moved AFTER UPDATE ON catalog_procedure "
        "WHEN OLD.field_id IS NOT NEW.field_id BEGIN "
        "UPDATE stats_stockday SET stale = 1 WHERE stale = 0; END",
    ]


SQLITE_TRIGGERS = (
    "stats_stock_dossier_insert",
    "stats_stock_dossier_delete",
    "stats_stock_dossier_update",
    "stats_stock_wait_insert",
    "stats_stock_wait_delete",
    "stats_stock_wait_update",
    "stats_stock_field_moved",
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_SQL)
    elif vendor == "sqlite":
        for statement in _sqlite_sql():
            schema_editor.execute(statement)
    else:  # pragma: no cover
        raise RuntimeError(f"stock-day triggers not written for {vendor}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0006_stock_snapshot"),
        ("stats", "0005_summary_stale_triggers"),
        ("dossiers", "0010_rating_officials"),
        ("catalog", "0004_agency_abbreviation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
