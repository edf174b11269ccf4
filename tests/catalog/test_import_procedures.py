"""`motcua import procedures` / `motcua export procedures` (interchange.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from motcua.catalog.models import Field, Procedure, ProcedureAssignment
from motcua.core.models import AuditLog
from tests.catalog.conftest import catalogue_state, run_export, run_import
from tests.catalog.factories import AgencyFactory, ProcedureAssignmentFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,field,agency_code,processing_time,time_unit,one_way,online_class,postal\n"
FILE = (
    HEADER
    + "1.001234,Cấp Giấy phép bán lẻ rượu,Lưu thông hàng hóa trong nước,A1,10,,false,level4,true\n"
    + "1.001234,Cấp Giấy phép bán lẻ rượu,Lưu thông hàng hóa trong nước,A2,10,,false,level4,true\n"
    + "1.000500,Thông báo khuyến mại,Thương mại,A1,,,true,,\n"
    + "2.000001,Cấp bản sao,Chứng thực,A2,4,working_hours,,full,false\n"
)


@pytest.fixture(autouse=True)
def agencies(db):
    return [AgencyFactory(code="A1"), AgencyFactory(code="A2"), AgencyFactory(code="A3")]


def test_import_creates_procedures_fields_and_assignments(write_csv, capsys):
    status, out, err = run_import("procedures", write_csv(FILE), capsys)
    assert status == 0, err
    assert "3 created, 0 updated, 0 unchanged" in out
    licence = Procedure.objects.get(code="1.001234")
    assert sorted(licence.agencies.values_list("code", flat=True)) == ["A1", "A2"]
    assert licence.processing_time == Decimal(10)
    assert (licence.online_class, licence.postal_reception, licence.postal_return) == (
        "level4",
        True,
        True,
    )
    notice = Procedure.objects.get(code="1.000500")
    assert notice.one_way and notice.processing_time is None
    assert notice.time_unit == "working_days" and notice.online_class == "none"
    copy = Procedure.objects.get(code="2.000001")
    assert copy.time_unit == "working_hours" and not copy.postal
    assert Field.objects.filter(name="Chứng thực").exists()
    assert AuditLog.objects.filter(action="catalog.import_procedures").count() == 1


def test_bom_is_accepted(write_csv, capsys):
    status, _, err = run_import("procedures", write_csv(FILE, bom=True), capsys)
    assert status == 0, err
    assert Procedure.objects.filter(code="1.001234").exists()


def test_reimport_updates_and_adds_assignments_never_duplicates(write_csv, capsys):
    run_import("procedures", write_csv(FILE), capsys)
    changed = (
        HEADER
        # fewer days, and a third agency; A2 is absent from the file but keeps its assignment
        + "1.001234,Cấp Giấy phép bán lẻ rượu,Lưu thông hàng hóa trong nước,A1,7,,false,level4,true\n"
        + "1.001234,Cấp Giấy phép bán lẻ rượu,Lưu thông hàng hóa trong nước,A3,7,,false,level4,true\n"
        + "1.000500,Thông báo khuyến mại,Thương mại,A1,,,true,,\n"
        + "2.000001,Cấp bản sao,Chứng thực,A3,4,working_hours,,full,false\n"  # new agency only
    )
    status, out, _ = run_import("procedures", write_csv(changed), capsys)
    assert status == 0
    assert "0 created, 2 updated, 1 unchanged" in out
    assert Procedure.objects.count() == 3
    licence = Procedure.objects.get(code="1.001234")
    assert licence.processing_time == Decimal(7)
    assert sorted(licence.agencies.values_list("code", flat=True)) == ["A1", "A2", "A3"]
    assert ProcedureAssignment.objects.count() == 6


def test_empty_cell_keeps_the_current_value_of_an_existing_procedure(write_csv, capsys):
    run_import("procedures", write_csv(FILE), capsys)
    status, out, _ = run_import(
        "procedures",
        write_csv(
            "code,name,field,agency_code,processing_time\n2.000001,Cấp bản sao,Chứng thực,A2,4\n"
        ),
        capsys,
    )
    assert status == 0 and "1 unchanged" in out
    copy = Procedure.objects.get(code="2.000001")
    assert (copy.time_unit, copy.online_class) == ("working_hours", "full")


def test_round_trip(write_csv, capsys):
    run_import("procedures", write_csv(FILE), capsys)
    first = run_export("procedures", capsys)
    assert first.splitlines()[0] + "\n" == HEADER
    assert len(first.splitlines()) == 5
    status, out, _ = run_import("procedures", write_csv(first), capsys)
    assert status == 0
    assert "0 created, 0 updated, 3 unchanged" in out
    assert run_export("procedures", capsys) == first


def test_export_keeps_factory_data_importable(write_csv, capsys):
    ProcedureAssignmentFactory(procedure=ProcedureFactory(processing_time=Decimal("2.50")))
    first = run_export("procedures", capsys)
    assert ",2.5," in first
    status, out, err = run_import("procedures", write_csv(first), capsys)
    assert status == 0, err
    assert "0 created, 0 updated, 1 unchanged" in out


def _row(
    code="1.1",
    name="N",
    field="F",
    agency="A1",
    time="5",
    unit="",
    one_way="",
    online="",
    postal="",
):
    return ",".join([code, name, field, agency, time, unit, one_way, online, postal]) + "\n"


BAD_FILES = {
    "missing column": ("code,name,field,processing_time\n1.1,N,F,5\n", [(1, "agency_code")]),
    "unknown column": (HEADER.strip() + ",fee\n" + _row().strip() + ",0\n", [(1, "fee")]),
    "duplicate agency for a code": (
        HEADER + _row() + _row(agency="A2") + _row(),
        [(4, "agency_code")],
    ),
    "rows of one code disagree": (
        HEADER + _row() + _row(agency="A2", name="Other", time="6"),
        [(3, "name"), (3, "processing_time")],
    ),
    "unknown agency": (
        HEADER + _row(agency="NOPE") + _row(code="1.2", agency="NOPE2"),
        [(2, "agency_code"), (3, "agency_code")],
    ),
    "bad number": (
        HEADER + _row(time="ten") + _row(code="1.2", time="-1") + _row(code="1.3", time="1.234"),
        [(2, "processing_time"), (3, "processing_time"), (4, "processing_time")],
    ),
    "time required unless one-way": (
        HEADER + _row(time="") + _row(code="1.2", time="", one_way="false"),
        [(2, "processing_time"), (3, "processing_time")],
    ),
    "bad boolean": (
        HEADER + _row(one_way="maybe") + _row(code="1.2", postal="oui"),
        [(2, "one_way"), (3, "postal")],
    ),
    "bad choices": (
        HEADER + _row(unit="weeks") + _row(code="1.2", online="level5"),
        [(2, "time_unit"), (3, "online_class")],
    ),
    "missing values": (
        HEADER + _row(code="") + _row(code="1.2", name="", field="", agency=""),
        [(2, "code"), (3, "name"), (3, "field"), (3, "agency_code")],
    ),
    "empty file": ("", [(0, "")]),
    "non-UTF-8 file": (HEADER.encode() + _row(name="Cấp phép").encode("utf-16-le"), [(2, "")]),
}


def _where(row: int, column: str) -> str:
    where = f"row {row}" if row else "file"
    return where + (f", column '{column}'" if column else "")


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_rejected_whole_with_every_error(case, write_csv, capsys):
    run_import("procedures", write_csv(FILE), capsys)
    before = catalogue_state()
    text, expected = BAD_FILES[case]
    status, _, err = run_import("procedures", write_csv(text), capsys)
    assert status == 2
    assert "rejected, nothing was imported" in err
    lines = [line.strip() for line in err.splitlines()[1:]]
    assert len(lines) == len(expected), err
    for row, column in expected:
        assert any(line.startswith(_where(row, column) + ":") for line in lines), (row, column, err)
    assert catalogue_state() == before


def test_valid_rows_are_not_written_when_another_row_is_bad(write_csv, capsys):
    status, _, _ = run_import(
        "procedures", write_csv(HEADER + _row() + _row(code="1.2", time="x")), capsys
    )
    assert status == 2
    assert not Procedure.objects.filter(code="1.1").exists()
    assert not Field.objects.filter(name="F").exists()


def test_disagreement_names_the_column_and_the_first_row(write_csv, capsys):
    text, _ = BAD_FILES["rows of one code disagree"]
    _, _, err = run_import("procedures", write_csv(text), capsys)
    assert "'Other' differs from 'N' in row 2" in err


def test_import_through_the_command_line(write_csv, tmp_path):
    """The real `motcua` entry point: exit status 2 and every error on standard error.

    The file's header is checked before the database is touched, so a fresh (empty) SQLite file
    is enough here; the row-level errors are covered through call_command above.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    path = write_csv("code,name,colour,processing_time\n1.1,N,red,5\n")
    proc = subprocess.run(
        [sys.executable, "-m", "motcua", "import", "procedures", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    for error in (
        "row 1, column 'colour'",
        "row 1, column 'agency_code'",
        "row 1, column 'field'",
    ):
        assert error in proc.stderr
