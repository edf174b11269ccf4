"""Every format of each report document carries every block of its one model (decisions.md
"docmodel"): the narrative report (DOCX and PDF, with Biểu 06 and the audit annex), Biểu 06
(XLSX, with the annex as a sheet) and the TTHC control report (DOCX and PDF). Each file is read
back — DOCX with python-docx, PDF with pdftotext, XLSX with openpyxl — and compared with the
texts of the model, not with a copy of the expected wording."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from motcua.control.documents import control_document
from motcua.core.documents import render
from motcua.core.documents.model import (
    Document,
    Fields,
    Heading,
    Paragraph,
    Table,
    cell_text,
    header_grid,
)
from motcua.stats.reports import build
from tests.control.test_narrative import _report as control_report
from tests.stats.documents_fixtures import seed001_report
from tests.stats.test_documents_levels import docx_texts

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

AUDIT = {
    "daily": True,
    "rows": [
        {
            "agency_code": "000.00.02.H23",
            "agency_name": "Sở Giao thông vận tải",
            "day": "2020-04-03",
            "dossiers": 12,
            "digest": "0123456789abcdef" * 4,
        }
    ],
}
OPTIONS = {"signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "signer_name": "Lê Thị B"}


def pdf_text(data: bytes) -> str:
    """The PDF's text in the order it is drawn (a table's cell stays whole)."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


def squeeze(text: str) -> str:
    return "".join(text.split())


def table_texts(table: Table) -> list[str]:
    heads = [cell.text for _r, _c, cell in header_grid(table)]
    return heads + [cell_text(v) for row in table.rows for v in row] + list(table.notes)


def block_texts(document: Document) -> list[str]:
    """Every text of the model, in order: header, title, body, recipients, signer, annexes."""
    h = document.header
    texts = [h.parent.upper(), h.unit.upper(), h.number, h.place_date, document.form_label]
    texts += [document.title.upper(), document.subtitle]

    def blocks(items) -> None:
        for block in items:
            if isinstance(block, Paragraph | Heading):
                texts.append(block.text)
            elif isinstance(block, Fields):
                texts.extend(f"{label}: {value}" for label, value in block.rows)
            elif isinstance(block, Table):
                texts.extend(table_texts(block))

    blocks(document.blocks)
    texts += [f"- {r}" for r in document.recipients]
    for signature in document.signatures:
        texts += [*signature.title.upper().split("\n"), signature.note, signature.name]
    for annex in document.annexes:
        blocks(annex)
    return [t for t in texts if t.strip()]


def missing_from(texts: list[str], printed: str) -> list[str]:
    printed = squeeze(printed)
    return [t for t in texts if squeeze(t) not in printed]


def narrative():
    return build(seed001_report(), fmt="docx", audit_annex=AUDIT, **OPTIONS)


def control():
    report = control_report(
        reviews_done=12,
        simplification_plans=3,
        dossiers={"received": 1234, "resolved": 1200, "pending": 34, "online": 7},
    )
    return control_document(report, signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")


@pytest.mark.parametrize("make", [narrative, control], ids=["narrative", "control"])
def test_the_docx_and_the_pdf_carry_every_block_of_the_model(make):
    document = make()
    texts = block_texts(document)
    assert len(texts) > 40
    docx = docx_texts(render(document, fmt="docx"))
    assert missing_from(texts, "\n".join(docx)) == []
    pdf = pdf_text(render(document, fmt="pdf"))
    assert missing_from(texts, pdf) == []
    # the body's paragraphs in the model's order, in both formats
    body = [squeeze(b.text) for b in document.blocks if isinstance(b, Paragraph | Heading)]
    for printed in (squeeze("".join(docx)), squeeze(pdf)):
        positions = [printed.find(text) for text in body]
        assert positions == sorted(positions)


def test_the_narrative_report_carries_form_06_and_the_audit_annex_in_docx_and_pdf():
    document = narrative()
    [form, audit] = document.annexes
    assert form[0].text == "Biểu số 06" and isinstance(form[-1], Table)
    assert isinstance(audit[-1], Table) and len(audit[-1].rows) == 1
    # every figure of the form in both: pinned by the form's own table
    figures = [cell_text(v) for row in form[-1].rows for v in row if isinstance(v, int)]
    assert len(figures) > 50
    docx = "\n".join(docx_texts(render(document, fmt="docx")))
    assert missing_from(table_texts(form[-1]), docx) == []


def test_the_workbook_carries_every_table_of_form_06_with_its_annex():
    document = build(seed001_report(), fmt="xlsx", audit_annex=AUDIT, **OPTIONS)
    book = load_workbook(io.BytesIO(render(document, fmt="xlsx")))
    tables = document.tables
    sheets = ["Biểu 06", "Hồ sơ quá hạn", "Phụ lục mã xác thực"]  # the late list's: #52
    assert [t.sheet for t in tables] == book.sheetnames == sheets
    for table in tables:
        sheet = book[table.sheet]
        values = {v for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
        for row in table.rows:
            for value in row:
                if value != "":  # counts stay numbers, as digits typed in a cell do
                    expected = int(value) if str(value).isdigit() else value
                    assert expected in values, (table.sheet, value)
        assert {cell.text for _r, _c, cell in header_grid(table)} <= values
    texts = {v for row in book["Biểu 06"].iter_rows(values_only=True) for v in row if v}
    assert {"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Thị B", document.title.upper()} <= texts
