"""Benchmark: the province's monthly round (`motcua report-round`) and single documents, on
PostgreSQL, over the fixture of bench_report.py (181 agencies, ten years of generated history).

Run from the project root: ``.venv/bin/python benchmarks/bench_report_round.py`` (PostgreSQL at
``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/motcua_bench_round``; the
database is dropped and created again). ``BENCH_SIZES=1000000,10000000`` sets the sizes;
``BENCH_REUSE=1`` times again on the database of the last run; ``BENCH_JOBS`` (default 2) is
the round's processes.

Measured at each size, for the month 2025-12 by the deployment's cut-off:
- the round of the province: 181 units × (DOCX, PDF, XLSX) and the ZIP, into an empty folder
  (target, issue 12: ≤ 60 s at 10M), then again into the same folder (nothing changed: every
  unit up to date);
- the province's report documents one by one, each the best of 3 after its report is built
  (target: any single document ≤ 1 s), and the build of that report.
Exits non-zero when a target is missed (the figures are printed either way).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_round")

import bench_report as base  # noqa: E402 - the same fixture, built the same way


def measure(root, period, jobs: int) -> bool:
    """The round and the province's documents, timed as bench_report_documents.py times them
    (one home for what a round and a document are measured by)."""
    import bench_report_documents as timing

    ok = timing.round_(root, period, jobs)
    return timing.documents(root, period) and ok


def main() -> int:
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "1000000,10000000").split(",")]
    jobs = int(os.environ.get("BENCH_JOBS", "2"))
    reuse = bool(os.environ.get("BENCH_REUSE"))
    if not reuse:
        base.recreate_database()
    base.setup_django()
    from motcua.catalog.models import Agency
    from motcua.dossiers.models import Dossier
    from motcua.stats.periods import parse_period

    period = parse_period("2025-12")
    ok = True
    if reuse:
        root = Agency.objects.get(code="000.00.00.H99")
        runs = [Dossier.objects.count()]
    else:
        root, agencies, procedures = base.make_catalogue()
        runs = sorted(sizes)
    loaded = 0
    for size in runs:
        if not reuse:
            base.load(loaded + 1, size, agencies, procedures)
            loaded = size
        print(f"{size:>11,} dossiers, {period.start} – {period.end}:")
        ok &= measure(root, period, jobs)
    print("targets held at the sizes run" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
