from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.control.services import decisions_apply_due
from motcua.core.errors import MotcuaError
from motcua.stats.periods import parse_date


class Command(BaseCommand):
    help = (
        "Apply to the catalogue every publication decision whose effective date has come. "
        "Idempotent: run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="apply as of this date (YYYY-MM-DD; default: today)")

    def handle(self, *args, today: str | None = None, **options) -> None:
        try:
            day = parse_date(today, what="date") if today else None
            result = decisions_apply_due(actor=None, today=day)
        except MotcuaError as exc:
            raise CommandError(str(exc)) from exc
        for decision in result.applied:
            self.stdout.write(f"applied {decision.number} (effective {decision.effective_from})")
        for decision, message in result.failed:
            self.stderr.write(f"NOT applied {decision.number}: {message}")
        self.stderr.write(f"{len(result.applied)} decision(s) applied")
        if result.failed:
            raise CommandError(f"{len(result.failed)} decision(s) could not be applied")
