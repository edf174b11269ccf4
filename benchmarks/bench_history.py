"""Benchmark (issue 15): reports whose cost does not grow with history, with the daily summary.

Run from the project root on PostgreSQL, with the fixture generator of bench_report.py (same
province of 181 agencies, same SQL draws), each case best of 3, the load average printed with
each figure (the 2 cores are shared):

* ``bench_history.py province`` — (a) a province of 20M dossiers in one year (15 Dec 2024 –
  14 Dec 2025, ≈1.7M a month): the report with children of the month 2025-12 (Decree 09 cut-off:
  15 Nov – 14 Dec 2025). Database ``BENCH_PROVINCE_DB`` (default motcua_summary_20m), dropped
  and made again; ``BENCH_PROVINCE_SIZE`` sets the size.
Days are summarised up to the fixture's last day (14 Dec 2025); the 30M older dossiers of (c)
are loaded after the summary and their days left unsummarised (no report here reads them).

* ``bench_history.py history`` — (b) the year 2025 report with children over the 10M history of
  bench_report.py (ten years, 1M a year), and (c) the month 2025-12 report over that 10M history,
  then again after adding 30M older dossiers (1986–2015, all closed): 40M. The database
  ``BENCH_HISTORY_DB`` (default motcua_summary_hist) is copied from ``BENCH_TEMPLATE_DB``
  (default motcua_bench_10m, made by bench_report.py; no session may be open on it) and migrated.

* ``BENCH_TEMPLATE_DB=… bench_history.py month`` — (c) alone, from a history already built: the
  month 2025-12 on a copy of the template (migrated, vacuumed, summarised like ``history``); run
  with motcua_bench_10m and with motcua_bench_40m (bench_partitioning.py: the same 10M plus 30M
  older dossiers) back to back, and compare.

Each database is summarised first (``stats.summary.summarise``, timed) and every report is
checked equal, counter by counter, to the live counters without the summary. Targets: (a) and
(b) ≤ 1 s, (c) the 40M month within 20% of the 10M month. Exits non-zero when one is missed.
``BENCH_KEEP=1`` keeps the databases (dropped at the end otherwise); ``BENCH_REUSE=1`` runs
``history`` again on the kept, summarised copy (before its 30M older dossiers are added).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from motcua.core.localtime import LOCAL_TZ as VN  # noqa: E402

SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
PROVINCE_DB = os.environ.get("BENCH_PROVINCE_DB", "motcua_history_20m")
PROVINCE_SIZE = int(os.environ.get("BENCH_PROVINCE_SIZE", "20000000"))
HISTORY_DB = os.environ.get("BENCH_HISTORY_DB", "motcua_history_10m")
TEMPLATE_DB = os.environ.get("BENCH_TEMPLATE_DB", "motcua_bench_10m")
OLDER = 30_000_000
TARGET_SECONDS = 1.0
HISTORY_LAST = datetime(2025, 12, 14).date()  # the fixture's last day (bench_report.HISTORY_END)
# (b)'s year and the previous one; the 10M history's earlier days are left live, like (c)'s
# older dossiers: no report timed here reads them (BENCH_SUMMARY_FROM=2016-01-01 for all)
HISTORY_SUMMARY_FROM = datetime.fromisoformat(
    os.environ.get("BENCH_SUMMARY_FROM", "2023-12-01")
).date()
TARGET_RATIO = 1.2


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_avg() -> str:
    return "load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


def best_of(fn, repeat: int = 3):
    best, result, loads = None, None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        loads.append(os.getloadavg()[0])
        best = elapsed if best is None else min(best, elapsed)
    return best, result, max(loads)


def best_cpu(fn, repeat: int = 3) -> float:
    """The least process CPU time of ``fn`` (Python's side; PostgreSQL's is not included)."""
    best = None
    for _ in range(repeat):
        c0 = time.process_time()
        fn()
        spent = time.process_time() - c0
        best = spent if best is None else min(best, spent)
    return best


def summarise_all(**kwargs) -> str:
    from motcua.stats.summary import summarise

    t0 = time.perf_counter()
    c0 = time.process_time()
    r = summarise(**kwargs)
    return (
        f"summarised {r.days} days ({r.rows:,} rows, {r.batches} batches) and took "
        f"{r.stock_days} stock days ({r.stock_rows:,} rows) in "
        f"{time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU here "
        f"({load_avg()})"
    )


def check_equal(root, period) -> None:
    """The report's own counters through the summary equal the live counters, per agency
    (``BENCH_NO_CHECK=1`` skips it: the property tests check the same equality)."""
    if os.environ.get("BENCH_NO_CHECK"):
        return
    from motcua.catalog.selectors import agency_subtree_ids
    from motcua.stats.counters import counts_by_agency_periods, live_counts_by_agency_periods

    ids = agency_subtree_ids(roots=[root.pk])
    p = period.counted_until(datetime.now(tz=VN))
    (fast,) = counts_by_agency_periods(agency_ids=ids, periods=[p])
    (plain,) = live_counts_by_agency_periods(agency_ids=ids, periods=[p])
    assert set(fast) == set(plain)
    for agency_id, counts in plain.items():
        assert fast[agency_id] == counts, agency_id


def report_case(label: str, root, period) -> float:
    """Best of 3 of the report with children, and what its parts cost."""
    from motcua.catalog.models import Agency
    from motcua.catalog.selectors import agency_children_map, agency_subtree_ids
    from motcua.stats.assembly import build_report, by_field
    from motcua.stats.counters import counts_by_agency, statistics_queries
    from motcua.stats.petitions import add_petition_counts
    from motcua.stats.sections import coverage, inter_agency, late_list, late_list_max
    from motcua.stats.work import add_work_counts

    p = period.counted_until(datetime.now(tz=VN))
    ids = agency_subtree_ids(roots=[root.pk])
    report_s, report, load = best_of(lambda: build_report(unit=root, period=period, children=True))

    def part(fn):
        def run():
            with statistics_queries():
                return fn()

        return best_of(run)[0] * 1000

    counters = part(lambda: counts_by_agency(agency_ids=ids, period=p))
    previous = part(lambda: counts_by_agency(agency_ids=ids, period=p.previous()))
    cap = late_list_max()
    late = part(lambda: late_list(agency_ids=ids, period=p, limit=cap))
    fields = part(lambda: by_field(agency_ids=ids, period=p))
    own = counts_by_agency(agency_ids=ids, period=p)
    kids = {k.code: k.pk for k in Agency.objects.filter(parent=root)}
    cmap = agency_children_map()
    live = {
        "coverage": lambda: coverage(agency_ids=ids, period=p, own=own),
        "inter-agency": lambda: inter_agency(agency_ids=ids, period=p),
        "work": lambda: add_work_counts(
            {}, subtree=ids, children_map=cmap, period=p, child_ids=kids
        ),
        "petitions": lambda: add_petition_counts(
            {}, subtree=ids, children_map=cmap, period=p, child_ids=kids
        ),
    }
    sections = ", ".join(f"{name} {part(fn):.0f} ms" for name, fn in live.items())
    cpu = best_cpu(lambda: build_report(unit=root, period=period, children=True))
    print(
        f"{label}: report with children {report_s * 1000:.0f} ms wall, {cpu * 1000:.0f} ms "
        f"CPU in this process (max load {load:.1f}) — counters {counters:.0f} ms, previous "
        f"period {previous:.0f} ms, late list {late:.0f} ms ({len(report['late_list']):,} rows "
        f"of {report['late_list_total']:,}), by field {fields:.0f} ms, {sections}; "
        f"{report['received']['new']:,} new, {report['pending']['total']:,} pending"
    )
    return report_s


def verdict(label: str, seconds: float, target: float = TARGET_SECONDS) -> bool:
    ok = seconds <= target
    print(f"{label}: {seconds:.3f} s, target {target:.1f} s: {'PASS' if ok else 'FAIL'}")
    return ok


def province() -> bool:
    import bench_report

    bench_report.BENCH_URL = f"{SERVER}/{PROVINCE_DB}"
    if not os.environ.get("BENCH_REUSE"):  # else the database of an earlier run, as it is
        bench_report.recreate_database()
        setup_django(PROVINCE_DB)
        root, agencies, procedures = bench_report.make_catalogue()
        start = datetime(2024, 12, 15, tzinfo=VN)
        load_s = bench_report.load(1, PROVINCE_SIZE, agencies, procedures, start=start)
        print(f"{PROVINCE_SIZE:,} dossiers in one year loaded in {load_s:.0f} s ({load_avg()})")
    else:
        setup_django(PROVINCE_DB)
    from motcua.catalog.models import Agency
    from motcua.stats.periods import parse_period

    root = Agency.objects.get(code="000.00.00.H99")
    print(summarise_all(until=HISTORY_LAST))  # idempotent: only what is missing or stale
    period = parse_period("2025-12")
    check_equal(root, period)
    check_equal(root, period.previous())
    label = f"(a) month {period.start}..{period.end} with children, {PROVINCE_SIZE:,}/year"
    return verdict(label, report_case(label, root, period))


def history() -> bool:
    import bench_report

    reuse = bool(os.environ.get("BENCH_REUSE"))  # the copy of a previous run, summarised
    if not reuse:
        admin(f'DROP DATABASE IF EXISTS "{HISTORY_DB}"')
        t0 = time.perf_counter()
        admin(f'CREATE DATABASE "{HISTORY_DB}" TEMPLATE "{TEMPLATE_DB}"')
        print(f"copied {TEMPLATE_DB} in {time.perf_counter() - t0:.0f} s")
    setup_django(HISTORY_DB)
    from motcua.catalog.models import Agency, Procedure, ProcedureAssignment
    from motcua.stats.periods import parse_period

    root = Agency.objects.get(code="000.00.00.H99")
    # idempotent: on a reused copy only what is missing or stale
    print(summarise_all(since=HISTORY_SUMMARY_FROM, until=HISTORY_LAST))
    year, month = parse_period("2025"), parse_period("2025-12")
    # (the year is checked only with BENCH_CHECK_YEAR=1: the live count of a year over 10M
    # takes minutes on a loaded machine; the property tests check the same equality)
    if os.environ.get("BENCH_CHECK_YEAR"):
        check_equal(root, year)
    check_equal(root, month)
    if os.environ.get("BENCH_CHECK_YEAR"):  # the comparison's stock comes from the snapshot
        check_equal(root, year.previous())
    label = f"(b) year {year.start}..{year.end} with children and comparison, 10M history"
    ok = verdict(label, report_case(label, root, year))
    month_10m = report_case(f"(c) month {month.start}..{month.end}, 10M history", root, month)
    if not os.environ.get("BENCH_WITH_40M"):  # (c) is run by `month` on two ready histories
        return ok

    agencies = sorted(set(ProcedureAssignment.objects.values_list("agency_id", flat=True)))
    procedures = list(Procedure.objects.order_by("pk").values_list("pk", flat=True))
    load_s = bench_report.load(
        10_000_001,
        10_000_000 + OLDER,
        agencies,
        procedures,
        start=datetime(1986, 1, 1, tzinfo=VN),
        end=datetime(2016, 1, 1, tzinfo=VN),
    )
    print(f"{OLDER:,} older dossiers (1986–2015) loaded in {load_s:.0f} s ({load_avg()})")
    # (their days are not summarised here: the month's report reads none of them; the bulk
    # load bypasses the stale-day triggers, and the month's own days are untouched)
    check_equal(root, month)
    month_40m = report_case(f"(c) month {month.start}..{month.end}, 40M history", root, month)
    ratio = month_40m / month_10m
    print(
        f"(c) 40M / 10M month report: {ratio:.2f}, target < {TARGET_RATIO}: "
        f"{'PASS' if ratio < TARGET_RATIO else 'FAIL'}"
    )
    return ok and ratio < TARGET_RATIO


def month() -> bool:
    """(c) from two ready histories: the month 2025-12 on a copy of ``BENCH_TEMPLATE_DB`` only
    (run it once with motcua_bench_10m, once with motcua_bench_40m — bench_partitioning.py's
    10M + 30M older dossiers, the same month — and compare the two figures)."""
    admin(f'DROP DATABASE IF EXISTS "{HISTORY_DB}"')
    t0 = time.perf_counter()
    admin(f'CREATE DATABASE "{HISTORY_DB}" TEMPLATE "{TEMPLATE_DB}"')
    print(f"copied {TEMPLATE_DB} in {time.perf_counter() - t0:.0f} s ({load_avg()})")
    t0 = time.perf_counter()
    setup_django(HISTORY_DB)
    print(f"migrated in {time.perf_counter() - t0:.0f} s ({load_avg()})")
    from django.db import connection

    from motcua.catalog.models import Agency
    from motcua.dossiers.models import Dossier
    from motcua.stats.periods import parse_period

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) dossiers_dossier")
    print(
        f"{Dossier.objects.count():,} dossiers; {summarise_all(since=HISTORY_SUMMARY_FROM, until=HISTORY_LAST)}"
    )
    root = Agency.objects.get(code="000.00.00.H99")
    period = parse_period("2025-12")
    check_equal(root, period)
    report_case(f"(c) month {period.start}..{period.end}, {TEMPLATE_DB}", root, period)
    return True


def main() -> int:
    case = sys.argv[1] if len(sys.argv) > 1 else ""
    if case not in ("province", "history", "month"):
        print(__doc__)
        return 2
    name = PROVINCE_DB if case == "province" else HISTORY_DB
    try:
        ok = {"province": province, "history": history, "month": month}[case]()
    finally:
        # the 20M-a-year province is kept (built once: BENCH_REUSE=1 times it again);
        # the copies of the template are dropped unless BENCH_KEEP=1
        if not os.environ.get("BENCH_KEEP") and case != "province":
            from django.db import connections

            connections.close_all()
            admin(f'DROP DATABASE IF EXISTS "{name}"')
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
