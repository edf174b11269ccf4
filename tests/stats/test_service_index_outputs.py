"""Where the Decision 766 index shows: pages, API, command, XLSX/DOCX annex."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.stats.periods import Period
from motcua.stats.service_index.scoring import compute_index
from tests.stats.test_service_index import MARCH, small  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def monitor(small):  # noqa: F811
    root, _a, _b = small
    user = User.objects.create_user("monitor", password="x")
    Membership.objects.create(user=user, agency=root, role=Role.MONITOR)
    return user


@pytest.fixture
def commune_officer(small):  # noqa: F811
    _root, _a, b = small
    user = User.objects.create_user("commune", password="x")
    Membership.objects.create(user=user, agency=b, role=Role.MONITOR)
    return user


def test_command_json_equals_api(client, small, monitor):  # noqa: F811
    out = io.StringIO()
    call_command("index", "--unit", "P", "--period", "2025-03", "--children", stdout=out)
    data = json.loads(out.getvalue())
    assert data["period"] == {"start": "2025-03-01", "end": "2025-03-31"}  # calendar month
    assert data["score"]["scaled"] == 57.14
    assert [r["unit"]["code"] for r in data["children"]] == ["B", "A"]
    client.force_login(monitor)
    r = client.get("/api/v1/reports/index/", {"unit": "P", "period": "2025-03", "children": "true"})
    assert r.status_code == 200, r.content
    assert r.json() == data
    r = client.get(
        "/api/v1/reports/index/losses/", {"unit": "P", "period": "2025-03", "criterion": "2.1"}
    )
    assert [row["code"] for row in r.json()["rows"]] == ["A-3"]


def test_api_scoped_and_errors(client, small, commune_officer):  # noqa: F811
    client.force_login(commune_officer)
    assert (
        client.get("/api/v1/reports/index/", {"unit": "P", "period": "2025-03"}).status_code == 403
    )
    assert (
        client.get("/api/v1/reports/index/", {"unit": "NOPE", "period": "2025-03"}).status_code
        == 404
    )
    r = client.get("/api/v1/reports/index/", {"unit": "B", "period": "2025-13"})
    assert r.status_code == 400 and r.json()["detail"]


def test_command_xlsx_and_errors(tmp_path, small, capsys):  # noqa: F811
    target = tmp_path / "index.xlsx"
    call_command("index", "--unit", "P", "--period", "2025-03", "--children", "--format", "xlsx",
                 "--output", str(target))  # fmt: skip
    wb = load_workbook(target)
    ws = wb["Chỉ số 766"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    by_code = {r[0]: r for r in rows}
    assert by_code["2.1"][3:7] == [4, 5, "80,00%", "8,00"]
    assert by_code["4.1"][6] == "Chưa đo"
    ranking = [[c.value for c in row] for row in wb["Xếp hạng"].iter_rows()]
    ranking = ranking[[r[0] for r in ranking].index("Hạng") + 1 :]  # under the headings
    assert [r[1] for r in ranking] == ["B", "A"]
    with pytest.raises(SystemExit):
        call_command("index", "--unit", "NOPE", "--period", "2025-03")
    assert "NOPE" in capsys.readouterr().err


def test_docx_annex(small):  # noqa: F811
    from motcua.stats.service_index.documents import render_docx

    root, _a, _b = small
    doc = Document(io.BytesIO(render_docx(compute_index(unit=root, period=MARCH, children=True))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "24,00/42 " in text and "57,14/100" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Chưa đo" in cells and "Xã B" in cells


def test_pages(client, small, monitor, commune_officer):  # noqa: F811
    client.force_login(monitor)
    r = client.get(reverse("stats:index"), {"unit": "P", "period": "2025-03"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="index-ranking"' in html and "57,14" in html and "not measured" in html
    assert [row["unit"]["code"] for row in r.context["index"]["children"]] == ["B", "A"]
    trend = client.get(reverse("stats:index_trend"), {"unit": "P", "period": "2025-03"}).json()
    assert len(trend["labels"]) == 12 and trend["labels"][-1] == "03/2025"
    assert trend["scaled"][-1] == 57.14
    losses = client.get(reverse("stats:index_losses"), {"unit": "P", "period": "2025-03",
                                                         "criterion": "5.3"})  # fmt: skip
    assert losses.status_code == 200
    assert [row["code"] for row in losses.context["losses"]["rows"]] == ["A-3", "B-5"]
    for fmt in ("xlsx", "docx"):
        doc = client.get(reverse("stats:index_document", kwargs={"fmt": fmt}),
                         {"unit": "P", "period": "2025-03"})  # fmt: skip
        assert doc.status_code == 200 and doc["Content-Disposition"].endswith(f'.{fmt}"')
    client.force_login(commune_officer)
    assert client.get(reverse("stats:index"), {"unit": "P", "period": "2025-03"}).status_code == 400
    r = client.get(reverse("stats:index"), {"unit": "B", "period": "2025-03"})
    assert r.status_code == 200 and r.context["index"]["score"]["points"] == 29.0
    assert client.get(reverse("stats:index_losses"), {"unit": "A", "period": "2025-03",
                                                      "criterion": "2.1"}).status_code == 400  # fmt: skip


def test_any_period_works(small):  # noqa: F811
    root, _a, _b = small
    import datetime as dt

    index = compute_index(unit=root, period=Period(dt.date(2025, 3, 1), dt.date(2025, 3, 10)))
    assert index["period"] == {"start": "2025-03-01", "end": "2025-03-10"}


def test_monthly_report_documents_carry_the_index_annex(client, small, monitor, tmp_path):  # noqa: F811
    from motcua.stats.periods import resolve_period
    from motcua.stats.service_index.documents import criteria_rows

    client.force_login(monitor)
    month = resolve_period(period="2025-03")  # the deployment's cut-off, as the dashboard
    expected = compute_index(unit=small[0], period=month, children=True)
    xlsx = client.get(
        reverse("stats:document", kwargs={"fmt": "xlsx"}), {"unit": "P", "period": "2025-03"}
    )
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    # the late list's sheet (decisions.md #52), the index, then the audit digests of the period
    # (tests/ops/test_report_annex.py)
    assert wb.sheetnames == [
        "Biểu 06",
        "Hồ sơ quá hạn",
        "Chỉ số 766",
        "Xếp hạng",
        "Phụ lục mã xác thực",
    ]
    sheet = wb["Chỉ số 766"].iter_rows(min_row=5, values_only=True)
    assert [["" if v is None else v for v in row] for row in sheet] == criteria_rows(expected)
    assert [r[2] for r in wb["Xếp hạng"].iter_rows(min_row=2, values_only=True)][1:] == [
        r["unit"]["name"] for r in expected["children"]
    ]
    docx = client.get(
        reverse("stats:document", kwargs={"fmt": "docx"}), {"unit": "P", "period": "2025-03"}
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "BÁO CÁO" in text and "Phụ lục: Bộ chỉ số phục vụ người dân" in text
    start, end = month.start.strftime("%d/%m/%Y"), month.end.strftime("%d/%m/%Y")
    assert f"từ ngày {start} đến ngày {end}" in text
    # a date range is not a monthly report: no annex
    ranged = client.get(
        reverse("stats:document", kwargs={"fmt": "xlsx"}),
        {"unit": "P", "kind": "range", "start": "2025-03-01", "end": "2025-03-31"},
    )
    # a range is not a month: no index annex (the audit digests still close the workbook)
    assert "Chỉ số 766" not in load_workbook(io.BytesIO(ranged.content)).sheetnames
    # the command: the same annex for a calendar month
    out = tmp_path / "report.xlsx"
    call_command(
        "report", "--unit", "P", "--period", "2025-03", "--cutoff", "0", "--children",
        "--format", "xlsx", "--output", str(out),
    )  # fmt: skip
    wb = load_workbook(out)
    # the late list's sheet (#52), the index, then the audit digests of the period
    assert wb.sheetnames == [
        "Biểu 06",
        "Hồ sơ quá hạn",
        "Chỉ số 766",
        "Xếp hạng",
        "Phụ lục mã xác thực",
    ]
    summary = wb["Chỉ số 766"]["A2"].value
    assert "24,00/42 điểm" in summary and "57,14/100" in summary
