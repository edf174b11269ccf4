"""The workbook's table cells are styled once per look and copied (core/documents/xlsx.py
``_table``): each cell ends with exactly the font, alignment, border and number format that
setting them one by one gives (the plain way, written here with openpyxl's public attributes)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from motcua.core.documents import xlsx
from motcua.core.documents.model import Table

values = st.one_of(
    st.integers(0, 10**6),
    st.text(alphabet="0123456789", min_size=1, max_size=3),
    st.text(alphabet="abcĐơn vị ", max_size=6),
)


@st.composite
def tables(draw) -> Table:
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=8))
    align = draw(st.lists(st.sampled_from(["left", "center", "right"]), max_size=width))
    bold = draw(st.sets(st.integers(0, max(0, len(rows) - 1)), max_size=3))
    return Table(
        columns=tuple(f"c{i}" for i in range(width)),
        rows=tuple(tuple(r) for r in rows),
        align=tuple(align),
        bold_rows=tuple(sorted(bold)),
    )


def plain(sheet, table: Table, row: int) -> None:
    """The cells styled one attribute at a time, as ``_table`` did before it copied looks."""
    box = Side(style="thin", color="000000")
    for index, cells in enumerate(table.rows):
        for col, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=col, value=xlsx._value(value))
            cell.font = Font(name="Times New Roman", bold=index in table.bold_rows)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(left=box, right=box, top=box, bottom=box)
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
                if col > len(table.align) or table.align[col - 1] != "left":
                    cell.alignment = Alignment(
                        horizontal="center", vertical="center", wrap_text=True
                    )
        row += 1


def look(cell) -> tuple:
    return (
        cell.value,
        cell.font.name,
        bool(cell.font.b),
        cell.alignment.horizontal,
        cell.alignment.vertical,
        bool(cell.alignment.wrap_text),
        tuple(getattr(cell.border, s).style for s in ("left", "right", "top", "bottom")),
        cell.number_format,
    )


@settings(max_examples=60, deadline=None)
@given(table=tables())
def test_copied_looks_equal_the_plain_styling(table):
    book = Workbook()
    fast, slow = book.active, book.create_sheet()
    xlsx._table(fast, table, 1)
    plain(slow, table, 1)
    width = len(table.columns)
    for r in range(1, len(table.rows) + 1):
        for c in range(1, width + 1):
            assert look(fast.cell(row=r, column=c)) == look(slow.cell(row=r, column=c))
