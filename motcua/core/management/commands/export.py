from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from motcua.core.interchange import EXPORTERS
from motcua.core.replica import reads_from_replica


class Command(BaseCommand):
    help = "Export agencies, procedures or dossiers as CSV in the import format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTERS))
        parser.add_argument(
            "--output", "-o", type=Path, help="file to write (default: standard output)"
        )

    def handle(self, *args, kind: str, output: Path | None, **options) -> None:
        exporter = import_string(EXPORTERS[kind])
        with reads_from_replica():  # an export tolerates a few seconds of lag
            if output is None:
                count = exporter(out=sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = exporter(out=out)
        self.stderr.write(f"{kind}: {count} rows exported")
