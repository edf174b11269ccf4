from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.selectors import agency_for_code
from motcua.control.documents import FORMATS, render_control_report
from motcua.control.report import build_control_report
from motcua.core.errors import MotcuaError
from motcua.stats.periods import parse_period
from motcua.stats.selectors import report_settings_options


class Command(BaseCommand):
    help = "The TTHC-control report (seed 004) of a unit for a period, as JSON, DOCX or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="agency identifier code")
        parser.add_argument(
            "--period",
            required=True,
            help="2020-Q2 (a quarter, usual), 2020-H1, 2020-M9, 2020 or 2020-06; by the "
            "deployment's cut-off day",
        )
        parser.add_argument("--cutoff", type=int, help="last day included of each month")
        parser.add_argument("--format", choices=("json", *FORMATS), default="json")
        parser.add_argument("--output", "-o", type=Path, help="file (default: standard output)")
        parser.add_argument("--place", default="", help="place on the date line")
        parser.add_argument("--signer", default="")

    def handle(self, *args, **options) -> None:
        unit = agency_for_code(code=options["unit"])
        if unit is None:
            raise CommandError(f"--unit: no agency with code '{options['unit']}'")
        try:
            period = parse_period(options["period"], cutoff=options["cutoff"])
            report = build_control_report(unit=unit, period=period)
        except MotcuaError as exc:
            raise CommandError(str(exc)) from exc
        output: Path | None = options["output"]
        fmt = options["format"]
        if fmt in FORMATS:
            if output is None:
                raise CommandError(f"--format {fmt} needs --output FILE")
            # the unit's remembered header, number, recipients and signer, as on the dashboard
            printed = report_settings_options(agency_ids=[unit.pk]).get(unit.pk, {})
            printed |= {
                name: value
                for name, value in (("place", options["place"]), ("signer_name", options["signer"]))
                if value
            }
            output.write_bytes(render_control_report(report, fmt=fmt, **printed))
            self.stderr.write(f"written {output}")
            return
        data = json.dumps(report, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(data)
        else:
            output.write_text(data + "\n", encoding="utf-8")
