"""Benchmark: a monthly report with children over 1M and 10M dossiers on PostgreSQL, beside the
same figures from one plain GROUP BY scan of the dossier table, in the same run.

Run from the project root: ``.venv/bin/python benchmarks/bench_report.py`` (PostgreSQL at
``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/motcua_bench_report``; the
database is dropped and created again). ``BENCH_SIZES=1000000,10000000`` sets the sizes.

Dossiers are inserted in the order they were received (as a live system appends them), so a
month's rows sit together in the table. The fixture is a province of 181 agencies (40 provincial agencies with 2 departments each, 60
communes) and ten years of history (2016–2025), generated in SQL with generate_series; 3% of
the dossiers are one-way; 1% are closed after their due date (the seeds show 0–0.23%); those
received in the last weeks are still open, and 1% of those received in the last 120 days are
still open long after their due date. The report is the province's, for the month 2025-12 by the deployment's
cut-off (Decree 09: 15 Nov – 14 Dec 2025), with its children, late list, comparison with the
previous month, coverage and inter-agency sections: what `motcua report --children` builds.

Targets: the report ≤ 1 s at 10M dossiers and ≥ 10× faster than the scan. Exits non-zero when
a target is missed (the figures are printed either way).
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

from motcua.core.localtime import LOCAL_TZ as VN

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_report"
)
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000000,10000000").split(",")]
CHUNK = 1_000_000
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 10.0
HISTORY_START = datetime(2016, 1, 1, tzinfo=VN)
HISTORY_END = datetime(2025, 12, 15, tzinfo=VN)  # "now": the day after the period


def recreate_database() -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(BENCH_URL)
    admin = f"host={cfg['HOST']} port={cfg['PORT'] or 5432} user={cfg['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_catalogue():
    from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure, ProcedureAssignment

    levels = {lv.code: lv for lv in AgencyLevel.objects.all()}
    root = Agency.objects.create(code="000.00.00.H99", name="Tỉnh Mẫu", level=levels["province"])
    agencies = []
    for i in range(40):
        so = Agency.objects.create(
            code=f"000.{i:02d}.01.H99",
            name=f"Sở {i}",
            parent=root,
            level=levels["provincial_agency"],
        )
        agencies.append(so)
        for j in range(2):
            agencies.append(
                Agency.objects.create(
                    code=f"000.{i:02d}.{j + 10}.H99",
                    name=f"Phòng {i}.{j}",
                    parent=so,
                    level=levels["department"],
                )
            )
    for i in range(60):
        agencies.append(
            Agency.objects.create(
                code=f"H99.{100 + i}", name=f"Xã {i}", parent=root, level=levels["commune"]
            )
        )
    field = Field.objects.create(name="Lĩnh vực mẫu")
    procs = Procedure.objects.bulk_create(
        Procedure(
            code=f"9.{i:06d}",
            name=f"Thủ tục {i}",
            field=field,
            processing_time=10,
            postal_reception=i % 3 == 0,
            online_class="full" if i % 2 else "partial",
        )
        for i in range(100)
    )
    ProcedureAssignment.objects.bulk_create(
        ProcedureAssignment(procedure=p, agency=a)
        for a in agencies
        for p in procs[(a.pk % 10) * 10 : (a.pk % 10) * 10 + 10]
    )
    return root, [a.pk for a in agencies], [p.pk for p in procs]


def insert_sql(columns: dict[str, str]) -> str:
    """INSERT … SELECT generate_series(%(lo)s, %(hi)s): one row per dossier, all in SQL."""
    from motcua.dossiers.models import Dossier

    cols, values = [], []
    for f in Dossier._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        if f.column in columns:
            values.append(columns[f.column])
        elif f.null:
            values.append("NULL")
        else:
            default = f.get_default()
            values.append("false" if default is False else f"'{default}'")
    return f"INSERT INTO dossiers_dossier ({', '.join(cols)}) SELECT {', '.join(values)} FROM ({GEN}) g"


# One row of random draws per dossier; the times follow from them.
GEN = """
SELECT i, rec, r_out, r_ch, r_del, one_way,
       CASE WHEN one_way THEN rec + interval '5 minutes'
            WHEN r_stale < 0.01 AND rec > %(now)s - interval '120 days' THEN NULL
            ELSE rec + make_interval(secs => CASE WHEN r_late < 0.01 THEN 864000 + r_dur * 432000
                                                  ELSE r_dur * 820000 END) END AS closed
FROM (
  SELECT i, %(t0)s::timestamptz
           + make_interval(secs => (i - %(first)s + random()) / %(rows)s * %(span)s) AS rec,
         random() AS r_out, random() AS r_ch, random() AS r_del, random() AS r_stale,
         random() AS r_late, random() AS r_dur, random() < 0.03 AS one_way
  FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS s(i)
) x
"""


def open_if_future(expr: str) -> str:
    return f"CASE WHEN closed IS NULL OR closed >= %(now)s THEN NULL ELSE {expr} END"


COLUMNS = {
    "agency_id": "(%(agencies)s::bigint[])[1 + (i * 7919) %% %(n_agencies)s]",
    "procedure_id": "(%(procedures)s::bigint[])[1 + (i * 104729) %% %(n_procedures)s]",
    "time_unit": "'working_days'",
    "online_class": "CASE WHEN r_ch < 0.45 THEN (CASE WHEN i %% 2 = 0 THEN 'full' ELSE 'partial' END) ELSE 'none' END",
    "one_way": "one_way",
    "channel": "CASE WHEN r_ch < 0.45 THEN 'online' WHEN r_ch < 0.95 THEN 'direct' ELSE 'postal' END",
    "received_at": "rec",
    "submitted_at": "rec",
    "due_at": "CASE WHEN one_way THEN NULL ELSE rec + interval '10 days' END",
    "state": "CASE WHEN closed IS NULL OR closed >= %(now)s THEN 'in_process' "
    "WHEN one_way THEN 'filed' ELSE 'resolved' END",
    "outcome": "CASE WHEN closed IS NULL OR closed >= %(now)s THEN '' WHEN one_way THEN 'filed' "
    "WHEN r_out < 0.93 THEN 'resolved' WHEN r_out < 0.96 THEN 'refused' "
    "WHEN r_out < 0.98 THEN 'withdrawn' ELSE 'stopped' END",
    "closed_at": open_if_future("closed"),
    "delivered_at": "CASE WHEN NOT one_way AND r_out < 0.93 AND r_del < 0.9 "
    "AND closed + interval '1 day' < %(now)s THEN closed + interval '1 day' END",
    "delivery_channel": "CASE WHEN NOT one_way AND r_out < 0.93 AND r_del < 0.9 AND closed + "
    "interval '1 day' < %(now)s THEN (CASE WHEN r_del < 0.1 THEN 'postal' WHEN r_del < 0.6 "
    "THEN 'counter' ELSE 'online' END) ELSE '' END",
}


def load(
    first: int,
    last: int,
    agencies: list[int],
    procedures: list[int],
    *,
    start: datetime = HISTORY_START,
    end: datetime = HISTORY_END,
) -> float:
    """Insert dossiers ``first``..``last``, received evenly from ``start`` to ``end``, open or
    closed as seen at ``HISTORY_END`` (bench_history.py loads other spans)."""
    from django.db import connection

    sql = insert_sql(COLUMNS)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SET session_replication_role = replica")  # no FK triggers while loading
        cur.execute("SELECT setseed(0.20261123)")
        for lo in range(first, last + 1, CHUNK):
            hi = min(lo + CHUNK - 1, last)
            cur.execute(
                sql,
                {
                    "lo": lo,
                    "first": first,
                    "rows": last - first + 1,
                    "hi": hi,
                    "t0": start,
                    "span": (end - start).total_seconds(),
                    "now": HISTORY_END,
                    "agencies": agencies,
                    "n_agencies": len(agencies),
                    "procedures": procedures,
                    "n_procedures": len(procedures),
                },
            )
        cur.execute("SET session_replication_role = origin")
        for _, definition in indexes:
            cur.execute(definition)
        cur.execute("ANALYZE dossiers_dossier")
    return time.perf_counter() - t0


def timed(fn, repeat: int = 3):
    best, result = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def scan_counts(period):
    """The baseline: every counter from one GROUP BY over the whole table (no narrowing)."""

    from motcua.stats.counters import (
        dossier_conditions,
        statistics_queries,
    )

    cond = dossier_conditions(period)
    with statistics_queries():
        return _scan(period, cond)


def _scan(period, cond):
    from django.db.models import Count

    from motcua.dossiers.models import Dossier
    from motcua.stats.counters import DOSSIER_COUNTERS, _alias, dossier_aliases

    rows = (
        Dossier.objects.alias(**dossier_aliases(period))
        .order_by()
        .values("agency_id")
        .annotate(**{_alias(k): Count("pk", filter=cond[k]) for k in DOSSIER_COUNTERS})
    )
    return {r["agency_id"]: {k: r[_alias(k)] for k in DOSSIER_COUNTERS} for r in rows}


def bench(size: int, root, period) -> dict:
    from django.db import connection

    from motcua.catalog.selectors import agency_subtree_ids
    from motcua.stats.assembly import build_report
    from motcua.stats.counters import DOSSIER_COUNTERS, counts_by_agency

    ids = agency_subtree_ids(roots=[root.pk])
    report_s, report = timed(lambda: build_report(unit=root, period=period, children=True))
    counters_s, own = timed(lambda: counts_by_agency(agency_ids=ids, period=period))
    scan_s, scanned = timed(lambda: scan_counts(period), repeat=1)
    for agency_id, counts in scanned.items():
        mine = own.get(agency_id, {})
        for k in DOSSIER_COUNTERS:
            assert mine.get(k, 0) == counts[k], (agency_id, k)
    tracemalloc.start()
    build_report(unit=root, period=period, children=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_total_relation_size('dossiers_dossier')")
        table_bytes = cur.fetchone()[0]
    return {
        "size": size,
        "report_s": report_s,
        "counters_s": counters_s,
        "scan_s": scan_s,
        "speedup": scan_s / report_s,
        "peak_py_mb": peak / 2**20,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "table_gb": table_bytes / 2**30,
        "new": report["received"]["new"],
        "late_list": len(report["late_list"]),
        "pending": report["pending"]["total"],
    }


def main() -> int:
    if os.environ.get("BENCH_REUSE"):  # time again on the database of the last run
        setup_django()
        from motcua.catalog.models import Agency
        from motcua.dossiers.models import Dossier
        from motcua.stats.periods import parse_period

        root = Agency.objects.get(code="000.00.00.H99")
        r = bench(Dossier.objects.count(), root, parse_period("2025-12"))
        print(r)
        return 0
    recreate_database()
    setup_django()
    from motcua.stats.periods import parse_period

    root, agencies, procedures = make_catalogue()
    period = parse_period("2025-12")
    print(f"period {period.start} .. {period.end}; {len(agencies) + 1} agencies")
    loaded, ok = 0, True
    for size in sorted(SIZES):
        load_s = load(loaded + 1, size, agencies, procedures)
        loaded = size
        r = bench(size, root, period)
        print(
            f"{size:>11,} dossiers (loaded in {load_s:.0f} s, table {r['table_gb']:.1f} GiB): "
            f"report with children {r['report_s'] * 1000:.0f} ms "
            f"(counters {r['counters_s'] * 1000:.0f} ms), GROUP BY scan {r['scan_s'] * 1000:.0f} ms, "
            f"{r['speedup']:.1f}x; month: {r['new']:,} new, {r['pending']:,} pending, "
            f"{r['late_list']:,} in the late list; peak Python memory {r['peak_py_mb']:.1f} MiB, "
            f"max RSS {r['maxrss_mb']:.0f} MiB"
        )
        if size >= 10_000_000 and r["report_s"] > TARGET_SECONDS:
            ok = False
        if r["speedup"] < TARGET_SPEEDUP:
            ok = False
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
