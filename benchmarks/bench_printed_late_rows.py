"""Benchmark: the province's narrative PDF with every late dossier printed against the
``MOTCUA_DOCUMENT_LATE_ROWS`` most overdue (decisions.md #52), in one process, alternated.

Run from the project root over a database made by ``bench_report.py``::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_x_200k \\
        .venv/bin/python benchmarks/bench_printed_late_rows.py [REPEAT]

``REPEAT`` (default 1) repeats the report's late list that many times, to stand for a longer
month; ``BENCH_N`` (default 3) the renders of each setting (best kept); ``BENCH_PERIOD``
(default 2025-12) the month. Prints the CPU time (``time.process_time``) of each setting.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_report"
)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import override_settings

    from motcua.catalog.models import Agency
    from motcua.stats import reports
    from motcua.stats.annexes import document_annexes
    from motcua.stats.assembly import consolidated_report
    from motcua.stats.periods import parse_period

    period = parse_period(os.environ.get("BENCH_PERIOD", "2025-12"))
    unit = Agency.objects.filter(parent__isnull=True).order_by("code").first()
    report = consolidated_report(unit=unit, period=period, children=True)
    options = document_annexes(report=report, unit=unit, period=period, fmt="pdf")
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    long = copy.deepcopy(report)
    long["late_list"] = [dict(row) for _ in range(repeat) for row in report["late_list"]]
    long["late_list_total"] = len(long["late_list"])
    settings = (0, 30)
    best = dict.fromkeys(settings, float("inf"))
    runs = int(os.environ.get("BENCH_N", "3"))
    for _ in range(runs):
        for rows in settings:
            with override_settings(MOTCUA_DOCUMENT_LATE_ROWS=rows):
                started = time.process_time()
                reports.render(long, fmt="pdf", **options)
                best[rows] = min(best[rows], time.process_time() - started)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    for rows in settings:
        print(
            f"{unit.code}: late list {len(long['late_list'])} rows, "
            f"MOTCUA_DOCUMENT_LATE_ROWS={rows}: PDF {best[rows] * 1000:.0f} ms CPU "
            f"(best of {runs}, load {load})"
        )


if __name__ == "__main__":
    main()
