"""`motcua personal-data export ID_NUMBER`: a person's own data, as JSON (Decree 13/2023)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.ops.personal import subject_export


class Command(BaseCommand):
    help = (
        "export ID_NUMBER: the dossiers of the applicant with this ID number, their data as "
        "entered and each dossier's history, as JSON. Every dossier given is written to the "
        "personal-data access log with --reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="a person's own data")
        export.add_argument("id_number")
        export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
        export.add_argument(
            "--reason", default="data subject's request", help="why (kept in the access log)"
        )

    def handle(self, *args, **opt) -> None:
        try:
            data = subject_export(id_number=opt["id_number"], actor=None, purpose=opt["reason"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if opt["output"]:
            opt["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        self.stderr.write(f"{len(data['dossiers'])} dossiers")
