"""`motcua import agencies` / `motcua export agencies` (interchange.md)."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Agency, AgencyLevel
from motcua.core.models import AuditLog
from tests.catalog.conftest import catalogue_state, run_export, run_import
from tests.catalog.factories import AgencyFactory, AgencyLevelFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"
TREE = (
    HEADER
    + "000.00.02.H23,Sở Công Thương,provincial_agency,000.00.00.H23\n"  # child before parent
    + "000.00.00.H23,UBND tỉnh Bắc Giang,province,\n"
    + "H44.01,Sở Tài chính,provincial_agency,000.00.00.H23\n"
    + "H44.100,Phường Trung tâm,commune,000.00.00.H23\n"
)


def test_default_levels_exist_with_vietnamese_names():
    levels = dict(AgencyLevel.objects.values_list("code", "name"))
    assert levels["province"] == "Tỉnh/Thành phố"
    assert levels["commune"] == "Xã/Phường/Thị trấn"
    assert {"provincial_agency", "district", "department"} <= set(levels)


def test_import_creates_the_tree_in_any_order(write_csv, capsys):
    status, out, _ = run_import("agencies", write_csv(TREE), capsys)
    assert status == 0
    assert "4 created, 0 updated, 0 unchanged" in out
    province = Agency.objects.get(code="000.00.00.H23")
    assert province.parent is None and province.level.code == "province"
    assert Agency.objects.get(code="H44.01").parent == province
    assert Agency.objects.get(code="000.00.02.H23").parent == province
    audit = AuditLog.objects.get(action="catalog.import_agencies")
    assert audit.payload["created"] == 4


def test_one_audit_row_per_import_not_per_row(write_csv, capsys):
    run_import("agencies", write_csv(TREE), capsys)
    assert AuditLog.objects.count() == 1


def test_bom_is_accepted(write_csv, capsys):
    status, out, err = run_import("agencies", write_csv(TREE, bom=True), capsys)
    assert status == 0, err
    assert Agency.objects.filter(code="000.00.02.H23").exists()


def test_parent_may_already_be_in_the_database(write_csv, capsys):
    AgencyFactory(code="000.00.00.H23", level=AgencyLevelFactory(code="province"))
    status, _, err = run_import(
        "agencies",
        write_csv(HEADER + "000.00.05.H23,Sở Xây dựng,provincial_agency,000.00.00.H23\n"),
        capsys,
    )
    assert status == 0, err
    assert Agency.objects.get(code="000.00.05.H23").parent.code == "000.00.00.H23"


def test_reimport_updates_instead_of_duplicating(write_csv, capsys):
    run_import("agencies", write_csv(TREE), capsys)
    changed = (
        HEADER
        + "000.00.02.H23,Sở Công Thương tỉnh,provincial_agency,000.00.00.H23\n"  # name
        + "000.00.00.H23,UBND tỉnh Bắc Giang,province,\n"
        + "H44.01,Sở Tài chính,department,000.00.02.H23\n"  # level and parent
        + "H44.100,Phường Trung tâm,commune,000.00.00.H23\n"
    )
    status, out, _ = run_import("agencies", write_csv(changed), capsys)
    assert status == 0
    assert "0 created, 2 updated, 2 unchanged" in out
    assert Agency.objects.count() == 4
    moved = Agency.objects.get(code="H44.01")
    assert (moved.level.code, moved.parent.code) == ("department", "000.00.02.H23")
    assert Agency.objects.get(code="000.00.02.H23").name == "Sở Công Thương tỉnh"


def test_round_trip(write_csv, capsys):
    run_import("agencies", write_csv(TREE), capsys)
    first = run_export("agencies", capsys)
    status, out, _ = run_import("agencies", write_csv(first), capsys)
    assert status == 0
    assert "0 created, 0 updated, 4 unchanged" in out
    assert run_export("agencies", capsys) == first
    # interchange.md's columns, then the optional abbreviation
    assert first.splitlines()[0] == "code,name,level,parent_code,abbreviation"


def test_the_abbreviation_column_is_optional_and_round_trips(write_csv, capsys):
    run_import("agencies", write_csv(TREE), capsys)  # no abbreviation column: none set
    assert Agency.objects.get(code="000.00.02.H23").abbreviation == ""
    with_symbol = (
        "code,name,level,abbreviation\n"
        "000.00.02.H23,Sở Công Thương,provincial_agency,SCT\n"
        "H44.01,Sở Tài chính,provincial_agency,\n"
    )
    status, out, _ = run_import("agencies", write_csv(with_symbol), capsys)
    assert status == 0 and "1 updated, 1 unchanged" in out
    trade = Agency.objects.get(code="000.00.02.H23")
    assert trade.abbreviation == "SCT" and trade.parent.code == "000.00.00.H23"
    exported = run_export("agencies", capsys)
    assert "000.00.02.H23,Sở Công Thương,provincial_agency,000.00.00.H23,SCT" in exported
    # a file without the column, or with an empty cell, keeps it
    run_import("agencies", write_csv(TREE), capsys)
    assert Agency.objects.get(code="000.00.02.H23").abbreviation == "SCT"
    status, _, err = run_import(
        "agencies",
        write_csv(
            "code,name,level,abbreviation\n000.00.02.H23,Sở,provincial_agency,ABCDEFGHIJKLMNOPQRSTUV\n"
        ),
        capsys,
    )
    assert status == 2 and "row 2, column 'abbreviation'" in err


EXISTING = (
    HEADER
    + "000.00.00.H23,UBND tỉnh,province,\n000.00.01.H23,Văn phòng,provincial_agency,000.00.00.H23\n"
)

BAD_FILES = {
    "missing column": (
        "code,name,parent_code\nX1,A,\n",
        [(1, "level")],
    ),
    "unknown column": (
        "code,name,level,parent_code,colour\nX1,A,province,,red\n",
        [(1, "colour")],
    ),
    "duplicate code": (
        HEADER + "X1,A,province,\nX2,B,province,\nX1,C,province,\n",
        [(2, "code"), (4, "code")],
    ),
    "unknown parent": (
        HEADER + "X1,A,province,\nX2,B,commune,NOPE\nX3,C,commune,NOPE2\n",
        [(3, "parent_code"), (4, "parent_code")],
    ),
    "cycle in the file": (
        HEADER + "X1,A,province,X3\nX2,B,commune,X1\nX3,C,commune,X2\nX4,D,commune,\n",
        [(2, "parent_code"), (3, "parent_code"), (4, "parent_code")],
    ),
    "own parent": (
        HEADER + "X1,A,province,X1\n",
        [(2, "parent_code")],
    ),
    "cycle through the database": (
        # in the database 000.00.01.H23's parent is 000.00.00.H23; the file closes the loop
        HEADER + "000.00.00.H23,UBND tỉnh,province,000.00.01.H23\n",
        [(2, "parent_code")],
    ),
    "unknown level": (
        HEADER + "X1,A,county,\nX2,B,,\n",
        [(2, "level"), (3, "level")],
    ),
    "missing values": (
        HEADER + ",A,province,\nX2,,province,\n",
        [(2, "code"), (3, "name")],
    ),
    "too many cells": (
        HEADER + "X1,A,province,,extra\n",
        [(2, "")],
    ),
    "empty file": ("", [(0, "")]),
    "header only blank lines": ("\n\n", [(0, "")]),
    "non-UTF-8 file": (
        (HEADER + "X1,Sở Công Thương,province,\n").encode("cp1258", errors="replace"),
        [(2, "")],
    ),
}


def _where(row: int, column: str) -> str:
    where = f"row {row}" if row else "file"
    return where + (f", column '{column}'" if column else "")


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_rejected_whole_with_every_error(case, write_csv, capsys):
    run_import("agencies", write_csv(EXISTING), capsys)
    before = catalogue_state()
    text, expected = BAD_FILES[case]
    status, out, err = run_import("agencies", write_csv(text), capsys)
    assert status == 2
    assert "rejected, nothing was imported" in err
    lines = [line.strip() for line in err.splitlines()[1:]]
    assert len(lines) == len(expected), err
    for row, column in expected:
        assert any(line.startswith(_where(row, column) + ":") for line in lines), (row, column, err)
    assert catalogue_state() == before


def test_cycle_error_names_the_codes(write_csv, capsys):
    text, _ = BAD_FILES["cycle in the file"]
    _, _, err = run_import("agencies", write_csv(text), capsys)
    assert "X1 → X3 → X2 → X1" in err or "X3 → X2 → X1 → X3" in err or "X2 → X1 → X3 → X2" in err


def test_unknown_level_lists_known_levels(write_csv, capsys):
    _, _, err = run_import("agencies", write_csv(HEADER + "X1,A,county,\n"), capsys)
    assert "county" in err and "provincial_agency" in err


def test_file_without_parent_column_keeps_the_parents(write_csv, capsys):
    run_import("agencies", write_csv(TREE), capsys)
    renamed = (
        "code,name,level\nH44.01,Sở Tài chính tỉnh,provincial_agency\nH44.200,Xã Mới,commune\n"
    )
    status, out, err = run_import("agencies", write_csv(renamed), capsys)
    assert status == 0, err
    assert "1 created, 1 updated, 0 unchanged" in out
    renamed_agency = Agency.objects.get(code="H44.01")
    assert renamed_agency.name == "Sở Tài chính tỉnh"
    assert renamed_agency.parent.code == "000.00.00.H23"
    assert Agency.objects.get(code="H44.200").parent is None
