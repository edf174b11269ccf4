"""`motcua index`: the Decision 766 service index of a unit for a period (JSON, XLSX, DOCX)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.errors import MotcuaError
from motcua.stats.periods import resolve_period
from motcua.stats.service_index.documents import render
from motcua.stats.service_index.scoring import compute_index, unit_by_code

FORMATS = ("json", "xlsx", "docx")


class Command(BaseCommand):
    help = (
        "The Decision 766/QĐ-TTg service index of a unit (an agency and its descendants): "
        "--period YYYY-MM (calendar months, as the national portal scores them, unless --cutoff "
        "is given) or --from/--to; --children ranks the child units."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="agency code, e.g. 000.00.02.H23")
        parser.add_argument("--period", help="2026-11, 2026-Q4, 2026-H2, 2026-M9 or 2026")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--cutoff", type=int, help="last day of a month's period (0: calendar)")
        parser.add_argument("--children", action="store_true", help="rank the child units")
        parser.add_argument("--format", default="json", choices=FORMATS)
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, **opt) -> None:
        try:
            cutoff = 0 if opt["cutoff"] is None else opt["cutoff"]
            period = resolve_period(
                period=opt["period"], start=opt["start"], end=opt["end"], cutoff=cutoff
            )
            index = compute_index(
                unit=unit_by_code(opt["unit"]), period=period, children=opt["children"]
            )
        except MotcuaError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from exc
        if opt["format"] == "json":
            data = (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode()
        else:
            data = render(index, opt["format"])
        out: Path | None = opt["output"]
        if out is not None:
            out.write_bytes(data)
        elif opt["format"] == "json":
            self.stdout.write(data.decode(), ending="")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
