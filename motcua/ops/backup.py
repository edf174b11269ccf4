"""Logical backups: the database and the uploaded files, with a manifest of checksums.

A backup is a folder ``motcua-<UTC time>`` holding

- ``database.dump`` (PostgreSQL, ``pg_dump`` custom format: one consistent snapshot) or
  ``database.sqlite3`` (SQLite, the online backup API: a consistent copy while others write);
- ``media/``: a copy of the uploaded files (``MEDIA_ROOT``), taken after the database so every
  file a backed-up row names is there;
- ``manifest.json``, written last: when, which engine, every file with its SHA-256 and size,
  the applied migrations. A folder without a manifest is an unfinished backup.

The folder is built as ``<name>.partial`` and renamed when complete. ``restore`` (module
``motcua.ops.restore``) verifies the manifest before touching anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
PREFIX = "motcua-"
FORMAT_VERSION = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says what and where."""


def backup_dirs(root: Path | str) -> list[Path]:
    """The complete backups under ``root`` (a manifest written), oldest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file()
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq variables for ``pg_dump`` / ``pg_restore`` (the password never on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def _dump_database(alias: str, folder: Path) -> str:
    """Write the database into ``folder``; returns the file's name."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("a backup cannot run inside a transaction: it would not see its end")
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        name = connection.settings_dict["NAME"]
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        command += ["--file", str(target), "--dbname", name]
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=pg_environment(connection.settings_dict), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump of database {name!r} failed: {result.stderr.strip()}")
        return target.name
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target.name
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _copy_media(folder: Path) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    copied = []
    if media.is_dir():
        for source in sorted(media.rglob("*")):
            if source.is_file() and not source.is_symlink():
                target = folder / "media" / source.relative_to(media)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                copied.append(target)
    return copied


def file_entry(folder: Path, path: Path) -> dict[str, Any]:
    return {
        "path": path.relative_to(folder).as_posix(),
        "sha256": sha256_of(path),
        "size": path.stat().st_size,
    }


def take_backup(*, output: Path | str | None = None, alias: str = "default") -> Path:
    """Back up the database and the uploaded files under ``output``; returns the folder."""
    root = Path(output or settings.MOTCUA_BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    name = PREFIX + now.strftime("%Y%m%dT%H%M%S%fZ")
    partial = root / (name + ".partial")
    partial.mkdir()
    try:
        migrations = applied_migrations(alias)
        database = _dump_database(alias, partial)
        media = _copy_media(partial)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": connections[alias].vendor,
            "database": database,
            "media_root": str(settings.MEDIA_ROOT),
            "files": [file_entry(partial, partial / database)]
            + [file_entry(partial, path) for path in media],
            "migrations": migrations,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        final = root / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def prune_backups(root: Path | str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` complete backups; returns the deleted folders."""
    if keep < 1:
        raise BackupError(f"--keep must be at least 1, not {keep}")
    dirs = backup_dirs(root)
    removed = dirs[:-keep]
    for folder in removed:
        shutil.rmtree(folder)
    return removed
