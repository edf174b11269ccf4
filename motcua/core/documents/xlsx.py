"""A document's tables as a workbook (openpyxl): each table on its own sheet, under the
document's header lines and title (a table of the body) or under the text that leads to it
(a table of an annex), its grouped headings merged, counts as numbers, text as text, never a
formula (``core.cleaning``); the signature under the body's last table."""

from __future__ import annotations

import io
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.core.cleaning import printable, text_cells_only
from motcua.core.documents.model import (
    Document,
    Heading,
    Paragraph,
    Table,
    header_grid,
)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP = Alignment(vertical="top", wrap_text=True)
_COUNT_FORMAT = "#,##0"


def _value(value: str | int) -> str | int:
    if isinstance(value, int):
        return value
    text = printable(str(value))
    return int(text) if text.isdigit() and len(text) < 10 and not text.startswith("0") else text


def _identity(document: Document) -> list[tuple[str, bool, str]]:
    """The lines above a table of the body: (text, bold, align)."""
    return [
        (document.form_label, True, "left"),
        (document.header.parent.upper(), document.header.parent_bold, "center"),
        (document.header.unit.upper(), True, "center"),
        (document.title.upper(), True, "center"),
        (document.subtitle, False, "center"),
    ]


def _sheets(document: Document) -> list[tuple[list[tuple[str, bool, str]], Table, bool]]:
    """Each table with the lines above it and whether it is the body's last table (where the
    signature goes)."""
    identity = _identity(document)
    body_tables = [b for b in document.blocks if isinstance(b, Table)]
    found = [(identity, table, table is body_tables[-1]) for table in body_tables]
    for annex in document.annexes:
        lead: list[tuple[str, bool, str]] = []
        for block in annex:
            if isinstance(block, Table):
                found.append((lead, block, False))
                lead = []
            elif isinstance(block, Heading):
                lead.append((block.text, True, "left"))
            elif isinstance(block, Paragraph):
                lead.append((block.text, block.bold, "left"))
    return found


def _line(sheet: Any, row: int, width: int, text: str, bold: bool, align: str) -> None:
    sheet.cell(row=row, column=1, value=printable(text)).font = Font(name=_FONT, bold=bold)
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.cell(row=row, column=1).alignment = Alignment(horizontal=align, wrap_text=True)


def _head(sheet: Any, table: Table, top: int) -> int:
    """The header rows from ``top``; the first row after them."""
    bold = Font(name=_FONT, bold=True)
    rows = len(table.head) or 1
    for r in range(rows):
        for c in range(len(table.columns)):
            cell = sheet.cell(row=top + r, column=c + 1)
            cell.border, cell.alignment, cell.font = _BOX, _CENTER, bold
    for r, c, heading in header_grid(table):
        sheet.cell(row=top + r, column=c + 1, value=printable(heading.text))
        if heading.colspan > 1 or heading.rowspan > 1:
            sheet.merge_cells(
                start_row=top + r,
                start_column=c + 1,
                end_row=top + r + heading.rowspan - 1,
                end_column=c + heading.colspan,
            )
    row = top + rows
    if table.numbers:
        italic = Font(name=_FONT, italic=True)
        for c in range(len(table.columns)):
            cell = sheet.cell(row=row, column=c + 1, value=f"({c + 1})")
            cell.border, cell.alignment, cell.font = _BOX, _CENTER, italic
        row += 1
    return row


def _signature(sheet: Any, document: Document, row: int, width: int) -> None:
    first = max(1, width - 4)
    for signature in document.signatures:
        lines = [(line, True, False) for line in signature.title.upper().split("\n")]
        lines.append((signature.note, False, True))
        if signature.name:
            lines += [("", False, False)] * 3 + [(signature.name, True, False)]
        for text, bold, italic in lines:
            if text:
                cell = sheet.cell(row=row, column=first, value=printable(text))
                cell.font = Font(name=_FONT, bold=bold, italic=italic)
                cell.alignment = Alignment(horizontal="center")
                if width > first:
                    sheet.merge_cells(
                        start_row=row, start_column=first, end_row=row, end_column=width
                    )
            row += 1


def _table(sheet: Any, table: Table, row: int) -> int:
    plain, bold = Font(name=_FONT), Font(name=_FONT, bold=True)
    bold_rows = set(table.bold_rows)
    # Each look of a cell (bold or not, count or text, centred or not) is set once through the
    # style attributes and then copied: openpyxl hashes every style object it is given, which
    # cost ≈ 0.04 ms a cell (a late list of 3,700 rows: ≈ 1.4 s). Equal to setting each
    # cell's attributes: tests/core/test_documents_xlsx_styles.py.
    looks: dict[tuple[bool, bool, bool], Any] = {}
    for index, values in enumerate(table.rows):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=_value(value))
            count = isinstance(cell.value, int)
            centred = count and (col > len(table.align) or table.align[col - 1] != "left")
            look = (index in bold_rows, count, centred)
            if look in looks:
                cell._style = copy(looks[look])
                continue
            cell.font = bold if look[0] else plain
            cell.alignment = _CENTER if centred else _TOP
            cell.border = _BOX
            if count:
                cell.number_format = _COUNT_FORMAT
            looks[look] = copy(cell._style)
        row += 1
    for note in table.notes:
        row += 1
        _line(sheet, row, len(table.columns), note, False, "left")
        sheet.cell(row=row, column=1).font = Font(name=_FONT, italic=True)
    return row + 1


def workbook(document: Document) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheets = _sheets(document)
    if not sheets:
        sheet.title = document.title[:31] or "1"
        for row, (text, bold, align) in enumerate(
            (line for line in _identity(document) if line[0]), start=1
        ):
            _line(sheet, row, 1, text, bold, align)
    for index, (lines, table, signed) in enumerate(sheets):
        if index:
            sheet = book.create_sheet()
        sheet.title = (table.sheet or table.caption or document.title)[:31] or str(index + 1)
        width = len(table.columns)
        row = 1
        for text, bold, align in lines:
            if text:
                _line(sheet, row, width, text, bold, align)
                row += 1
        if table.caption:
            _line(sheet, row, width, table.caption, True, "left")
            row += 1
        top = row + 1
        row = _head(sheet, table, top)
        sheet.freeze_panes = sheet.cell(row=row, column=1)
        sheet.print_title_rows = f"{top}:{row - 1}"
        row = _table(sheet, table, row)
        if signed:
            _signature(sheet, document, row + 1, width)
        widths = table.widths or tuple(1.0 for _ in table.columns)
        mean = sum(widths) / len(widths)
        for col, w in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = max(6, 12 * w / mean)
        if width > 8:
            sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        text_cells_only(sheet)
    return book


def render_xlsx(document: Document) -> bytes:
    out = io.BytesIO()
    workbook(document).save(out)
    return out.getvalue()
