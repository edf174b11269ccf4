"""Biểu số 06 as an XLSX workbook (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.core.cleaning import printable_deep, text_cells_only
from motcua.stats.reports import audit_annex, form06
from motcua.stats.reports.letterhead import letterhead
from motcua.stats.reports.narrative import get, period_text

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LAST_COLUMN = 2 + len(form06.SUBHEADERS)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LEVEL_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_TOP = 6  # first header row


def _font(size: int = 11, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def _merged(ws: Any, first: str, last: str, value: str, font: Font, align: Alignment) -> None:
    ws.merge_cells(f"{first}:{last}")
    cell = ws[first]
    cell.value = value
    cell.font = font
    cell.alignment = align


def _title(ws: Any, report: Mapping[str, Any], options: Mapping[str, Any]) -> None:
    end = get_column_letter(LAST_COLUMN)
    _merged(ws, "A1", "C1", "Biểu số 06", _font(11, bold=True), LEFT)
    _merged(ws, "A2", f"{end}2", form06.TITLE, _font(13, bold=True), CENTER)
    _merged(
        ws, "A3", f"{end}3", f"Kỳ báo cáo: {period_text(report)}", _font(11, italic=True), CENTER
    )
    unit = get(report, "unit.name", "")
    _merged(ws, "A4", f"{end}4", f"Đơn vị báo cáo: {unit}", _font(11), CENTER)
    ws.row_dimensions[2].height = 34


def _header(ws: Any) -> None:
    top, mid, low, numbers = HEADER_TOP, HEADER_TOP + 1, HEADER_TOP + 2, HEADER_TOP + 3
    bold = _font(10, bold=True)

    def merge(r1: int, c1: int, r2: int, c2: int, value: str) -> None:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.cell(r1, c1, value)

    merge(top, 1, low, 1, "STT")
    merge(top, 2, low, 2, "Lĩnh vực, đơn vị")
    column = 3
    for name, width in form06.GROUPS:
        merge(top, column, top, column + width - 1, name)
        column += width
    # received: "Tổng số" over two rows, then "Trong đó" over its three parts
    merge(mid, 3, low, 3, form06.SUBHEADERS[0])
    merge(mid, 4, mid, 6, "Trong đó")
    for offset in range(1, 4):
        ws.cell(low, 3 + offset, form06.SUBHEADERS[offset])
    for index in range(4, len(form06.SUBHEADERS)):
        merge(mid, 3 + index, low, 3 + index, form06.SUBHEADERS[index])
    for column in range(1, LAST_COLUMN + 1):
        ws.cell(numbers, column, f"({column})")
        for row in (top, mid, low, numbers):
            cell = ws.cell(row, column)
            cell.border = BORDER
            cell.alignment = CENTER
            cell.font = bold if row != numbers else _font(9, italic=True)
            if row != numbers:
                cell.fill = HEADER_FILL
    ws.row_dimensions[low].height = 60


def _body(ws: Any, report: Mapping[str, Any]) -> int:
    row_number = HEADER_TOP + 4
    for row in form06.rows(report):
        bold = row.kind in {"section", "level", "total"}
        ws.cell(row_number, 1, row.number)
        ws.cell(row_number, 2, row.label)
        for offset, figure in enumerate(row.figures):
            cell = ws.cell(row_number, 3 + offset, figure)
            cell.number_format = "#,##0"
        for column in range(1, LAST_COLUMN + 1):
            cell = ws.cell(row_number, column)
            cell.border = BORDER
            cell.font = _font(10, bold=bold)
            cell.alignment = LEFT if column == 2 else CENTER
            if row.kind == "level":
                cell.fill = LEVEL_FILL
        row_number += 1
    return row_number


def _footer(
    ws: Any, report: Mapping[str, Any], options: Mapping[str, Any], first_free_row: int
) -> None:
    row = first_free_row + 1
    if form06.has_external(report):
        end = get_column_letter(LAST_COLUMN)
        _merged(
            ws, f"A{row}", f"{end}{row}", form06.EXTERNAL_FOOTNOTE, _font(10, italic=True), LEFT
        )
        row += 1
    head = letterhead(report.get("unit"), options)
    first, last = get_column_letter(LAST_COLUMN - 4), get_column_letter(LAST_COLUMN)
    row += 1
    for line in head.signer_lines:
        _merged(ws, f"{first}{row}", f"{last}{row}", line, _font(11, bold=True), CENTER)
        row += 1
    _merged(
        ws, f"{first}{row}", f"{last}{row}", "(Ký, ghi rõ họ tên)", _font(10, italic=True), CENTER
    )
    if head.signer_name:
        row += 4
        _merged(ws, f"{first}{row}", f"{last}{row}", head.signer_name, _font(11, bold=True), CENTER)


def render_xlsx(report: Mapping[str, Any], **options: Any) -> bytes:
    report, options = printable_deep(report), printable_deep(options)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Biểu 06"
    _title(ws, report, options)
    _header(ws)
    end = _body(ws, report)
    _footer(ws, report, options, end)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for column in range(3, LAST_COLUMN + 1):
        ws.column_dimensions[get_column_letter(column)].width = 12
    ws.freeze_panes = ws.cell(HEADER_TOP + 4, 3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_TOP}:{HEADER_TOP + 3}"
    text_cells_only(ws)
    if options.get("index_annex"):
        from motcua.stats.service_index.documents import append_xlsx

        append_xlsx(workbook, options["index_annex"])
    audit_annex.add_to_xlsx(workbook, options.get("audit_annex"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
