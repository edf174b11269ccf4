from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.catalog.models import Agency, Field, Procedure, ProcedureAssignment
from motcua.core.models import AuditLog


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write `text` (str, encoded UTF-8, or raw bytes) to a file and return its path."""
    counter = iter(range(1000))

    def write(text: str | bytes, *, bom: bool = False) -> Path:
        path = tmp_path / f"file{next(counter)}.csv"
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return write


def catalogue_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Agency, Field, Procedure, ProcedureAssignment, AuditLog)
    }


def catalogue_state() -> list:
    """Every stored catalogue value, to show a rejected import changed nothing."""
    return [
        list(Agency.objects.order_by("code").values_list("code", "name", "level_id", "parent_id")),
        list(
            Procedure.objects.order_by("code").values_list(
                "code", "name", "field_id", "processing_time", "one_way", "online_class"
            )
        ),
        list(ProcedureAssignment.objects.order_by("pk").values_list("procedure_id", "agency_id")),
        catalogue_counts(),
    ]


def run_import(kind: str, path: Path, capsys) -> tuple[int, str, str]:
    """`motcua import KIND PATH` through call_command: (exit status, stdout, stderr)."""
    try:
        call_command("import", kind, str(path))
        status = 0
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def run_export(kind: str, capsys) -> str:
    call_command("export", kind)
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
