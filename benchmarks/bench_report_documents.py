"""Benchmark: every report document of one unit of each level, one by one, and the province's
monthly round, over an existing database (issue 12: any single document ≤ 1 s; the round of
181 units ≤ 60 s at 10M dossiers).

Run from the project root, on a migrated copy of the benchmark database (it is only read; the
round writes into a temporary folder)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_x_10m \\
        .venv/bin/python benchmarks/bench_report_documents.py
    BENCH_ROOT=/path/to/older/checkout ... .venv/bin/python benchmarks/bench_report_documents.py

``BENCH_ROOT`` measures another checkout with this same script (run the two alternately for a
before/after ratio on a shared machine). ``BENCH_ROUND=0`` leaves the round out,
``BENCH_DOCUMENTS=0`` the documents; ``BENCH_JOBS`` (default 2) is the round's processes; ``BENCH_PERIOD`` (default 2025-12) the month; ``BENCH_UNITS``
(default: the province, the first department and the first commune by code) the units.

For each unit: the report's build (``consolidated_report`` with children, as the round makes
it), then each document made from it (narrative DOCX and PDF, Biểu 06 XLSX, with the annexes
the round gives them) and the TTHC control report (its build, its DOCX and PDF), each the best of 3,
wall time and the process's CPU time (the machine is shared: CPU time moves less with the
load). Then the round into an empty folder and again (every unit up to date). Exits non-zero
when a target is missed; the figures are printed either way, with the load average.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_10m"
)
DOCUMENT_TARGET = 1.0
ROUND_TARGET = 60.0


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def best_of(fn, repeat: int = 3) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``repeat`` calls."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best = min(best, (wall, cpu))
    return best


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def units():
    from motcua.catalog.models import Agency

    codes = os.environ.get("BENCH_UNITS")
    if codes:
        return [Agency.objects.get(code=code) for code in codes.split(",")]
    found = [Agency.objects.filter(parent__isnull=True).order_by("code").first()]
    for level in ("department", "commune"):
        unit = Agency.objects.filter(level__code=level).order_by("code").first()
        if unit is not None:
            found.append(unit)
    return found


def documents(unit, period) -> bool:
    from motcua.control.documents import render_control_report
    from motcua.control.report import build_control_report
    from motcua.stats import reports
    from motcua.stats.annexes import document_annexes
    from motcua.stats.assembly import consolidated_report

    ok = True
    line = [f"  {unit.code} ({unit.level.code}):"]
    wall, cpu = best_of(lambda: consolidated_report(unit=unit, period=period, children=True))
    line.append(f"report built {wall * 1000:.0f} ms ({cpu * 1000:.0f} CPU);")
    report = consolidated_report(unit=unit, period=period, children=True)
    for fmt in reports.FORMATS:
        options = document_annexes(report=report, unit=unit, period=period, fmt=fmt)
        wall, cpu = best_of(
            lambda fmt=fmt, options=options: reports.render(report, fmt=fmt, **options)
        )
        line.append(f"{fmt.upper()} {wall * 1000:.0f} ms ({cpu * 1000:.0f});")
        ok &= wall <= DOCUMENT_TARGET
    wall, cpu = best_of(lambda: build_control_report(unit=unit, period=period))
    control = build_control_report(unit=unit, period=period)
    line.append(f"control report built {wall * 1000:.0f} ms ({cpu * 1000:.0f});")
    for fmt in ("docx", "pdf"):
        wall, cpu = best_of(lambda fmt=fmt: render_control_report(control, fmt=fmt))
        line.append(f"its {fmt.upper()} {wall * 1000:.0f} ms ({cpu * 1000:.0f});")
        ok &= wall <= DOCUMENT_TARGET
    print(" ".join(line), flush=True)
    return ok


def round_(root, period, jobs: int) -> bool:
    from motcua.stats.rounds.writer import write_round

    with tempfile.TemporaryDirectory() as folder:
        before = load()
        started = time.perf_counter()
        result = write_round(root=root, period=period, output=Path(folder), jobs=jobs)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        again = write_round(root=root, period=period, output=Path(folder), jobs=jobs)
        warm = time.perf_counter() - started
        size = result.zip_path.stat().st_size
    print(
        f"  round of {root.code}: {len(result.units)} units, {len(result.written)} written in "
        f"{cold:.1f} s ({jobs} processes, load {before} before, {load()} after); again "
        f"{warm:.1f} s ({len(again.written)} written); ZIP {size / 1e6:.1f} MB",
        flush=True,
    )
    return cold <= ROUND_TARGET


def main() -> int:
    setup()
    import subprocess

    from motcua.stats.periods import parse_period

    period = parse_period(os.environ.get("BENCH_PERIOD", "2025-12"))
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"{ROOT} ({commit}), {DATABASE.rsplit('/', 1)[-1]}, {period.start} – {period.end}, "
        f"load {load()}",
        flush=True,
    )
    chosen = units()
    ok = True
    if os.environ.get("BENCH_DOCUMENTS", "1") != "0":
        for unit in chosen:
            ok &= documents(unit, period)
    if os.environ.get("BENCH_ROUND", "1") != "0":
        ok &= round_(chosen[0], period, int(os.environ.get("BENCH_JOBS", "2")))
    print("targets held" if ok else "TARGET MISSED", f"(load {load()})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
