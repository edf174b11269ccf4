"""`motcua retention apply [--dry-run]`: erase what the retention settings say is due."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.ops.retention import apply_retention


class Command(BaseCommand):
    help = (
        "apply: erase the personal data (MOTCUA_RETENTION_PERSONAL_DAYS) and the uploaded files "
        "(MOTCUA_RETENTION_FILES_DAYS) of dossiers closed longer ago than those days (0: kept "
        "forever). Statistics do not change: counters read no personal field. One `erase` event "
        "per dossier. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="erase what is due")
        apply.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, **opt) -> None:
        result = apply_retention(dry_run=opt["dry_run"])
        verb = "due" if opt["dry_run"] else "erased"
        self.stdout.write(
            f"personal data {verb}: {len(result.personal)} dossiers "
            f"(after {settings.MOTCUA_RETENTION_PERSONAL_DAYS} days); "
            f"files {verb}: {len(result.files)} dossiers "
            f"(after {settings.MOTCUA_RETENTION_FILES_DAYS} days)"
        )
