"""Helpers of the restore drill: run code against another database in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

READ_BACK = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.core.files.storage import default_storage
from motcua.dossiers.models import Dossier, DossierFile
from motcua.ops.backup import sha256_of
from pathlib import Path
from django.conf import settings
unit, period = sys.argv[1], sys.argv[2]
from motcua.stats.periods import resolve_period
from motcua.stats.assembly import report_for_code
report = report_for_code(code=unit, period=resolve_period(period=period, start=None, end=None, cutoff=None))
files = {
    f.sha256: sha256_of(Path(settings.MEDIA_ROOT) / f.file.name) if (Path(settings.MEDIA_ROOT) / f.file.name).is_file() else None
    for f in DossierFile.objects.all()
}
print(json.dumps({"codes": sorted(Dossier.objects.values_list("code", flat=True)), "report": report, "files": files}, default=str))
"""


def database_url(name: str) -> str:
    """The URL of database ``name`` on the server (PostgreSQL) or of file ``name`` (SQLite)."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    return f"sqlite:///{name}"


def motcua(url: str, media: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    env.pop("TEST_SQLITE_NAME", None)
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
    )


def read_back(url: str, media: Path, unit: str, period: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK, unit, period],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)
