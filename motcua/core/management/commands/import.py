from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from motcua.core.errors import ImportFailed
from motcua.core.interchange import IMPORTERS


class Command(BaseCommand):
    help = "Import agencies, procedures or dossiers from a CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, file: Path, **options) -> None:
        if not file.is_file():
            self.stderr.write(f"{file}: no such file")
            raise SystemExit(2)
        importer = import_string(IMPORTERS[kind])
        try:
            result = importer(path=file)
        except ImportFailed as exc:
            self.stderr.write(f"{file}: rejected, nothing was imported ({len(exc.errors)} errors):")
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            raise SystemExit(2) from exc
        self.stdout.write(f"{file}: {kind}: {result}")
