"""One report, whichever way it is asked: the dashboard's download, `motcua report` and
`/api/v1/reports/` all go through ``stats.assembly.consolidated_report``, so they give the same
JSON (children with their levels, agencies outside the system included) and the same documents.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.accounts.models import User
from motcua.stats.periods import date_range
from motcua.stats.services import external_figures_record
from tests.stats.documents_fixtures import counters
from tests.stats.helpers import Spec, agency, at, build, procedure

pytestmark = pytest.mark.django_db

ROOT = "000.00.00.H98"
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture
def admin(client):
    user = User.objects.create_superuser("admin", password="x")
    client.force_login(user)
    return user


@pytest.fixture
def mixed_levels(province, admin):
    """The tiny province plus a district (another level) and a police office outside it."""
    root, one, _two = province
    district = agency("000.00.09.H98", parent=root, name="UBND huyện Mẫu", level="district")
    p = procedure(code="8.000009")
    p.assignments.create(agency=district)
    build([Spec(district, p, at(2025, 3, 3, 9), at(2025, 3, 6, 17), "resolved", at(2025, 3, 7, 9))])
    figures = counters(
        carried_over=5, online=7, direct=20, postal=3, early=10, on_time=12, late=1, overdue=2
    )
    external_figures_record(
        actor=admin,
        agency={"code": "CA-H98", "name": "Công an tỉnh"},
        period=date_range(MARCH["from"], MARCH["to"]),
        figures={k: v for k, v in figures.items() if k not in {"rates", "late_list", "children"}},
        reporting_unit=root,
    )
    return root


def command(fmt: str, path) -> bytes:
    call_command(
        "report",
        *("--unit", ROOT, "--from", MARCH["from"], "--to", MARCH["to"], "--children"),
        *("--format", fmt, "--output", str(path)),
    )
    return path.read_bytes()


def web(client, fmt: str) -> bytes:
    params = {"unit": ROOT, "kind": "range", "start": MARCH["from"], "end": MARCH["to"]}
    response = client.get(reverse("stats:document", kwargs={"fmt": fmt}), params)
    assert response.status_code == 200, response.content[:300]
    return response.content


def xlsx_cells(data: bytes) -> list[list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def docx_text(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def test_web_command_and_api_give_the_same_json(client, mixed_levels, tmp_path):
    from_web = json.loads(web(client, "json"))
    from_command = json.loads(command("json", tmp_path / "r.json"))
    api = client.get("/api/v1/reports/", {"unit": ROOT, **MARCH, "children": "true"})
    assert api.status_code == 200, api.content
    assert from_web == from_command == api.json()
    levels = {
        c["unit"]["code"]: (c["unit"].get("level") or {}).get("code") for c in from_web["children"]
    }
    assert levels == {
        "000.00.01.H98": "provincial_agency",
        "000.00.02.H98": "provincial_agency",
        "000.00.09.H98": "district",
        "CA-H98": None,  # outside the system: no level, marked external
    }
    assert [c for c in from_web["children"] if c.get("external")][0]["unit"]["code"] == "CA-H98"


def test_web_and_command_give_the_same_documents(client, mixed_levels, tmp_path):
    sheets = xlsx_cells(web(client, "xlsx"))
    assert sheets == xlsx_cells(command("xlsx", tmp_path / "r.xlsx"))
    labels = [row[1] for row in sheets[0] if len(row) > 1 and isinstance(row[1], str)]
    # Biểu số 06: children of two levels, so a summary row per level
    assert any("Huyện" in label for label in labels), labels
    assert docx_text(web(client, "docx")) == docx_text(command("docx", tmp_path / "r.docx"))
    pdf_web, pdf_cli = web(client, "pdf"), command("pdf", tmp_path / "r.pdf")
    assert pdf_web[:5] == pdf_cli[:5] == b"%PDF-"
