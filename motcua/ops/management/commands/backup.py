"""`motcua backup [--output DIR] [--keep N]`: database and uploaded files, with a manifest."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.ops.backup import BackupError, prune_backups, take_backup


class Command(BaseCommand):
    help = (
        "Consistent logical backup (pg_dump custom format on PostgreSQL, the online backup API "
        "on SQLite) plus the uploaded files, with manifest.json (SHA-256 of every file, applied "
        "migrations); keeps the newest --keep backups (MOTCUA_BACKUP_KEEP)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="folder of backups (MOTCUA_BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="backups kept (MOTCUA_BACKUP_KEEP)")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **opt) -> None:
        root = opt["output"] or settings.MOTCUA_BACKUP_DIR
        keep = opt["keep"] if opt["keep"] is not None else settings.MOTCUA_BACKUP_KEEP
        try:
            if keep < 1:
                raise BackupError(f"--keep must be at least 1, not {keep}")
            folder = take_backup(output=root, alias=opt["database"])
            removed = prune_backups(root, keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(folder))
        for old in removed:
            self.stderr.write(f"removed old backup {old}")
