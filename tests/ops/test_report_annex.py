"""The daily audit digests printed in the report's annex, read back from the documents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.catalog.choices import Role
from motcua.ops.auditchain import make_digests, report_annex
from motcua.ops.models import AuditDigest
from motcua.stats.assembly import report_for_code
from motcua.stats.periods import date_range
from motcua.stats.reports import audit_annex, build
from tests.dossiers.factories import AgencyFactory, local, official, received_dossier

pytestmark = pytest.mark.django_db

NOV_3, NOV_4, DEC_1 = dt.date(2026, 11, 3), dt.date(2026, 11, 4), dt.date(2026, 12, 1)


def _receive(agency, day: dt.date) -> None:
    at = local(day.year, day.month, day.day, 9)
    with time_machine.travel(at, tick=False):  # the event is recorded that day
        received_dossier(agency=agency, at=at)


@pytest.fixture
def tree():
    """A unit with a child, an agency outside it; events on three days, digests made."""
    root = AgencyFactory(name="Sở Kiểm Tra")
    child = AgencyFactory(name="Phòng Con", parent=root)
    outside = AgencyFactory(name="Sở Khác")
    _receive(child, NOV_3)
    _receive(outside, NOV_3)
    _receive(root, NOV_4)
    _receive(child, NOV_4)
    _receive(child, DEC_1)
    for day in (NOV_3, NOV_4, DEC_1):
        make_digests(day)
    return root, child, outside


def _digest(agency, day) -> str:
    return AuditDigest.objects.get(agency=agency, day=day).digest


def _docx_annex(content: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    [table] = [t for t in document.tables if t.rows[0].cells[-1].text == audit_annex.COLUMNS[-1]]
    return text, [[c.text for c in row.cells] for row in table.rows[1:]]


def test_monthly_docx_from_the_dashboard_prints_each_days_digest_of_the_unit(tree):
    root, child, _outside = tree
    client = Client()
    client.force_login(official(root, Role.MONITOR))
    period = {"kind": "range", "start": "2026-11-01", "end": "2026-11-30"}
    response = client.get(
        reverse("stats:document", kwargs={"fmt": "docx"}), {"unit": root.code, **period}
    )
    assert response.status_code == 200
    text, rows = _docx_annex(response.content)
    assert audit_annex.TITLE in text and audit_annex.LONG_PERIOD not in text
    expected = sorted(
        [(root, NOV_4), (child, NOV_3), (child, NOV_4)], key=lambda p: (p[0].code, p[1])
    )
    assert [(r[1], r[2], r[4].replace(" ", "")) for r in rows] == [
        (f"{a.name} ({a.code})", f"{d:%d/%m/%Y}", _digest(a, d)) for a, d in expected
    ]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert [int(r[3]) for r in rows] == [
        AuditDigest.objects.get(agency=a, day=d).dossiers for a, d in expected
    ]


def test_a_longer_period_prints_each_agencys_last_digest(tree, tmp_path):
    root, child, outside = tree
    out = tmp_path / "q4.docx"
    call_command(
        "report", "--unit", root.code, "--from", "2026-10-01", "--to", "2026-12-31",
        "--format", "docx", "-o", str(out),
    )  # fmt: skip
    text, rows = _docx_annex(out.read_bytes())
    assert audit_annex.LONG_PERIOD in text
    expected = sorted([(root, NOV_4), (child, DEC_1)], key=lambda p: p[0].code)
    assert [r[4].replace(" ", "") for r in rows] == [_digest(a, d) for a, d in expected]
    assert _digest(outside, NOV_3) not in out.read_bytes().decode("latin-1")


def test_xlsx_sheet_and_pdf_carry_the_same_digests(tree):
    root, child, _outside = tree
    report = report_for_code(
        code=child.code, period=date_range("2026-11-01", "2026-11-30"), children=False
    )
    annex = report_annex(report)
    from motcua.stats.reports import render

    book = load_workbook(io.BytesIO(render(report, fmt="xlsx", audit_annex=annex)))
    sheet = book["Phụ lục mã xác thực"]
    digests = [row[4] for row in sheet.iter_rows(values_only=True) if len(row) > 4 and row[4]]
    expected = [_digest(child, NOV_3), _digest(child, NOV_4)]
    assert [d.replace(" ", "") for d in digests[1:]] == expected  # under its heading
    assert book.worksheets[0].title == "Biểu 06"  # the form stays the first sheet
    # the PDF is made from the same document as the DOCX: its last annex holds the digests
    document = build(report, fmt="pdf", audit_annex=annex)
    [table] = [block for block in document.annexes[-1] if hasattr(block, "rows")]
    assert [r[4].replace(" ", "") for r in table.rows] == expected
    assert len(build(report, fmt="pdf").annexes) == 1  # no option: Biểu 06 only


def test_a_period_without_digests_says_so():
    agency = AgencyFactory()
    report = report_for_code(
        code=agency.code, period=date_range("2026-11-01", "2026-11-30"), children=False
    )
    annex = report_annex(report)
    assert annex == {"daily": True, "rows": []}
    from motcua.stats.reports import render

    document = Document(io.BytesIO(render(report, fmt="docx", audit_annex=annex)))
    assert audit_annex.NONE in [p.text for p in document.paragraphs]
