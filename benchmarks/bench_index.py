"""Benchmark: the Decision 766 index of a province with its children (ranking), on PostgreSQL,
over the fixture of bench_report.py (181 agencies, ten years of generated history).

Run from the project root: ``.venv/bin/python benchmarks/bench_index.py`` (PostgreSQL at
``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/motcua_bench_index``; the
database is dropped and created again). ``BENCH_SIZES=200000,1000000`` sets the sizes;
``BENCH_REUSE=1`` times again on the database of the last run. The period is the calendar month
2025-11 (the portal scores calendar months). Target (issue 17): ≤ 2 s at 10M dossiers; the
script prints the time at each size and says whether the target held at the sizes run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_index")

import bench_report as base  # noqa: E402 - the same fixture, built the same way

TARGET_SECONDS = 2.0


def timed_index(root, period, repeat: int = 3) -> tuple[float, dict]:
    from motcua.stats.service_index.scoring import compute_index

    best, result = float("inf"), {}
    for _ in range(repeat):
        t = time.perf_counter()
        result = compute_index(unit=root, period=period, children=True)
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> int:
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "200000,1000000").split(",")]
    if os.environ.get("BENCH_REUSE"):
        base.setup_django()
    else:
        base.recreate_database()
        base.setup_django()
    from motcua.catalog.models import Agency
    from motcua.dossiers.models import Dossier
    from motcua.stats.periods import parse_period

    period = parse_period("2025-11", cutoff=0)
    ok = True
    if os.environ.get("BENCH_REUSE"):
        root = Agency.objects.get(code="000.00.00.H99")
        runs = [Dossier.objects.count()]
    else:
        root, agencies, procedures = base.make_catalogue()
        runs = sorted(sizes)
    loaded = 0
    for size in runs:
        if not os.environ.get("BENCH_REUSE"):
            base.load(loaded + 1, size, agencies, procedures)
            loaded = size
        seconds, index = timed_index(root, period)
        print(
            f"{size:>11,} dossiers: index with {len(index['children'])} ranked children "
            f"{seconds * 1000:.0f} ms (best of 3); score {index['score']['scaled']} "
            f"({index['score']['points']}/{index['score']['max']})"
        )
        if seconds > TARGET_SECONDS:
            ok = False
    print("within 2 s at the sizes run" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
