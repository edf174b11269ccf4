"""The report documents of units of every level: header, number symbol, place, recipients and
signer chosen by the unit's level (reports/letterhead.py), and the PDF saying everything the
DOCX says (pdftotext)."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from motcua.stats.assembly import consolidated_report
from motcua.stats.periods import resolve_period
from motcua.stats.reports import form06, render
from motcua.stats.reports.letterhead import letterhead
from tests.stats.helpers import Spec, agency, at, build, procedure

pytestmark = pytest.mark.django_db
PERIOD = "2025-03"


@pytest.fixture
def sonlam():
    province = agency("000.00.00.H99", name="Ủy ban nhân dân tỉnh Sơn Lâm")
    center = agency(
        "000.00.20.H99", parent=province, name="Trung tâm Phục vụ hành chính công tỉnh Sơn Lâm"
    )
    trade = agency("000.00.02.H99", parent=province, name="Sở Công Thương tỉnh Sơn Lâm")
    trade.short_name, trade.abbreviation = "Sở Công Thương", "SCT"
    trade.save()
    office = agency("H99.02.01", parent=trade, name="Phòng Quản lý thương mại", level="department")
    district = agency(
        "H99.D01", parent=province, name="Ủy ban nhân dân huyện Yên Thế", level="district"
    )
    commune = agency("H99.106", parent=district, name="Ủy ban nhân dân xã An Phú", level="commune")
    p = procedure(code="9.000001", online_class="partial")
    rows = []
    for unit in (center, trade, office, district, commune):
        rows += [
            Spec(unit, p, at(2025, 3, 3, 9), at(2025, 3, 10, 17), "resolved", at(2025, 3, 7, 10)),
            Spec(
                unit,
                p,
                at(2025, 3, 4, 9),
                at(2025, 3, 6, 17),
                "resolved",
                at(2025, 3, 12, 9),
                channel="online",
                online_class="partial",
                apology=(at(2025, 3, 5, 9), at(2025, 3, 12, 17)),
            ),
            Spec(
                unit,
                p,
                at(2025, 3, 5, 9),
                at(2025, 3, 12, 17),
                "refused",
                at(2025, 3, 6, 9),
                channel="online",
                online_class="full",
            ),
            Spec(
                unit,
                p,
                at(2025, 3, 6, 9),
                at(2025, 3, 13, 17),
                "withdrawn",
                at(2025, 3, 7, 9),
                channel="online",
                online_class="none",
            ),
            Spec(
                unit,
                p,
                at(2025, 3, 7, 9),
                at(2025, 3, 14, 17),
                "stopped",
                at(2025, 3, 8, 9),
                channel="postal",
            ),
            Spec(unit, p, at(2025, 3, 10, 9), at(2025, 3, 20, 17)),
        ]
    build(rows)
    from motcua.dossiers.models import Apology

    Apology.objects.update(reason="Chờ kết quả xác minh của cơ quan phối hợp")
    return {
        "province": province,
        "center": center,
        "agency": trade,
        "department": office,
        "district": district,
        "commune": commune,
    }


def report_of(unit):
    return consolidated_report(unit=unit, period=resolve_period(period=PERIOD), children=True)


EXPECTED = {
    # kind: (issuer lines, symbol, place, first recipient, signer lines)
    "province": (
        ["ỦY BAN NHÂN DÂN", "TỈNH SƠN LÂM"],
        "UBND",
        "Sơn Lâm",
        "Văn phòng Chính phủ (Cục Kiểm soát TTHC) (b/c);",
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    ),
    "center": (
        ["UBND TỈNH SƠN LÂM", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH SƠN LÂM"],
        "TTPVHCC",
        "Sơn Lâm",
        "UBND tỉnh Sơn Lâm (b/c);",
        ("GIÁM ĐỐC",),
    ),
    "agency": (
        ["UBND TỈNH SƠN LÂM", "SỞ CÔNG THƯƠNG"],
        "SCT",
        "Sơn Lâm",
        "UBND tỉnh Sơn Lâm (b/c);",
        ("GIÁM ĐỐC",),
    ),
    "department": (
        ["SỞ CÔNG THƯƠNG", "PHÒNG QUẢN LÝ THƯƠNG MẠI"],
        "PQLTM",
        "Sơn Lâm",
        "Sở Công Thương (b/c);",
        ("TRƯỞNG PHÒNG",),
    ),
    "district": (
        ["ỦY BAN NHÂN DÂN", "HUYỆN YÊN THẾ"],
        "UBND",
        "Yên Thế",
        "UBND tỉnh Sơn Lâm (b/c);",
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    ),
    "commune": (
        ["ỦY BAN NHÂN DÂN", "XÃ AN PHÚ"],
        "UBND",
        "An Phú",
        "UBND huyện Yên Thế (b/c);",
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    ),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_header_number_recipients_and_signer_by_level(sonlam, kind):
    lines, symbol, place, first_recipient, signer = EXPECTED[kind]
    report = report_of(sonlam[kind])
    head = letterhead(report["unit"])
    assert [text for text, _ in head.issuer_lines] == lines
    assert head.issuer_lines[-1][1], "the issuer is bold"
    assert "………" not in " ".join(lines), "the parent comes from the data"
    assert head.number == f"Số:      /BC-{symbol}"
    assert letterhead(report["unit"], {"number": "215"}).number == f"Số: 215/BC-{symbol}"
    assert head.place == place
    assert head.recipients[0] == first_recipient and head.recipients[-1] == "Lưu: VT."
    assert head.signer_lines == signer
    # the report is never sent to its own issuer
    own = report["unit"]["name"]
    assert not any(own in r for r in head.recipients)


def test_the_province_is_not_addressed_to_itself_nor_signed_by_a_director(sonlam):
    head = letterhead(report_of(sonlam["province"])["unit"])
    assert not any("Văn phòng UBND tỉnh" in r for r in head.recipients)
    assert "GIÁM ĐỐC" not in head.signer_lines


def test_options_override_and_a_two_line_signer(sonlam):
    report = report_of(sonlam["agency"])
    options = {
        "number": "215",
        "signer_title": "KT. Giám đốc\nPhó Giám đốc",
        "signer_name": "Trần Văn A",
        "place": "Thành Sơn",
        "recipients": "UBND tỉnh (b/c);\nLưu: VT, VP.",
    }
    head = letterhead(report["unit"], options)
    assert head.signer_lines == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert letterhead(
        report["unit"], {"signer_title": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"}
    ).signer_lines == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    )
    assert head.recipients == ("UBND tỉnh (b/c);", "Lưu: VT, VP.")
    assert head.date_line(None).startswith("Thành Sơn, ngày")
    document = Document(io.BytesIO(render(report, fmt="docx", **options)))
    # the table of recipients and signature (Biểu 06 follows it as an annex)
    ending = next(t for t in document.tables if t.cell(0, 0).text.startswith("Nơi nhận"))
    sign = [p.text for p in ending.cell(0, 1).paragraphs]
    assert sign[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and "Trần Văn A" in sign
    left = [p.text for p in document.tables[0].cell(0, 0).paragraphs]
    assert left[:2] == ["UBND TỈNH SƠN LÂM", "SỞ CÔNG THƯƠNG"] and "Số: 215/BC-SCT" in left
    right = [p.text for p in document.tables[0].cell(0, 1).paragraphs]
    assert right[-1].startswith("Thành Sơn, ngày")


def test_the_report_names_its_issuer_from_the_tree(sonlam):
    unit = report_of(sonlam["commune"])["unit"]
    assert unit["parent"]["code"] == sonlam["district"].code
    assert unit["level"]["code"] == "commune"
    assert unit["locality"]["code"] == sonlam["commune"].code
    unit = report_of(sonlam["department"])["unit"]
    assert unit["parent"]["name"] == "Sở Công Thương tỉnh Sơn Lâm"
    assert unit["locality"]["code"] == sonlam["province"].code


def squeeze(text: str) -> str:
    return "".join(text.split())


def docx_texts(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return [t for t in texts if t.strip()]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.parametrize("kind", ["province", "agency", "district", "commune"])
def test_the_pdf_says_everything_the_docx_says(sonlam, kind, tmp_path):
    report = report_of(sonlam[kind])
    options = {"signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "signer_name": "Lê Thị B"}
    texts = docx_texts(render(report, fmt="docx", **options))
    pdf = squeeze(pdf_text(render(report, fmt="pdf", **options), tmp_path))
    missing = [t for t in texts if squeeze(t) not in pdf]
    assert missing == []
    for needed in ("2. Nhiệm vụ trọng tâm kỳ tiếp theo", "3. Kiến nghị, đề xuất", "Nơi nhận:"):
        assert squeeze(needed) in pdf
    assert any(t.startswith("Trên đây là báo cáo") for t in texts)
    # the late list's reason is the apology's
    assert "Chờ kết quả xác minh của cơ quan phối hợp" in texts
    assert "Có (hẹn lại 12/03/2025)" in texts  # and its new date
    late = report["late_list"][0]
    assert late["apology_reason"] == "Chờ kết quả xác minh của cơ quan phối hợp"
    # Biểu 06 follows, its added columns after the official ones
    assert squeeze("Biểu số 06") in pdf and squeeze(form06.SUBHEADERS[-1]) in pdf


def test_the_pdf_is_a4_portrait_in_liberation_serif(sonlam, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(render(report_of(sonlam["agency"]), fmt="pdf"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    names = [line.split()[0] for line in fonts.stdout.splitlines()[2:]]
    # every glyph, the Vietnamese ones included, from Liberation Serif (no fallback font)
    assert names and all("Liberation-Serif" in name or "LiberationSerif" in name for name in names)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points


def test_the_dashboard_offers_the_letterhead_and_the_download_prints_what_was_typed(
    sonlam, client, django_user_model
):
    admin = django_user_model.objects.create_superuser("admin", "a@x.vn", "x")
    client.force_login(admin)
    unit = sonlam["agency"]
    page = client.get(reverse("stats:dashboard"), {"unit": unit.code, "period": PERIOD})
    html = page.content.decode()
    initial = page.context["settings_form"].initial
    assert (initial["place"], initial["symbol"], initial["signer_title"]) == (
        "Sơn Lâm",
        "SCT",
        "GIÁM ĐỐC",
    )
    assert 'value="Sơn Lâm"' in html and 'value="SCT"' in html
    assert ">\nGIÁM ĐỐC</textarea>" in html
    response = client.get(
        reverse("stats:document", kwargs={"fmt": "docx"}),
        {
            "unit": unit.code,
            "period": PERIOD,
            "number": "215",
            "signer_title": "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC",
            "recipients": "UBND tỉnh (b/c);\r\nLưu: VT.",
        },
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    # the table of recipients and signature (annexes may follow it)
    ending = next(t for t in document.tables if t.cell(0, 0).text.startswith("Nơi nhận"))
    assert [p.text for p in ending.cell(0, 1).paragraphs][:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert [p.text for p in ending.cell(0, 0).paragraphs] == [
        "Nơi nhận:",
        "- UBND tỉnh (b/c);",
        "- Lưu: VT.",
    ]
    assert "Số: 215/BC-SCT" in [p.text for p in document.tables[0].cell(0, 0).paragraphs]


def test_the_xlsx_form_balances_and_is_signed_by_the_units_head(sonlam):
    from openpyxl import load_workbook

    report = report_of(sonlam["province"])
    options = {"signer_title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "signer_name": "Lê Văn C"}
    ws = load_workbook(io.BytesIO(render(report, fmt="xlsx", **options)))["Biểu 06"]
    values = [
        [ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(1, ws.max_row + 1)
    ]
    width = len(form06.SUBHEADERS)
    rows = [v[2 : 2 + width] for v in values[9:] if isinstance(v[2], int)]
    assert rows and all(form06.balances(r) for r in rows)
    assert rows[-1][0] == report["received"]["total"]
    texts = [cell for row in values for cell in row if isinstance(cell, str)]
    assert "KT. CHỦ TỊCH" in texts and "PHÓ CHỦ TỊCH" in texts and "Lê Văn C" in texts
