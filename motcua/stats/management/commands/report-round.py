"""`motcua report-round --period 2026-11 [--unit CODE] [--output DIR]`: the province's round."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.errors import MotcuaError
from motcua.stats.periods import resolve_period
from motcua.stats.rounds.writer import UnitDone, write_round

BAR = 30


class Command(BaseCommand):
    help = (
        "The monthly round: for the unit (by default the province, the one agency without a "
        "parent) and every agency below it, the narrative report (DOCX and PDF) and Biểu 06 "
        "(XLSX), written under DIR/<period>/, and DIR/<period>.zip. Idempotent: a unit whose "
        "figures and files are unchanged is not written again, and an interrupted round resumes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="2026-11, 2026-Q4, 2026-H2, 2026-M9 or 2026")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--cutoff", type=int, help="last day of a month's period (0: calendar)")
        parser.add_argument("--unit", help="agency code (default: the province)")
        parser.add_argument(
            "--output", "-o", type=Path, default=Path("report-rounds"), help="folder to write into"
        )
        parser.add_argument(
            "--jobs",
            "-j",
            type=int,
            default=None,
            help="processes making documents (default: the CPUs this process may use)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(2)

    def handle(self, *args, **opt) -> None:
        try:
            period = resolve_period(
                period=opt["period"], start=opt["start"], end=opt["end"], cutoff=opt["cutoff"]
            )
        except MotcuaError as exc:
            self.fail(str(exc))
        root = self._root(opt["unit"])
        self._tty = sys.stderr.isatty()
        progress = None if opt["quiet"] else self._progress
        try:
            result = write_round(
                root=root,
                period=period,
                output=opt["output"],
                progress=progress,
                jobs=opt["jobs"] or len(os.sched_getaffinity(0)),
            )
        except MotcuaError as exc:
            self.stderr.write("")
            self.stderr.write(str(exc))
            raise SystemExit(1) from None
        self.stdout.write(
            _("%(units)d units (%(written)d written, %(skipped)d up to date): %(zip)s")
            % {
                "units": len(result.units),
                "written": len(result.written),
                "skipped": len(result.skipped),
                "zip": result.zip_path,
            }
        )

    def _root(self, code: str | None) -> Agency:
        if code:
            unit = Agency.objects.filter(code=code).first()
            if unit is None:
                self.fail(_("Unknown unit '%(code)s'.") % {"code": code})
            return unit
        roots = list(Agency.objects.filter(parent=None).order_by("code")[:2])
        if len(roots) != 1:
            self.fail(_("There is no single top unit in the catalogue; name one with --unit CODE."))
        return roots[0]

    def _progress(self, done: UnitDone) -> None:
        filled = BAR * done.index // done.total
        state = _("written") if done.written else _("up to date")
        line = (
            f"[{'#' * filled}{'.' * (BAR - filled)}] {done.index}/{done.total} {done.code} {state}"
        )
        if self._tty:
            end = "\n" if done.index == done.total else ""
            self.stderr.write("\r" + line.ljust(90), ending=end)
            self.stderr.flush()
        else:
            self.stderr.write(line)
