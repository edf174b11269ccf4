"""Restoring a backup (``motcua.ops.backup``) into an EMPTY database, manifest verified first."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from motcua.ops.backup import FORMAT_VERSION, MANIFEST, BackupError, pg_environment, sha256_of


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a complete backup: {MANIFEST} is missing")
    try:
        manifest = json.loads(path.read_text())
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def verify_backup(folder: Path | str) -> dict[str, Any]:
    """The manifest, once every file it lists has its size and SHA-256 (else BackupError
    naming each bad file) and no file of the folder is missing from it."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = []
    listed = set()
    for entry in manifest["files"]:
        path = folder / entry["path"]
        listed.add(entry["path"])
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif path.stat().st_size != entry["size"]:
            problems.append(
                f"{entry['path']}: size {path.stat().st_size}, manifest {entry['size']}"
            )
        elif sha256_of(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: SHA-256 differs from the manifest")
    for path in folder.rglob("*"):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name != MANIFEST and name not in listed:
            problems.append(f"{name}: not in the manifest")
    if problems:
        raise BackupError(f"backup {folder} fails verification:\n  " + "\n  ".join(problems))
    return manifest


def database_is_empty(alias: str = "default") -> bool:
    with connections[alias].cursor() as cursor:
        return not connections[alias].introspection.table_names(cursor)


def restore_backup(folder: Path | str, *, alias: str = "default") -> dict[str, Any]:
    """Verify ``folder``, then load its database into the (empty) database ``alias`` and its
    files into ``MEDIA_ROOT``. Returns the manifest."""
    folder = Path(folder)
    manifest = verify_backup(folder)
    connection = connections[alias]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; this one is {connection.vendor}"
        )
    if not database_is_empty(alias):
        raise BackupError(
            f"database {connection.settings_dict['NAME']!r} is not empty: restore only into a "
            "new, empty database"
        )
    media = Path(settings.MEDIA_ROOT)
    clashes = [
        entry["path"]
        for entry in manifest["files"]
        if entry["path"].startswith("media/")
        and (media / entry["path"].removeprefix("media/")).exists()
        and sha256_of(media / entry["path"].removeprefix("media/")) != entry["sha256"]
    ]
    if clashes:
        raise BackupError(
            f"MEDIA_ROOT {media} already holds different files: {', '.join(clashes[:5])}"
        )
    _load_database(connection, folder / manifest["database"])
    for entry in manifest["files"]:
        if entry["path"].startswith("media/"):
            target = media / entry["path"].removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / entry["path"], target)
    return manifest


def _load_database(connection: Any, source: Path) -> None:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        connection.close()
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--single-transaction", "--dbname", name, str(source)]
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=pg_environment(connection.settings_dict), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore into {name!r} failed: {result.stderr.strip()}")
        return
    connection.ensure_connection()
    backup = sqlite3.connect(source)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()
