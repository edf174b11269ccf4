"""`motcua audit verify [--since DATE]` and `motcua audit digest [--date DATE]`."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.ops.auditchain import make_digests, verify


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "verify: check every dossier's chain of event hashes and the daily digests; lists each "
        "altered, deleted or reordered event and exits with 1 if any. digest: record (or check, "
        "when already recorded) each agency's digest of a day (default: yesterday)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="check the chains and the digests")
        check.add_argument("--since", help="only dossiers with events recorded since YYYY-MM-DD")
        digest = sub.add_parser("digest", help="record the day's digest of each agency")
        digest.add_argument("--date", help="the day, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, **opt) -> None:
        if opt["action"] == "digest":
            day = _date(opt["date"]) if opt["date"] else timezone.localdate() - dt.timedelta(days=1)
            mismatches = 0
            for digest, status in make_digests(day):
                self.stdout.write(
                    f"{day} {digest.agency_id} {digest.dossiers} {digest.digest} {status}"
                )
                mismatches += status == "MISMATCH"
            if mismatches:
                raise CommandError(f"{mismatches} digests of {day} no longer match the events")
            return
        since = _date(opt["since"]) if opt["since"] else None
        started = time.perf_counter()
        count = 0
        for problem in verify(since=since):
            count += 1
            self.stdout.write(str(problem))
        seconds = time.perf_counter() - started
        if count:
            raise CommandError(f"{count} problems found in {seconds:.1f} s")
        self.stdout.write(f"all chains verify ({seconds:.1f} s)")
