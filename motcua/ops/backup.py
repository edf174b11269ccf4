"""Logical backups: the database and the uploaded files, with a manifest of checksums."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

MANIFEST = "manifest.json"
PREFIX = "motcua-"


def backup_dirs(root: Path | str) -> list[Path]:
    """The complete backups under ``root`` (a manifest written), oldest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file()
    )


def latest_backup_time(root: Path | str) -> float | None:
    """When the newest complete backup under ``root`` was taken (Unix time), or None."""
    dirs = backup_dirs(root)
    if not dirs:
        return None
    try:
        created = json.loads((dirs[-1] / MANIFEST).read_text())["created_at"]
        return dt.datetime.fromisoformat(created).timestamp()
    except (OSError, ValueError, KeyError):
        return None
