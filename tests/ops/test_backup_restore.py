"""The restore drill: write dossiers (under load on PostgreSQL), back up, write more, restore
into a fresh database, and find everything acknowledged before the backup."""

from __future__ import annotations

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection

from motcua.dossiers import services
from motcua.dossiers.permissions import DEMO
from motcua.ops.backup import MANIFEST, backup_dirs, sha256_of, take_backup
from motcua.ops.restore import verify_backup
from motcua.stats.assembly import report_for_code
from motcua.stats.periods import resolve_period
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, local, received_dossier
from tests.ops.drill import database_url, motcua, read_back

PDF = b"%PDF-1.4\n% drill\n" + bytes(range(256)) * 8
PERIOD = "2026-10"  # 15/09/2026 to 14/10/2026 with the default cut-off


def _write(agency, procedure, day: int, count: int, media_every: int = 0) -> list[str]:
    codes = []
    for i in range(count):
        d = received_dossier(
            agency=agency,
            procedure=procedure,
            at=local(2026, 10 if day < 15 else 11, day % 28 + 1, 9, i % 50),
        )
        if media_every and i % media_every == 0:
            upload = SimpleUploadedFile(
                f"giay {i}.pdf", PDF + bytes([i]), content_type="application/pdf"
            )
            services.dossier_attach_file(
                dossier=d, actor=DEMO, uploaded_file=upload, at=d.received_at
            )
        codes.append(d.code)
    return codes


def _fresh_target(tmp_path) -> str:
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"] + "_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        return name
    return str(tmp_path / "restored.sqlite3")


def _drop_target(name: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_restore_drill(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = AgencyFactory(code="000.00.09.H99")
    procedure = ProcedureFactory()
    acknowledged = _write(agency, procedure, day=1, count=12, media_every=3)

    stop = threading.Event()
    during: list[str] = []

    def load() -> None:  # receptions racing the backup (PostgreSQL: real concurrent sessions)
        try:
            while not stop.is_set():
                during.extend(_write(agency, procedure, day=20, count=1))
        finally:
            close_old_connections()

    writer = threading.Thread(target=load) if connection.vendor == "postgresql" else None
    if writer:
        writer.start()
    period = resolve_period(period=PERIOD, start=None, end=None, cutoff=None)
    report_before = json.loads(
        json.dumps(report_for_code(code=agency.code, period=period), default=str)
    )
    try:
        folder = take_backup(output=tmp_path / "backups")
    finally:
        stop.set()
        if writer:
            writer.join()
    later = _write(agency, procedure, day=2, count=5, media_every=2)

    target = _fresh_target(tmp_path)
    try:
        url = database_url(target)
        restored_media = tmp_path / "restored-media"
        result = motcua(url, restored_media, "restore", str(folder))
        assert "restored the backup" in result.stdout
        got = read_back(url, restored_media, agency.code, PERIOD)
    finally:
        _drop_target(target)

    assert set(acknowledged) <= set(got["codes"])
    assert not set(later) & set(got["codes"])
    assert got["report"] == report_before
    assert got["files"], "the drill wrote files"
    assert all(actual == expected for expected, actual in got["files"].items())
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["engine"] == connection.vendor
    assert "dossiers" in manifest["migrations"]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    received_dossier()
    folder = take_backup(output=tmp_path / "backups")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(folder))


@pytest.mark.django_db(transaction=True)
def test_a_changed_file_fails_verification_before_anything_is_written(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency, procedure = AgencyFactory(), ProcedureFactory()
    _write(agency, procedure, day=1, count=2, media_every=1)
    folder = take_backup(output=tmp_path / "backups")
    verify_backup(folder)
    victim = next((folder / "media").rglob("*.pdf"))
    victim.write_bytes(victim.read_bytes()[:-1] + b"X")
    (folder / "media" / "stray.txt").write_text("not listed")
    with pytest.raises(CommandError) as error:
        call_command("restore", str(folder))
    message = str(error.value)
    assert "SHA-256 differs" in message and victim.name in message
    assert "stray.txt: not in the manifest" in message


@pytest.mark.django_db(transaction=True)
def test_backup_command_keeps_the_newest(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "backups"
    made = []
    for _ in range(3):
        call_command("backup", "--output", str(root), "--keep", "2", stdout=(out := _Capture()))
        made.append(out.text.strip())
    kept = [str(p) for p in backup_dirs(root)]
    assert kept == made[1:]
    manifest = json.loads((backup_dirs(root)[-1] / MANIFEST).read_text())
    for entry in manifest["files"]:
        assert sha256_of(backup_dirs(root)[-1] / entry["path"]) == entry["sha256"]
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("backup", "--output", str(root), "--keep", "0")


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


@pytest.mark.django_db
def test_no_backup_inside_a_transaction(tmp_path):
    from motcua.ops.backup import BackupError

    with pytest.raises(BackupError, match="inside a transaction"):
        take_backup(output=tmp_path)
    assert backup_dirs(tmp_path) == []
