"""Benchmark (issue 15, "Big tables"): the dossier and event tables as one plain table against
the same rows partitioned by month (PostgreSQL declarative partitioning), at 10M and 40M
dossiers, for the figures docs/decisions.md #44 extrapolates to 200M.

Run from the project root, one step per process (Django binds one database per process)::

    .venv/bin/python benchmarks/bench_partitioning.py build40m
    .venv/bin/python benchmarks/bench_partitioning.py measure 10m|40m
    .venv/bin/python benchmarks/bench_partitioning.py measure events
    .venv/bin/python benchmarks/bench_partitioning.py lookups|retention <kept work database>

Settings (environment): ``BENCH_WORK_DB`` (the copy measured, default ``motcua_partition``,
dropped at the end unless ``BENCH_KEEP=1``); ``BENCH_REUSE_SOURCE=1`` (the source's own indexed
dossier table is the plain one: no rebuild, but no codes, so the look-ups go by id);
``BENCH_EVENTS=0``, ``BENCH_EVENT_EVERY`` (events for every n-th dossier, default 2);
``BENCH_FREEZE=0``, ``BENCH_RETENTION=0`` (skip those steps); ``BENCH_SKIP_INDEXES`` (index
names not copied to the partitioned table). The figures of docs/performance.md (issue 15) came
from ``measure 40m`` with ``BENCH_REUSE_SOURCE=1 BENCH_EVENTS=0 BENCH_FREEZE=0`` and the two
trigram indexes skipped, ``lookups`` and ``retention`` on its kept copy, and ``measure events``
with ``BENCH_EVENT_EVERY=4``: the full runs did not fit the shared machine's disk and time.

The fixture is bench_report's, reused by import: ``motcua_bench_10m`` is the 10M database that
``bench_report.py`` builds (ten years, 2016-2025, the month 2025-12 being the report's).
``build40m`` copies it (``CREATE DATABASE … TEMPLATE``) into ``motcua_bench_40m`` and appends,
with ``bench_report.load`` and the same SQL generator, 30M *older* dossiers received evenly
from 1 Jan 2013 to 31 Dec 2015 (10M a year, half the 200M province's rate): the 10M history is
untouched, so the month 2025-12 is identical in both databases (the "same month over a 10M and
a 40M history" benchmark may use it). The older rows have the higher ids.

``measure`` copies the source database into ``motcua_partition`` (dropped at the end) and
builds there, from the source's dossiers:

* ``plain_dossier``: one table, rows in reception order, with every index the model has
  (``dossiers_dossier``'s definitions, read from the catalogue) and a dossier code in the
  production format (``<agency>-<yymmdd>-<number>``: the fixture has none);
* ``part_dossier``: the same rows partitioned by calendar month (local time) of
  ``received_at``, a DEFAULT partition for dossiers not yet received; a unique key must hold the
  partition key, so the primary key becomes ``(id, received_at)`` and the code's unique index
  ``(code, received_at)``;
* ``plain_event`` / ``part_event`` (unless ``BENCH_EVENTS=0``): two events (received, closed)
  for every ``BENCH_EVENT_EVERY``-th dossier, rows in time order per dossier, with a 64-char
  hash and a small payload; the plain one with its foreign key to ``plain_dossier`` (as
  ``dossiers_dossierevent``), the partitioned one (by month of ``at``) without, since a foreign
  key to ``part_dossier`` would have to carry ``received_at``.

It then measures, on both layouts: sizes (table, each index, the hot month's partition),
the month report's counters query (the SQL of ``stats.counters.counts_by_agency_periods``
for the province, taken from Django and run against each table), a worklist (open dossiers of
an agency by due date), a look-up by code (on the partitioned table with and without the
reception day that the code carries), a dossier's history, two updates of every dossier of
the hot month (2025-11) and the VACUUM after them, a freezing VACUUM of the whole table (the
anti-wraparound pass), and the removal of the oldest year (DELETE then VACUUM, against DETACH
and DROP of twelve partitions). Autovacuum is off on the benchmark's tables so that it does not
run inside the timings. Prints one line per figure and a JSON line at the end.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_report as base  # noqa: E402 - the same fixture, built the same way

from motcua.core.localtime import LOCAL_TZ as VN  # noqa: E402

HOST = "host=127.0.0.1 port=5432 user=postgres"
SOURCE_10M = os.environ.get("BENCH_SOURCE", "motcua_bench_10m")
DB_40M = "motcua_bench_40m"
WORK_DB = os.environ.get("BENCH_WORK_DB", "motcua_partition")
OLDER_START = datetime(2013, 1, 1, tzinfo=VN)
OLDER_ROWS = 30_000_000
EVENTS = os.environ.get("BENCH_EVENTS", "1") != "0"
EVENT_EVERY = int(os.environ.get("BENCH_EVENT_EVERY", "2"))
HOT_MONTH = datetime(2025, 11, 1, tzinfo=VN)
REUSE_SOURCE = os.environ.get("BENCH_REUSE_SOURCE") == "1"
SKIP_INDEXES = set(filter(None, os.environ.get("BENCH_SKIP_INDEXES", "").split(",")))

RESULTS: dict = {}


def say(key: str, value, text: str = "") -> None:
    RESULTS[key] = value
    shown = f"{value:.3f}" if isinstance(value, float) else value
    print(f"{key:<44} {shown}  {text}", flush=True)


def admin():
    import psycopg

    return psycopg.connect(f"{HOST} dbname=postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def copy_database(name: str, template: str) -> float:
    """A file-level copy; PostgreSQL refuses it while anyone is connected to the template."""
    t0 = time.perf_counter()
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return time.perf_counter() - t0


def setup_django(dbname: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def connect(dbname: str):
    import psycopg

    conn = psycopg.connect(f"{HOST} dbname={dbname}", autocommit=True)
    conn.execute("SET jit = off")  # as stats.counters.statistics_queries
    return conn


def elapsed(conn, sql: str, params=None) -> float:
    t0 = time.perf_counter()
    conn.execute(sql, params)
    return time.perf_counter() - t0


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- build40m --------------------------------------------------------------------------------


def build_40m() -> None:
    """motcua_bench_40m = motcua_bench_10m + 30M dossiers received 2013-2015 (see docstring)."""
    if database_exists(DB_40M):
        print(f"{DB_40M} exists; not rebuilt")
        return
    print(f"copy {SOURCE_10M} -> {DB_40M}: {copy_database(DB_40M, SOURCE_10M):.0f} s")
    setup_django(DB_40M)
    from django.db import connection

    from motcua.catalog.models import Agency, Procedure
    from motcua.dossiers.models import Dossier

    root = Agency.objects.get(code="000.00.00.H99")
    agencies = list(Agency.objects.exclude(pk=root.pk).order_by("pk").values_list("pk", flat=True))
    procedures = list(Procedure.objects.order_by("pk").values_list("pk", flat=True))
    first = Dossier.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    seconds = base.load(
        first,
        first + OLDER_ROWS - 1,
        agencies,
        procedures,
        start=OLDER_START,
        end=base.HISTORY_START,
    )
    print(f"{OLDER_ROWS:,} older dossiers (ids {first:,}..) loaded and indexed in {seconds:.0f} s")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) dossiers_dossier")
    print(f"VACUUM ANALYZE {time.perf_counter() - t0:.0f} s; load {load_average()}")


# --- measure: building the two layouts ------------------------------------------------------

# The production code format (dossiers.codes.format_code): receiving unit, local day, number.
CODE_SQL = (
    "format('000.%s.H99-%s-%s', lpad(agency_id::text, 3, '0'), "
    f"to_char(received_at AT TIME ZONE '{VN.key}', 'YYMMDD'), "
    "lpad(id::text, greatest(4, length(id::text)), '0'))"
)


def columns(conn, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def model_indexes(conn, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the source table's indexes other than its primary key."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')",
        [table],
    ).fetchall()
    return [(n, d) for n, d in rows if n not in SKIP_INDEXES]


def month_starts(first: datetime, last: datetime) -> list[datetime]:
    months, m = [], datetime(first.year, first.month, 1, tzinfo=VN)
    while m <= last:
        months.append(m)
        m = datetime(m.year + m.month // 12, m.month % 12 + 1, 1, tzinfo=VN)
    return months


def partition_name(parent: str, month: datetime) -> str:
    return f"{parent}_{month:%Y_%m}"


def create_partitions(conn, parent: str, months: list[datetime]) -> None:
    for m in months:
        nxt = datetime(m.year + m.month // 12, m.month % 12 + 1, 1, tzinfo=VN)
        conn.execute(
            f"CREATE TABLE {partition_name(parent, m)} PARTITION OF {parent} "
            f"FOR VALUES FROM ('{m.isoformat()}') TO ('{nxt.isoformat()}') "
            "WITH (autovacuum_enabled = off)"
        )


def index_definitions(defs: list[tuple[str, str]], source: str, target: str, key: str | None):
    """The source's index definitions on ``target``; unique ones get the partition ``key``."""
    out = []
    for name, d in defs:
        d = d.replace(f"ON public.{source} ", f"ON {target} ")
        d = re.sub(r"INDEX (\S+) ON", f"INDEX {target}_{name} ON", d)
        if key and d.startswith("CREATE UNIQUE INDEX"):
            d = re.sub(r"\(([^()]*)\)$", lambda m: f"({m.group(1)}, {key})", d)
        out.append(d)
    return out


def build_layouts(conn, older_first: int | None) -> tuple[list[datetime], list[str]]:
    dossier_cols = columns(conn, "dossiers_dossier")
    select = ", ".join(CODE_SQL if c == "code" else c for c in dossier_cols)
    defs = model_indexes(conn, "dossiers_dossier")
    if REUSE_SOURCE:
        return reuse_source(conn, defs)
    conn.execute(
        "CREATE TABLE plain_dossier (LIKE dossiers_dossier INCLUDING DEFAULTS "
        "INCLUDING CONSTRAINTS) WITH (autovacuum_enabled = off)"
    )
    # Reception order, as a live system appends: the older history (higher ids) first.
    batches = [f"id >= {older_first}", f"id < {older_first}"] if older_first else ["true"]
    t = sum(
        elapsed(conn, f"INSERT INTO plain_dossier SELECT {select} FROM dossiers_dossier WHERE {w}")
        for w in batches
    )
    say("plain.dossier.insert_s", t)
    t0 = time.perf_counter()
    conn.execute("ALTER TABLE plain_dossier ADD PRIMARY KEY (id)")
    for d in index_definitions(defs, "dossiers_dossier", "plain_dossier", None):
        conn.execute(d)
    say("plain.dossier.index_build_s", time.perf_counter() - t0)
    span = conn.execute("SELECT min(received_at), max(received_at) FROM plain_dossier").fetchone()
    months = month_starts(span[0].astimezone(VN), span[1].astimezone(VN))
    event_cols = columns(conn, "dossiers_dossierevent")
    conn.execute("DROP TABLE dossiers_dossier CASCADE")  # disk: the copy is in plain_dossier
    return build_partitioned(conn, defs, months, event_cols)


def reuse_source(conn, defs) -> tuple[list[datetime], list[str]]:
    """BENCH_REUSE_SOURCE=1 (the 40M run, for time): the copied database's own dossier table,
    already indexed, is the plain one (renamed; no codes, so no look-up by code; rows in the
    source's order: the 2016-2025 history, then the older one)."""
    conn.execute("ALTER TABLE dossiers_dossier RENAME TO plain_dossier")
    conn.execute("ALTER TABLE plain_dossier SET (autovacuum_enabled = off)")
    span = conn.execute("SELECT min(received_at), max(received_at) FROM plain_dossier").fetchone()
    months = month_starts(span[0].astimezone(VN), span[1].astimezone(VN))
    return build_partitioned(conn, defs, months, columns(conn, "dossiers_dossierevent"))


def build_partitioned(conn, defs, months, event_cols) -> tuple[list[datetime], list[str]]:
    conn.execute(
        "CREATE TABLE part_dossier (LIKE plain_dossier INCLUDING DEFAULTS INCLUDING "
        "CONSTRAINTS) PARTITION BY RANGE (received_at)"
    )
    create_partitions(conn, "part_dossier", months)
    conn.execute(
        "CREATE TABLE part_dossier_default PARTITION OF part_dossier DEFAULT "
        "WITH (autovacuum_enabled = off)"
    )
    say("partitions", len(months))
    say(
        "part.dossier.insert_s",
        elapsed(conn, "INSERT INTO part_dossier SELECT * FROM plain_dossier"),
    )
    t0 = time.perf_counter()
    conn.execute("CREATE UNIQUE INDEX part_dossier_pkey ON part_dossier (id, received_at)")
    for d in index_definitions(defs, "dossiers_dossier", "part_dossier", "received_at"):
        conn.execute(d)
    say("part.dossier.index_build_s", time.perf_counter() - t0)
    say("plain.dossier.analyze_s", elapsed(conn, "ANALYZE plain_dossier"))
    say("part.dossier.analyze_s", elapsed(conn, "ANALYZE part_dossier"))
    if EVENTS:
        build_events(conn, event_cols, months)
    return months, event_cols


def event_select(event_cols: list[str]) -> str:
    values = {
        "id": "d.id * 2 + s.seq - 1",
        "seq": "s.seq",
        "type": "CASE s.seq WHEN 1 THEN 'receive' ELSE 'resolve' END",
        "at": "CASE s.seq WHEN 1 THEN d.received_at "
        "ELSE coalesce(d.closed_at, d.received_at + interval '1 day') END",
        "recorded_at": "CASE s.seq WHEN 1 THEN d.received_at "
        "ELSE coalesce(d.closed_at, d.received_at + interval '1 day') END",
        "from_state": "CASE s.seq WHEN 1 THEN '' ELSE 'in_process' END",
        "to_state": "CASE s.seq WHEN 1 THEN 'in_process' ELSE d.state END",
        "payload": "jsonb_build_object('channel', d.channel, 'agency', d.agency_id)",
        "actor_id": "NULL",
        "dossier_id": "d.id",
        "hash": "md5(d.id::text || s.seq) || md5(s.seq || d.id::text)",
    }
    return ", ".join(values[c] for c in event_cols)


def build_events(conn, event_cols: list[str], months: list[datetime]) -> None:
    select = event_select(event_cols)
    conn.execute(
        "CREATE TABLE plain_event (LIKE dossiers_dossierevent INCLUDING DEFAULTS "
        "INCLUDING CONSTRAINTS) WITH (autovacuum_enabled = off)"
    )
    t = elapsed(
        conn,
        f"INSERT INTO plain_event SELECT {select} FROM plain_dossier d, "
        f"generate_series(1, 2) s(seq) WHERE d.id % {EVENT_EVERY} = 0 AND d.received_at IS NOT NULL",
    )
    say("plain.event.insert_s", t)
    t0 = time.perf_counter()
    conn.execute("ALTER TABLE plain_event ADD PRIMARY KEY (id)")
    conn.execute("CREATE UNIQUE INDEX plain_event_seq ON plain_event (dossier_id, seq)")
    conn.execute(
        "CREATE INDEX plain_event_actor ON plain_event (actor_id) WHERE actor_id IS NOT NULL"
    )
    say("plain.event.index_build_s", time.perf_counter() - t0)
    say(
        "plain.event.fk_validate_s",
        elapsed(
            conn,
            "ALTER TABLE plain_event ADD CONSTRAINT plain_event_dossier FOREIGN KEY (dossier_id) "
            "REFERENCES plain_dossier (id) DEFERRABLE INITIALLY DEFERRED",
        ),
    )
    conn.execute(
        "CREATE TABLE part_event (LIKE plain_event INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        "PARTITION BY RANGE (at)"
    )
    last = conn.execute("SELECT max(at) FROM plain_event").fetchone()[0].astimezone(VN)
    create_partitions(conn, "part_event", month_starts(months[0], last))
    say("part.event.insert_s", elapsed(conn, "INSERT INTO part_event SELECT * FROM plain_event"))
    t0 = time.perf_counter()
    conn.execute("CREATE UNIQUE INDEX part_event_pkey ON part_event (id, at)")
    conn.execute("CREATE UNIQUE INDEX part_event_seq ON part_event (dossier_id, seq, at)")
    conn.execute(
        "CREATE INDEX part_event_actor ON part_event (actor_id) WHERE actor_id IS NOT NULL"
    )
    say("part.event.index_build_s", time.perf_counter() - t0)
    conn.execute("ANALYZE plain_event")
    conn.execute("ANALYZE part_event")


# --- measure: figures -----------------------------------------------------------------------


def relation_sizes(conn, table: str) -> dict[str, int]:
    """Bytes of the heap (with TOAST) and of each index, partitions summed."""
    # A plain table or index is its own only leaf.
    leaves = (
        "SELECT relid FROM pg_partition_tree(%(r)s::regclass) WHERE isleaf "
        "UNION SELECT %(r)s::regclass WHERE (SELECT relkind FROM pg_class "
        "WHERE oid = %(r)s::regclass) IN ('r', 'i')"
    )
    heap = conn.execute(
        f"SELECT sum(pg_table_size(relid)) FROM ({leaves}) t", {"r": table}
    ).fetchone()[0]
    sizes = {"heap": int(heap)}
    for (index,) in conn.execute(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass", [table]
    ).fetchall():
        (size,) = conn.execute(
            f"SELECT sum(pg_relation_size(relid)) FROM ({leaves}) t", {"r": index}
        ).fetchone()
        sizes[index.removeprefix(f"{table}_")] = int(size)
    return sizes


def sizes(conn, prefix: str, table: str) -> None:
    s = relation_sizes(conn, table)
    say(f"{prefix}.heap_bytes", s.pop("heap"))
    say(f"{prefix}.indexes_bytes", sum(s.values()))
    say(f"{prefix}.index_bytes", s)


def counters_sql(dbname: str) -> tuple[str, list]:
    """The SQL and parameters of the month report's counters query for the province (Django)."""
    from django.db import connection

    from motcua.catalog.models import Agency
    from motcua.catalog.selectors import agency_subtree_ids
    from motcua.stats.counters import counts_by_agency_periods
    from motcua.stats.periods import parse_period

    root = Agency.objects.get(code="000.00.00.H99")
    ids = agency_subtree_ids(roots=[root.pk])
    seen: list[tuple[str, list]] = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        counts_by_agency_periods(agency_ids=ids, periods=[parse_period("2025-12")])
    connection.close()
    return next((s, p) for s, p in seen if "dossiers_dossier" in s and "GROUP BY" in s)


def run_rows(conn, sql: str, params=None):
    return conn.execute(sql, params).fetchall()


def lookups(conn) -> list:
    """Look-ups by dossier code (or id) on both layouts; returns the sampled rows."""
    sample = run_rows(
        conn,
        "SELECT code, received_at, id FROM plain_dossier TABLESAMPLE SYSTEM (0.5) "
        "REPEATABLE (15) WHERE received_at IS NOT NULL LIMIT 200",
    )

    # Without codes (BENCH_REUSE_SOURCE) the id stands in: a unique key without the month too,
    # looked up alone or with the reception day (which a real code carries).
    key = "code" if sample[0][0] is not None else "id"
    if key == "id":
        print("no dossier codes in this fixture: the look-up is by id (same index shape)")

    def by_key(table: str, with_day: bool):
        for code, received, pk in sample:
            value = code if key == "code" else pk
            if with_day:  # the code's yymmdd is the local reception day (dossiers.codes)
                day = datetime.combine(received.astimezone(VN).date(), datetime.min.time(), VN)
                rows = run_rows(
                    conn,
                    f"SELECT id FROM {table} WHERE {key} = %s AND received_at >= %s "
                    "AND received_at < %s",
                    [value, day, day + timedelta(days=1)],
                )
            else:
                rows = run_rows(conn, f"SELECT id FROM {table} WHERE {key} = %s", [value])
            assert len(rows) == 1, value

    say("lookup_key", key)
    lookups = (
        ("plain", "plain_dossier", False),
        ("part", "part_dossier", False),
        ("part_with_day", "part_dossier", True),
    )
    for label, table, with_day in lookups:
        by_key(table, with_day)
        t = best(lambda table=table, with_day=with_day: by_key(table, with_day))
        say(f"{label}.q.code_lookup_ms", t / len(sample) * 1000, "per look-up")
    return sample


def queries(conn, counters: tuple[str, list], has_events: bool) -> None:
    sql, params = counters
    results = {}
    for layout in ("plain", "part"):
        q = sql.replace('"dossiers_dossier"', f'"{layout}_dossier"')
        run_rows(conn, q, params)  # warm
        say(f"{layout}.q.counters_s", best(lambda q=q: run_rows(conn, q, params)))
        results[layout] = sorted(run_rows(conn, q, params))
    assert results["plain"] == results["part"], "the two layouts count differently"

    busiest = [
        r[0]
        for r in run_rows(
            conn,
            "SELECT agency_id FROM plain_dossier WHERE closed_at IS NULL GROUP BY 1 "
            "ORDER BY count(*) DESC LIMIT 5",
        )
    ]
    worklist = (
        "SELECT id, code, due_at FROM {t} WHERE agency_id = %s AND closed_at IS NULL "
        "AND received_at IS NOT NULL ORDER BY due_at, id LIMIT 50"
    )
    for layout in ("plain", "part"):
        q = worklist.format(t=f"{layout}_dossier")
        t = best(lambda q=q: [run_rows(conn, q, [a]) for a in busiest])
        say(f"{layout}.q.worklist_ms", t / len(busiest) * 1000, "per agency, 50 rows")

    sample = lookups(conn)
    if has_events:
        ids = [r[2] - r[2] % EVENT_EVERY for r in sample]
        for layout in ("plain", "part"):
            q = f"SELECT * FROM {layout}_event WHERE dossier_id = %s ORDER BY seq"

            def history(q=q):
                for i in ids:
                    run_rows(conn, q, [i])

            history()
            say(f"{layout}.q.history_ms", best(history) / len(ids) * 1000, "per dossier")


def month_updates(conn) -> None:
    nxt = datetime(HOT_MONTH.year, HOT_MONTH.month + 1, 1, tzinfo=VN)
    hot = partition_name("part_dossier", HOT_MONTH)
    rows = run_rows(conn, f"SELECT count(*) FROM {hot}")[0][0]
    say("hot_month.rows", rows)
    hot_sizes = relation_sizes(conn, hot)
    say("part.hot_month.heap_bytes", hot_sizes.pop("heap"))
    say("part.hot_month.indexes_bytes", sum(hot_sizes.values()))
    # Two non-HOT updates of every dossier of the month (an indexed column changes, as a
    # state or assignee does), then what autovacuum would do: the plain table's VACUUM (index
    # clean-up left to PostgreSQL, then forced, as it is once dead rows pass 2% of the pages),
    # against the hot partition's.
    for layout, table in (("plain", "plain_dossier"), ("part", "part_dossier")):
        t = 0.0
        for n in range(2):
            t += elapsed(
                conn,
                f"UPDATE {table} SET due_at = due_at + interval '1 second', note = %s "
                "WHERE received_at >= %s AND received_at < %s",
                [f"update {n}", HOT_MONTH, nxt],
            )
        say(f"{layout}.month_updates_s", t, f"2 x {rows:,} rows")
    say("plain.vacuum_after_month_auto_s", elapsed(conn, "VACUUM plain_dossier"))
    for layout, table in (("plain", "plain_dossier"), ("part", hot)):
        t = elapsed(
            conn,
            "UPDATE " + table + " SET note = note || '.' WHERE received_at >= %s "
            "AND received_at < %s",
            [HOT_MONTH, nxt],
        )
        say(f"{layout}.month_update3_s", t)
        say(
            f"{layout}.vacuum_after_month_s",
            elapsed(conn, f"VACUUM (INDEX_CLEANUP ON) {table}"),
            "index clean-up forced" if layout == "plain" else "the hot partition only",
        )


def freeze(conn, months: list[datetime]) -> None:
    """The anti-wraparound pass: every page frozen once (plain: one run; partitioned: one run
    per partition, the longest shown)."""
    say("plain.vacuum_freeze_s", elapsed(conn, "VACUUM (FREEZE) plain_dossier"))
    runs = [elapsed(conn, f"VACUUM (FREEZE) {partition_name('part_dossier', m)}") for m in months]
    say("part.vacuum_freeze_total_s", sum(runs))
    say("part.vacuum_freeze_longest_s", max(runs))


def events_of_a_day(conn) -> None:
    """The daily audit digest's queries (ops.auditchain.make_digests / day_entries): events
    recorded on one day, per agency. ``recorded_at`` has no index: without one each is a scan of
    the whole event table; then the same with a BRIN index on it (rows are appended in
    ``recorded_at`` order in production; here per dossier, so a block spans some days)."""
    day = datetime(2025, 12, 10, tzinfo=VN)
    bounds = [day, day + timedelta(days=1)]
    agencies_sql = (
        "SELECT DISTINCT d.agency_id FROM plain_event e JOIN plain_dossier d "
        "ON d.id = e.dossier_id WHERE e.recorded_at >= %s AND e.recorded_at < %s"
    )
    entries_sql = (
        "SELECT e.dossier_id, e.seq, e.hash FROM plain_event e JOIN plain_dossier d "
        "ON d.id = e.dossier_id WHERE d.agency_id = %s AND e.recorded_at >= %s "
        "AND e.recorded_at < %s"
    )
    agencies = [r[0] for r in run_rows(conn, agencies_sql, bounds)]
    say("day.agencies", len(agencies))
    one = agencies[0]
    say("plain.day.agencies_noindex_s", best(lambda: run_rows(conn, agencies_sql, bounds), 1))
    say(
        "plain.day.entries_noindex_s",
        best(lambda: run_rows(conn, entries_sql, [one, *bounds]), 1),
        "one agency (make_digests runs it for each)",
    )
    say(
        "plain.event.brin_build_s",
        elapsed(conn, "CREATE INDEX plain_event_recorded ON plain_event USING brin (recorded_at)"),
    )
    say(
        "plain.event.brin_bytes",
        run_rows(conn, "SELECT pg_relation_size('plain_event_recorded')")[0][0],
    )
    conn.execute("ANALYZE plain_event")
    say("plain.day.agencies_brin_s", best(lambda: run_rows(conn, agencies_sql, bounds)))
    say("plain.day.entries_brin_s", best(lambda: run_rows(conn, entries_sql, [one, *bounds])))
    rows = run_rows(conn, "EXPLAIN " + entries_sql, [one, *bounds])
    say("plain.day.entries_brin_plan_uses_brin", any("plain_event_recorded" in r[0] for r in rows))


def retention(conn, months: list[datetime], has_events: bool) -> None:
    year = months[0].year
    end = datetime(year + 1, 1, 1, tzinfo=VN)
    rows = run_rows(conn, "SELECT count(*) FROM plain_dossier WHERE received_at < %s", [end])[0][0]
    say("retention.year", year)
    say("retention.dossier_rows", rows)
    t = 0.0
    if has_events:
        t += elapsed(
            conn,
            "DELETE FROM plain_event WHERE dossier_id IN "
            "(SELECT id FROM plain_dossier WHERE received_at < %s)",
            [end],
        )
        say("plain.retention.delete_events_s", t)
    d = elapsed(conn, "DELETE FROM plain_dossier WHERE received_at < %s", [end])
    say(
        "plain.retention.delete_dossiers_s",
        d,
        "with the foreign-key checks of the tables referencing it",
    )
    say("plain.retention.delete_s", t + d)
    v = elapsed(conn, "VACUUM plain_dossier")
    if has_events:
        v += elapsed(conn, "VACUUM plain_event")
    say("plain.retention.vacuum_s", v, "the space is reusable only after it")
    t0 = time.perf_counter()
    for parent in ("part_dossier", "part_event") if has_events else ("part_dossier",):
        for m in months[:12]:
            name = partition_name(parent, m)
            conn.execute(f"ALTER TABLE {parent} DETACH PARTITION {name}")
            conn.execute(f"DROP TABLE {name}")
    say("part.retention.detach_drop_s", time.perf_counter() - t0, "12 months, files removed")


def measure_events() -> None:
    """``measure events``: the event tables alone over the 10M fixture (its dossier table kept
    plain), for when the full run does not fit the disk."""
    print(f"# events over {SOURCE_10M}; {datetime.now():%Y-%m-%d %H:%M}; load {load_average()}")
    say("copy_s", copy_database(WORK_DB, SOURCE_10M))
    conn = connect(WORK_DB)
    conn.execute("ALTER TABLE dossiers_dossier RENAME TO plain_dossier")
    span = conn.execute("SELECT min(received_at), max(received_at) FROM plain_dossier").fetchone()
    months = month_starts(span[0].astimezone(VN), span[1].astimezone(VN))
    build_events(conn, columns(conn, "dossiers_dossierevent"), months)
    say("events", run_rows(conn, "SELECT count(*) FROM plain_event")[0][0])
    for layout in ("plain", "part"):
        sizes(conn, f"{layout}.event", f"{layout}_event")
    ids = [
        r[0]
        for r in run_rows(
            conn,
            f"SELECT id FROM plain_dossier TABLESAMPLE SYSTEM (0.5) REPEATABLE (15) "
            f"WHERE id % {EVENT_EVERY} = 0 AND received_at IS NOT NULL LIMIT 200",
        )
    ]
    for layout in ("plain", "part"):
        q = f"SELECT * FROM {layout}_event WHERE dossier_id = %s ORDER BY seq"

        def history(q=q):
            for i in ids:
                assert len(run_rows(conn, q, [i])) == 2

        history()
        say(f"{layout}.q.history_ms", best(history) / len(ids) * 1000, "per dossier")
    events_of_a_day(conn)
    end = datetime(months[0].year + 1, 1, 1, tzinfo=VN)
    say(
        "retention.event_rows",
        run_rows(conn, "SELECT count(*) FROM plain_event WHERE at < %s", [end])[0][0],
    )
    say(
        "plain.retention.delete_events_s",
        elapsed(conn, "DELETE FROM plain_event WHERE at < %s", [end]),
    )
    say("plain.retention.vacuum_events_s", elapsed(conn, "VACUUM plain_event"))
    t0 = time.perf_counter()
    for m in months[:12]:
        conn.execute(f"ALTER TABLE part_event DETACH PARTITION {partition_name('part_event', m)}")
        conn.execute(f"DROP TABLE {partition_name('part_event', m)}")
    say("part.retention.detach_drop_events_s", time.perf_counter() - t0)
    say("load_average_end", load_average())
    conn.close()
    with admin() as a:
        a.execute(f'DROP DATABASE IF EXISTS "{WORK_DB}"')
    print("JSON " + json.dumps({"scale": "events", **RESULTS}))


def retention_sample(dbname: str, rows: int = 100_000) -> None:
    """``retention <db>`` on a kept 40M work database: the DELETE of a whole year (10M dossiers)
    with the foreign-key checks of the thirteen tables that reference ``dossiers_dossier`` does not
    fit a benchmark run, so its rate is measured on the year's first ``rows`` dossiers (the
    older history's first ids), then the VACUUM with its index pass that makes the space
    reusable; against DETACH and DROP of the year's twelve partitions."""
    conn = connect(dbname)
    (first,) = conn.execute(
        "SELECT min(id) FROM plain_dossier WHERE received_at < %s", [base.HISTORY_START]
    ).fetchone()
    say("retention.sample_rows", rows)
    d = elapsed(conn, "DELETE FROM plain_dossier WHERE id >= %s AND id < %s", [first, first + rows])
    say("plain.retention.delete_sample_s", d, "with the foreign-key checks")
    say("plain.retention.delete_rows_per_s", rows / d)
    say("plain.retention.vacuum_s", elapsed(conn, "VACUUM (INDEX_CLEANUP ON) plain_dossier"))
    (first_month,) = conn.execute("SELECT min(received_at) FROM part_dossier").fetchone()
    start = first_month.astimezone(VN)
    months = month_starts(start, datetime(start.year, 12, 1, tzinfo=VN))
    t0 = time.perf_counter()
    for m in months:
        conn.execute(
            f"ALTER TABLE part_dossier DETACH PARTITION {partition_name('part_dossier', m)}"
        )
        conn.execute(f"DROP TABLE {partition_name('part_dossier', m)}")
    say("part.retention.detach_drop_s", time.perf_counter() - t0, f"{len(months)} months")


def measure(scale: str) -> None:
    source = {"10m": SOURCE_10M, "40m": DB_40M}[scale]
    print(f"# {scale} from {source}; {datetime.now():%Y-%m-%d %H:%M}; load {load_average()}")
    say("copy_s", copy_database(WORK_DB, source))
    setup_django(WORK_DB)
    counters = counters_sql(WORK_DB)
    conn = connect(WORK_DB)
    older_first = None
    if scale == "40m":
        (older_first,) = conn.execute(
            "SELECT min(id) FROM dossiers_dossier WHERE received_at < %s", [base.HISTORY_START]
        ).fetchone()
    months, _ = build_layouts(conn, older_first)
    say("dossiers", run_rows(conn, "SELECT count(*) FROM plain_dossier")[0][0])
    if EVENTS:
        say("events", run_rows(conn, "SELECT count(*) FROM plain_event")[0][0])
    print(f"# built; load {load_average()}")
    for layout in ("plain", "part"):
        sizes(conn, f"{layout}.dossier", f"{layout}_dossier")
        if EVENTS:
            sizes(conn, f"{layout}.event", f"{layout}_event")
    queries(conn, counters, EVENTS)
    if EVENTS:
        events_of_a_day(conn)
    print(f"# queried; load {load_average()}")
    if os.environ.get("BENCH_FREEZE", "1") != "0":
        freeze(conn, months)
    month_updates(conn)
    if os.environ.get("BENCH_RETENTION", "1") != "0":
        retention(conn, months, EVENTS)
    say("load_average_end", load_average())
    conn.close()
    if os.environ.get("BENCH_KEEP") != "1":
        with admin() as a:
            a.execute(f'DROP DATABASE IF EXISTS "{WORK_DB}"')
    print("JSON " + json.dumps({"scale": scale, **RESULTS}))


def main() -> int:
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step == "build40m":
        build_40m()
    elif step == "lookups" and len(sys.argv) == 3:  # on a kept work database (BENCH_KEEP=1)
        lookups(connect(sys.argv[2]))
    elif step == "retention" and len(sys.argv) == 3:  # on a kept 40M work database
        retention_sample(sys.argv[2])
    elif step == "measure" and sys.argv[2:] == ["events"]:
        measure_events()
    elif step == "measure" and len(sys.argv) == 3 and sys.argv[2] in ("10m", "40m"):
        measure(sys.argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
