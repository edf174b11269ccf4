"""core.documents: one model, three renderers that show the same content."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook

from motcua.core.documents import (
    Document,
    Fields,
    Header,
    Paragraph,
    Signature,
    Table,
    date_line,
    number_line,
    render,
)
from motcua.core.errors import MotcuaError
from tests.dossiers.printing_helpers import docx_text, pdf_pages_and_size, pdf_text


def _document(**kwargs) -> Document:
    kwargs.setdefault(
        "blocks",
        (
            Paragraph("Đoạn văn có ký tự điều khiển\x07 ở giữa."),
            Fields((("Đơn vị", "Sở Công Thương"),)),
            Table(columns=("STT", "Lĩnh vực", "Số hồ sơ"), rows=(("1", "=SUM(A1)", "1766"),)),
        ),
    )
    return Document(
        header=Header(
            unit="Sở Công Thương",
            parent="UBND tỉnh Sơn Lâm",
            number=number_line(suffix="BC-SCT"),
            place_date=date_line("Sơn Lâm", dt.date(2026, 2, 5)),
        ),
        title="Báo cáo thử",
        subtitle="Kỳ tháng 01 năm 2026",
        form_label="Biểu số 06",
        signatures=(Signature("Giám đốc", "(Ký, ghi rõ họ tên)", "Nguyễn Văn B"),),
        recipients=("UBND tỉnh;", "Lưu: VT."),
        **kwargs,
    )


def test_date_and_number_lines_follow_decree_30():
    assert date_line("Sơn Lâm", dt.date(2026, 2, 5)) == "Sơn Lâm, ngày 05 tháng 02 năm 2026"
    assert date_line("Sơn Lâm", dt.date(2026, 11, 23)) == "Sơn Lâm, ngày 23 tháng 11 năm 2026"
    assert date_line("", None).endswith("ngày …… tháng …… năm ……")
    assert number_line("12/TB-SCT") == "Số: 12/TB-SCT"
    assert number_line(suffix="BC-SCT") == "Số: ………/BC-SCT"


def test_pdf_and_docx_hold_the_same_content():
    document = _document()
    pdf_bytes = render(document, fmt="pdf")
    pdf, docx = pdf_text(pdf_bytes), docx_text(render(document, fmt="docx"))
    for text in (pdf, docx):
        for part in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH SƠN LÂM",
            "SỞ CÔNG THƯƠNG",
            "Số: ………/BC-SCT",
            "Sơn Lâm, ngày 05 tháng 02 năm 2026",
            "BÁO CÁO THỬ",
            "Biểu số 06",
            "Nơi nhận",
            "Lưu: VT.",
            "GIÁM ĐỐC",
            "Nguyễn Văn B",
            "1766",
        ):
            assert part in text, part
        assert "\x07" not in text
    _pages, size = pdf_pages_and_size(pdf_bytes)
    assert size.startswith("595.2")  # A4 portrait by default


def test_a5_and_landscape_pages():
    _pages, size = pdf_pages_and_size(render(_document(paper="A5"), fmt="pdf"))
    assert size.startswith("419.5")
    _pages, size = pdf_pages_and_size(render(_document(orientation="landscape"), fmt="pdf"))
    assert size.startswith("841.8")
    docx = read_docx(io.BytesIO(render(_document(paper="A5"), fmt="docx")))
    assert round(docx.sections[0].page_width.mm) == 148


def test_xlsx_holds_the_tables_as_text_and_numbers_never_formulas():
    sheet = load_workbook(io.BytesIO(render(_document(), fmt="xlsx"))).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "=SUM(A1)" in values and 1766 in values and "BÁO CÁO THỬ" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_unknown_format_is_refused():
    with pytest.raises(MotcuaError):
        render(_document(), fmt="odt")


def test_docx_tables_keep_their_widths_and_a_floating_image_sits_beside_the_text():
    """What a word processor needs to lay the DOCX out as the PDF: fixed column widths in the
    grid (LibreOffice reads the grid, Word the cells), the properties in schema order, the
    header 42/58 so the national motto holds on one line, and the receipt's QR code in a
    cell beside the fields, never a table directly after another (they would be joined)."""
    import segno
    from docx.oxml.ns import qn

    from motcua.core.documents import Image

    png = io.BytesIO()
    segno.make("https://example.test/tra-cuu").save(png, kind="png", scale=4)
    document = _document(
        blocks=(
            Image(png.getvalue(), width_mm=22, caption="Tra cứu", float_right=True),
            Paragraph("Trung tâm đã tiếp nhận hồ sơ của:"),
            Fields((("Mã hồ sơ", "000.00.01.H23-261123-0001"),)),
            Paragraph("1. Thành phần hồ sơ:", bold=True, indent=False),
            Table(columns=("STT", "Giấy tờ"), rows=(("1", "Đơn đề nghị"),), widths=(1, 5)),
        )
    )
    docx = read_docx(io.BytesIO(render(document, fmt="docx")))
    body = list(docx.element.body)
    tables = [i for i, element in enumerate(body) if element.tag == qn("w:tbl")]
    assert all(b - a > 1 for a, b in zip(tables, tables[1:], strict=False)), "adjacent tables"
    header, beside, grid = docx.tables[0], docx.tables[1], docx.tables[2]
    for table in docx.tables:
        tblpr = table._tbl.tblPr
        names = [child.tag.split("}")[1] for child in tblpr]
        assert names.index("tblLook") == len(names) - 1, names
        assert tblpr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    cols = [col.w for col in header._tbl.tblGrid.gridCol_lst]
    assert round(cols[0] / sum(cols), 2) == 0.42
    left, right = beside.rows[0].cells
    assert "000.00.01.H23-261123-0001" in left.text and "Tra cứu" in right.text
    assert right._tc.xpath(".//pic:pic")  # the picture is in the right-hand cell
    cols = [col.w for col in grid._tbl.tblGrid.gridCol_lst]
    assert round(cols[1] / cols[0]) == 5
