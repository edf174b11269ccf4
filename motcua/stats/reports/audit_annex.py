"""The report's annex of audit digests (issue 16): the daily digests of the dossiers' event
chains (``ops.auditchain``), printed so that the signed paper shows a later rewrite of history.

The renderers receive it as the ``audit_annex`` option, ``{"daily": bool, "rows": [{
"agency_code", "agency_name", "day", "dossiers", "digest"}]}`` (``ops.auditchain.report_annex``);
without the option, no annex.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from motcua.core.cleaning import printable
from motcua.stats.reports.frame import fmt_date

TITLE = "PHỤ LỤC: MÃ XÁC THỰC LỊCH SỬ HỒ SƠ"
COLUMNS = ("STT", "Cơ quan", "Ngày", "Số hồ sơ", "Mã xác thực (SHA-256)")
INTRO = (
    "Mỗi dòng là mã xác thực trong ngày của một cơ quan: mã SHA-256 tính trên sự kiện cuối "
    "cùng trong ngày của từng hồ sơ (mỗi sự kiện đã nối với sự kiện trước của hồ sơ) và mã của "
    "ngày trước đó. Khi có người sửa, xóa hoặc đổi thứ tự lịch sử hồ sơ về sau, lệnh "
    "“motcua audit verify” không còn cho lại các mã đã in và ký trên bản này."
)
LONG_PERIOD = (
    "Kỳ báo cáo dài hơn một tháng: mỗi cơ quan chỉ in mã của ngày cuối cùng trong kỳ; mã này "
    "nối với mọi mã trước đó."
)
NONE = "Không có mã xác thực nào trong kỳ (lệnh “motcua audit digest” chạy hằng ngày)."


def grouped(digest: str, size: int = 8) -> str:
    """``a1b2c3d4e5f6…`` -> ``a1b2c3d4 e5f6…``: easier to compare by eye."""
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))


def lines(annex: Mapping[str, Any]) -> list[list[str]]:
    """The table's rows as text: number, agency, day (dd/mm/yyyy), dossiers, digest."""
    return [
        [
            str(number),
            f"{row['agency_name']} ({row['agency_code']})",
            fmt_date(row["day"]),
            str(row["dossiers"]),
            grouped(row["digest"]),
        ]
        for number, row in enumerate(annex.get("rows") or (), start=1)
    ]


def notes(annex: Mapping[str, Any]) -> list[str]:
    out = [INTRO]
    if not annex.get("daily", True):
        out.append(LONG_PERIOD)
    if not annex.get("rows"):
        out.append(NONE)
    return out


def add_to_docx(document: Any, annex: Mapping[str, Any] | None) -> None:
    """A new page at the end of the document: the title, the notes, the table."""
    if annex is None:
        return
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(TITLE).bold = True
    for text in notes(annex):
        document.add_paragraph(printable(text)).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    rows = lines(annex)
    if not rows:
        return
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        _cell(cell, text, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for position, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, mono=position == len(values) - 1)


def _cell(cell: Any, text: str, *, bold: bool = False, mono: bool = False) -> None:
    run = cell.paragraphs[0].add_run(printable(text))
    run.font.size = Pt(9)
    run.bold = bold
    if mono:
        run.font.name = "Courier New"


def add_to_xlsx(workbook: Any, annex: Mapping[str, Any] | None) -> None:
    """A sheet "Phụ lục mã xác thực": the notes, then the table (digests in full, ungrouped)."""
    if annex is None:
        return
    sheet = workbook.create_sheet("Phụ lục mã xác thực")
    sheet.append([TITLE])
    for text in notes(annex):
        sheet.append([text])
    sheet.append(list(COLUMNS))
    for number, row in enumerate(annex.get("rows") or (), start=1):
        name = f"{row['agency_name']} ({row['agency_code']})"
        sheet.append([number, name, fmt_date(row["day"]), row["dossiers"], row["digest"]])
    for letter, width in zip("ABCDE", (6, 40, 12, 10, 70), strict=True):
        sheet.column_dimensions[letter].width = width
