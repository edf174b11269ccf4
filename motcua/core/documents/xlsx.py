"""A document's tables as a workbook (openpyxl): the header lines, the title, then each table
on its own sheet, cells typed as text or numbers, never formulas (``core.cleaning``)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.core.cleaning import printable, text_cells_only
from motcua.core.documents.model import Document

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


def _value(text: str) -> str | int:
    text = printable(str(text))
    return int(text) if text.isdigit() and len(text) < 10 and not text.startswith("0") else text


def render_xlsx(document: Document) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    tables = document.tables
    for index, table in enumerate(tables or [None]):
        if index:
            sheet = workbook.create_sheet()
        sheet.title = (table.caption if table and table.caption else document.title)[:31] or "1"
        width = len(table.columns) if table else 1
        lines = [
            (document.header.parent.upper(), False),
            (document.header.unit.upper(), True),
            (document.title.upper(), True),
            (document.subtitle, False),
        ]
        row = 1
        for text, bold in lines:
            if not text:
                continue
            sheet.cell(row=row, column=1, value=printable(text)).font = Font(name=_FONT, bold=bold)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
            row += 1
        if table is None:
            continue
        row += 1
        for col, heading in enumerate(table.columns, start=1):
            cell = sheet.cell(row=row, column=col, value=printable(heading))
            cell.font = Font(name=_FONT, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BOX
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
        for values in table.rows:
            row += 1
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=col, value=_value(value))
                cell.font = Font(name=_FONT)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                cell.border = _BOX
        widths = table.widths or tuple(1.0 for _ in table.columns)
        for col, w in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = max(6, 9 * w)
        text_cells_only(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
