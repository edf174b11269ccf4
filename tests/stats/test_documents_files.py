"""The DOCX, XLSX and PDF documents, read back."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.core.errors import MotcuaError
from motcua.stats.reports import form06, render
from tests.stats.documents_fixtures import counters, seed001_report

OPTIONS = {
    "place": "Bắc Giang",
    "number": "125/BC-TTPVHCC",
    "signer_title": "Giám đốc",
    "signer_name": "Nguyễn Văn Định",
    "recipients": ["Văn phòng UBND tỉnh (b/c);", "Lưu: VT."],
    "tasks_text": "Đẩy mạnh tiếp nhận hồ sơ trực tuyến toàn trình.",
    "proposals_text": "Đề nghị bổ sung biên chế cho Bộ phận Một cửa.",
    "issued_on": dt.date(2020, 5, 4),
}


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture(scope="module")
def report():
    report = seed001_report()
    external = counters(carried_over=3, online=0, direct=9, postal=0, early=5, on_time=4, late=0)
    external["unit"] = {"code": "CA-BG", "name": "Công an tỉnh"}
    external["external"] = True
    report["children"].append(external)
    return report


@pytest.fixture(scope="module")
def docx_text(report):
    document = Document(io.BytesIO(render(report, fmt="docx", **OPTIONS)))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    return document, paragraphs, cells


def test_docx_layout_of_decree_30(docx_text):
    document, paragraphs, cells = docx_text
    heading = document.tables[0]
    left = [p.text for p in heading.cell(0, 0).paragraphs]
    right = [p.text for p in heading.cell(0, 1).paragraphs]
    assert left[1] == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH"
    assert "Số: 125/BC-TTPVHCC" in left
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    motto = heading.cell(0, 1).paragraphs[1].runs[0]
    assert motto.bold and motto.underline
    date_run = heading.cell(0, 1).paragraphs[-1].runs[0]
    assert date_run.text == "Bắc Giang, ngày 04 tháng 5 năm 2020" and date_run.italic
    assert "BÁO CÁO" in paragraphs
    assert "Tình hình, kết quả giải quyết thủ tục hành chính tháng 4 năm 2020" in paragraphs
    assert any(p.startswith("Căn cứ Nghị định số 61/2018/NĐ-CP") for p in paragraphs)
    for section in ("1. Kết quả", "2. Nhiệm vụ trọng tâm kỳ tiếp theo", "3. Kiến nghị, đề xuất"):
        assert section in paragraphs
    assert OPTIONS["tasks_text"] in paragraphs and OPTIONS["proposals_text"] in paragraphs
    assert "Nơi nhận:" in cells and "- Lưu: VT." in cells
    assert "GIÁM ĐỐC" in cells and "(Ký, ghi rõ họ tên)" in cells
    assert OPTIONS["signer_name"] in cells
    assert document.inline_shapes, "the chart is inside the document"


def test_docx_results_and_late_table(docx_text, report):
    document, paragraphs, _ = docx_text
    results = paragraphs[paragraphs.index("1. Kết quả") + 1]
    assert f"đã giải quyết {vn_int(report['resolved']['total'])} hồ sơ" in results
    early_on_time = report["resolved"]["early"] + report["resolved"]["on_time"]
    expected_rate = f"{early_on_time * 100 / report['resolved']['total']:.2f}".replace(".", ",")
    assert f"đạt {expected_rate}%" in results
    assert any("Công an tỉnh" in p and "(*)" in p for p in paragraphs)
    late = document.tables[1]
    assert [c.text for c in late.rows[0].cells][:3] == ["STT", "Mã hồ sơ", "Thủ tục"]
    assert len(late.rows) == 1 + len(report["late_list"])
    assert late.rows[1].cells[1].text == report["late_list"][0]["code"]


def test_xlsx_form_06(report):
    workbook = load_workbook(io.BytesIO(render(report, fmt="xlsx", **OPTIONS)))
    ws = workbook["Biểu 06"]
    assert workbook.sheetnames[0] == "Biểu 06"
    firsts = [ws.cell(r, 1).value for r in range(1, 8)]
    assert firsts[0] == "Biểu số 06"
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH" in firsts and form06.TITLE in firsts
    assert any(str(v).startswith("Kỳ báo cáo: tháng 4 năm 2020") for v in firsts)
    top = next(r for r in range(1, 12) if ws.cell(r, 3).value == "Số hồ sơ nhận giải quyết")
    header = form06.SUBHEADERS
    assert ws.cell(top, 7).value == "Số hồ sơ đã giải quyết"
    assert ws.cell(top, 11).value == "Số hồ sơ đang giải quyết"
    assert ws.cell(top + 1, 4).value == "Trong đó"
    assert ws.cell(top + 2, 4).value == header[1] == "Số mới tiếp nhận trực tuyến"
    # the official order of forms.md: online, direct and postal, carried over
    assert ws.cell(top + 2, 5).value == "Số mới tiếp nhận trực tiếp và qua BCCI"
    assert ws.cell(top + 2, 6).value == "Số kỳ trước chuyển qua"
    assert [ws.cell(top + 3, c).value for c in (1, 2, 16)] == ["(1)", "(2)", "(16)"]
    # the added columns come after the official ones, under a heading that says so
    assert ws.cell(top, 14).value.startswith("Cột bổ sung")
    assert [ws.cell(top + 1, c).value for c in (14, 15, 16)] == [
        "Trả lại",
        "Rút hồ sơ",
        "Dừng giải quyết",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"C{top}:F{top}" in merged and f"A{top}:A{top + 2}" in merged
    labels = {ws.cell(r, 2).value: r for r in range(top + 4, ws.max_row + 1)}
    total_row = labels["Tổng cộng"]
    figures = [ws.cell(total_row, c).value for c in range(3, 17)]
    rec, res, pen = report["received"], report["resolved"], report["pending"]
    assert figures == [
        rec["total"],
        rec["by_channel"]["online"],
        rec["by_channel"]["direct"] + rec["by_channel"]["postal"],
        rec["carried_over"],
        res["total"],
        res["early"],
        res["on_time"],
        res["late"],
        pen["total"],
        pen["not_due"],
        pen["overdue"],
        report["refused"],
        report["withdrawn"],
        report["stopped"],
    ]
    assert ws.cell(total_row, 2).font.b, "the total is bold"
    # one row per child; a summary row per level since the children differ in level
    trade = report["children"][1]
    assert ws.cell(labels["Sở Công Thương"], 7).value == trade["resolved"]["total"]
    level_rows = [r for label, r in labels.items() if label in {"Sở, ban, ngành", "Cấp xã"}]
    assert len(level_rows) == 2
    agencies = [
        c for c in report["children"] if c["unit"].get("level", {}).get("code") == "province-agency"
    ]
    assert ws.cell(labels["Sở, ban, ngành"], 3).value == sum(
        c["received"]["total"] for c in agencies
    )
    assert "Công an tỉnh (*)" in labels
    assert any(
        str(ws.cell(r, 1).value or "").startswith("(*)") for r in range(total_row, ws.max_row + 1)
    )
    assert ws.cell(total_row, 3).number_format == "#,##0"


def test_pdf_has_vietnamese_text(report, tmp_path):
    pdf = render(report, fmt="pdf", **OPTIONS)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(text.split())  # table headers wrap in their cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Biểu số 06" in text
    assert "Số hồ sơ đang giải quyết" in text
    assert vn_int(report["resolved"]["total"]) in text
    assert "Nguyễn Văn Định" in text


def test_unknown_format_is_refused(report):
    with pytest.raises(MotcuaError, match="unknown document format 'odt'"):
        render(report, fmt="odt")
