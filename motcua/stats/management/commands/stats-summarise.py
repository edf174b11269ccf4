"""`motcua stats-summarise [--since DATE] [--until DATE] [--rebuild]`: keep the daily summary
current (stats/summary.py). Idempotent; run it after midnight (deploy/motcua-summarise.timer)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.errors import MotcuaError
from motcua.stats.periods import parse_date
from motcua.stats.summary import summarise


class Command(BaseCommand):
    help = (
        "Summarise every complete day not summarised yet, and redo the days a later change "
        "made stale (the reports read them live meanwhile). --rebuild redoes every day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="first day, YYYY-MM-DD (default: the summary's first)")
        parser.add_argument("--until", help="last day, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--rebuild", action="store_true", help="redo the days already done")

    def handle(self, *args, **options) -> None:
        try:
            since = parse_date(options["since"], what="date") if options["since"] else None
            until = parse_date(options["until"], what="date") if options["until"] else None
            t0 = time.perf_counter()
            result = summarise(since=since, until=until, rebuild=options["rebuild"])
        except MotcuaError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(days)d day(s) summarised (%(rows)d rows, %(batches)d batch(es)) in %(s).1f s")
            % {
                "days": result.days,
                "rows": result.rows,
                "batches": result.batches,
                "s": time.perf_counter() - t0,
            }
        )
