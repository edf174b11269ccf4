"""Benchmark: `motcua import procedures` of 10,000 rows, then a re-import and an export.

Run from the project root: ``.venv/bin/python benchmarks/bench_catalog_import.py``.
Uses a fresh SQLite file in a temporary folder (or ``BENCH_DATABASE_URL`` when set, e.g. a
scratch PostgreSQL database: its catalogue tables are filled). Exits non-zero when the first
import of 10,000 rows takes more than 10 seconds.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
AGENCIES = 500
ROWS = 10_000


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.catalog.interchange import export_procedures, import_agencies, import_procedures

    call_command("migrate", verbosity=0)
    agencies = folder / "agencies.csv"
    lines = ["code,name,level,parent_code", "B00.00,UBND tỉnh,province,"]
    lines += [f"B00.{n:03d},Sở {n},provincial_agency,B00.00" for n in range(1, AGENCIES)]
    agencies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_agencies(path=agencies)

    procedures = folder / "procedures.csv"
    header = "code,name,field,agency_code,processing_time,time_unit,one_way,online_class,postal"
    rows = [header]
    n = 0
    while len(rows) <= ROWS:
        # every third procedure is handled by three agencies
        for k in range(3 if n % 3 == 0 else 1):
            agency = f"B00.{(n + k * 7) % (AGENCIES - 1) + 1:03d}"
            rows.append(
                f"1.{n:06d},Thủ tục số {n},Lĩnh vực {n % 60},{agency},{n % 30 + 1},,false,full,true"
            )
        n += 1
    procedures.write_text("\n".join(rows[: ROWS + 1]) + "\n", encoding="utf-8")

    t0 = time.perf_counter()
    first = import_procedures(path=procedures)
    first_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = import_procedures(path=procedures)
    again_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = io.StringIO()
    exported = export_procedures(out=out)
    export_seconds = time.perf_counter() - t0

    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"first import of {ROWS} rows: {first_seconds:.2f} s ({first})")
    print(f"re-import of the same file: {again_seconds:.2f} s ({again})")
    print(f"export of {exported} rows: {export_seconds:.2f} s")
    if first_seconds > TARGET_SECONDS:
        print(f"FAIL: first import slower than {TARGET_SECONDS} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
