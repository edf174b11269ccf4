"""`motcua restore DIR`: a backup into an empty database, its checksums verified first."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.ops.backup import BackupError
from motcua.ops.health import pending_migrations
from motcua.ops.restore import restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `motcua backup` into an EMPTY database (refused otherwise) "
        "and its files into MEDIA_ROOT, after checking every file against the manifest. "
        "--verify-only checks the backup and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a backup folder (motcua-...)")
        parser.add_argument("--verify-only", action="store_true")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **opt) -> None:
        try:
            if opt["verify_only"]:
                manifest = verify_backup(opt["folder"])
                self.stdout.write(f"backup verified: {len(manifest['files'])} files")
                return
            manifest = restore_backup(opt["folder"], alias=opt["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored the backup of {manifest['created_at']} ({len(manifest['files'])} files)"
        )
        pending = pending_migrations(opt["database"])
        if pending:
            self.stdout.write(f"now run `motcua migrate`: {len(pending)} migrations to apply")
