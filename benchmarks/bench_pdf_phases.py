"""Benchmark: where one report PDF's CPU goes — WeasyPrint's phases, and what its options cost.

Run from the project root over a database made by ``bench_report.py``::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_x_200k \\
        .venv/bin/python benchmarks/bench_pdf_phases.py [province|department|commune]

For the first unit of the level (by code), the narrative report with the annexes the round gives
it: the CPU time (``time.process_time``) of a render after a warm one, split into WeasyPrint's
phases (HTML parse, styles, boxes, layout, drawing, writing; its functions are wrapped), mean of
``BENCH_N`` (default 5) renders; then the same HTML written with each ``write_pdf`` option the
project does not use, alternated, best of ``BENCH_N``, with the PDF's size.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_report"
)
OPTIONS = {
    "defaults": {},
    "optimize_images": {"optimize_images": True},
    "full_fonts": {"full_fonts": True},
    "hinting": {"hinting": True},
    "uncompressed_pdf": {"uncompressed_pdf": True},
    "no image cache": {"cache": None},
}


def timed(spent: collections.Counter, owner, name: str, label: str) -> None:
    """Wrap ``owner.name`` so that its CPU time adds up in ``spent[label]``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    setattr(owner, name, wrapper)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import weasyprint
    import weasyprint.document as wd

    spent: collections.Counter = collections.Counter()
    timed(spent, weasyprint, "HTML", "parse")
    timed(spent, wd, "get_all_computed_styles", "styles")
    timed(spent, wd, "build_formatting_structure", "boxes")
    timed(spent, wd.Document, "_render", "render")
    timed(spent, wd, "draw_page", "drawing")
    timed(spent, wd, "generate_pdf", "pdf")

    from motcua.catalog.models import Agency
    from motcua.core.documents import pdf
    from motcua.core.documents import render as render_document
    from motcua.stats import reports
    from motcua.stats.annexes import document_annexes
    from motcua.stats.assembly import consolidated_report
    from motcua.stats.periods import parse_period

    level = sys.argv[1] if len(sys.argv) > 1 else "commune"
    units = Agency.objects.order_by("code")
    units = (
        units.filter(parent__isnull=True)
        if level == "province"
        else units.filter(level__code=level)
    )
    unit = units.first()
    period = parse_period(os.environ.get("BENCH_PERIOD", "2025-12"))
    report = consolidated_report(unit=unit, period=period, children=True)
    options = document_annexes(report=report, unit=unit, period=period, fmt="pdf")
    document = reports.build(report, fmt="pdf", **options)
    runs = int(os.environ.get("BENCH_N", "5"))
    render_document(document, fmt="pdf")
    spent.clear()
    started = time.process_time()
    for _ in range(runs):
        render_document(document, fmt="pdf")
    total = (time.process_time() - started) / runs
    phases = {
        "parse": spent["parse"],
        "styles": spent["styles"],
        "boxes": spent["boxes"],
        "layout": spent["render"] - spent["styles"] - spent["boxes"],
        "drawing": spent["drawing"],
        "writing": spent["pdf"] - spent["drawing"],
    }
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{unit.code} ({level}), load {load}: PDF {total * 1000:.0f} ms CPU (mean of {runs});")
    print("  " + ", ".join(f"{k} {v / runs * 1000:.0f}" for k, v in phases.items()))

    html = pdf.html(document, styled=False)
    engine = pdf.engine()
    stylesheet = engine.stylesheet(document.paper, document.orientation)

    def write(**extra) -> bytes:
        extra.setdefault("cache", engine.images)
        with pdf.cyclic_gc_paused():
            return engine.html(string=html).write_pdf(
                stylesheets=[stylesheet], font_config=engine.fonts, **extra
            )

    best = dict.fromkeys(OPTIONS, float("inf"))
    size = {}
    for _ in range(runs):
        for name, extra in OPTIONS.items():
            started = time.process_time()
            size[name] = len(write(**extra))
            best[name] = min(best[name], time.process_time() - started)
    for name in OPTIONS:
        print(f"  {name:18s} {best[name] * 1000:6.0f} ms CPU  {size[name] / 1024:6.0f} KiB")


if __name__ == "__main__":
    main()
