"""`motcua report`: a unit's report for a period, as JSON or as the documents people file."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.core.errors import MotcuaError
from motcua.stats.annexes import document_annexes
from motcua.stats.assembly import report_for_code, report_json, report_violations
from motcua.stats.periods import resolve_period
from motcua.stats.selectors import report_settings_options
from motcua.stats.service_index.scoring import unit_by_code

FORMATS = ("json", "xlsx", "docx", "pdf")


class Command(BaseCommand):
    help = (
        "Report of a unit (an agency and its descendants) for a period: --from/--to dates, or "
        "--period YYYY-MM | YYYY-Q1..Q4 | YYYY-H1/H2 | YYYY-M9 | YYYY by the cut-off rule. "
        "--cutoff N is the last day of each month's period (20: the 21st to the 20th; 14: Decree "
        "09/2019's 15th to the 14th; 0: calendar months); by default the deployment's "
        "MOTCUA_PERIOD_CUTOFF_DAY (same meaning; 14 by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="agency code, e.g. 000.00.02.H23")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--period", help="2021-10, 2020-Q2, 2020-H1, 2020-M9 or 2020")
        parser.add_argument("--cutoff", type=int, help="last day of a month's period (0: calendar)")
        parser.add_argument("--children", action="store_true", help="one section per child unit")
        parser.add_argument("--format", default="json", choices=FORMATS)
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(2)

    def handle(self, *args, **opt) -> None:
        try:
            period = resolve_period(
                period=opt["period"], start=opt["start"], end=opt["end"], cutoff=opt["cutoff"]
            )
            report = report_for_code(code=opt["unit"], period=period, children=opt["children"])
        except MotcuaError as exc:
            self.fail(str(exc))
        violations = report_violations(report)
        if violations:
            self.stderr.write(_("The report breaks the identities of statistics.md §2:"))
            for v in violations:
                self.stderr.write("  " + v)
            raise SystemExit(1)
        fmt = opt["format"]
        if fmt == "json":
            data = report_json(report)
        else:
            unit = unit_by_code(opt["unit"])
            # the unit's remembered header, number, recipients and signer, as on the dashboard
            options = report_settings_options(agency_ids=[unit.pk]).get(unit.pk, {})
            options |= document_annexes(report=report, unit=unit, period=period, fmt=fmt)
            data = self.render(report, fmt, **options)
        out: Path | None = opt["output"]
        if out is not None:
            out.write_bytes(data)
        elif fmt == "json":
            self.stdout.write(data.decode(), ending="")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()

    def render(self, report: dict, fmt: str, **options) -> bytes:
        try:
            from motcua.stats.reports import render
        except ImportError:
            self.fail(
                _(
                    "The %(fmt)s format is not available in this installation yet; use --format json."
                )
                % {"fmt": fmt}
            )
        return render(report, fmt=fmt, **options)
