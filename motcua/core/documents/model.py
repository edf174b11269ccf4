"""A small model of an administrative document (Decree 30/2020/NĐ-CP layout), independent of
what it is about: the header block (issuing body under its parent, number, national motto,
place and date line), a title, a body of paragraphs, label/value lines and tables, the
signature block and the recipients. Builders (the dossier forms, the statistics reports) fill
it; the renderers of this package (``pdf``, ``docx``, ``xlsx``) turn one model into bytes, so
every format of a document shows the same data in the same order.

Pure data: no Django model, no app import (``tests/core/test_layering.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE_2 = "Độc lập - Tự do - Hạnh phúc"
BLANK = "………"

Paper = Literal["A4", "A5"]
Align = Literal["justify", "left", "center", "right"]
Orientation = Literal["portrait", "landscape"]


def date_line(place: str, issued_on: dt.date | None) -> str:
    """ "Bắc Giang, ngày 05 tháng 02 năm 2020" (Decree 30/2020: day under 10 and months 1-2 on
    two digits). Without a date the day is left blank for the signer."""
    place = place or BLANK
    if issued_on is None:
        return f"{place}, ngày …… tháng …… năm ……"
    day = f"{issued_on.day:02d}" if issued_on.day < 10 else str(issued_on.day)
    month = f"{issued_on.month:02d}" if issued_on.month < 3 else str(issued_on.month)
    return f"{place}, ngày {day} tháng {month} năm {issued_on.year}"


def number_line(number: str = "", suffix: str = "") -> str:
    """ "Số: 12/TB-UBND", or "Số:      /TB-UBND" with the number left for the clerk."""
    if number:
        return number if number.startswith("Số") else f"Số: {number}"
    return f"Số: {BLANK}/{suffix}" if suffix else f"Số: {BLANK}"


@dataclass(frozen=True)
class Header:
    """The block above the title: issuing body (left) and national motto (right)."""

    unit: str
    parent: str = ""
    number: str = ""  # the whole line, e.g. "Số: …/TB-TTPVHCC" (see number_line)
    place_date: str = ""  # the whole line (see date_line)
    parent_bold: bool = False  # "ỦY BAN NHÂN DÂN" over its area: both lines bold


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True  # first-line indent of the body text
    size_pt: float = 0  # a type size of its own (notes); 0: the body's


@dataclass(frozen=True)
class Heading:
    """A section heading of the body ("1. Kết quả"): bold, kept with what follows."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Label: value lines (the applicant, the procedure, ...)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Cell:
    """A heading cell of a grouped header row, spanning columns and rows."""

    text: str
    colspan: int = 1
    rowspan: int = 1


Value = str | int  # an int is a count: printed "1.766", a number in a workbook


@dataclass(frozen=True)
class Table:
    """A ruled table; ``widths`` are relative column widths.

    ``columns`` are the headings of the columns, one each; ``head`` (rows of :class:`Cell`
    with spans) replaces them as the printed header when the headings are grouped. A value is
    text or an int (a count). ``bold_rows`` are the indexes of the rows printed bold (section,
    subtotal and total rows); ``align`` the alignment of each column's values (else a count or
    a number is centred, text left). ``notes`` are printed under the table; ``sheet`` names
    its sheet in a workbook."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    widths: tuple[float, ...] = ()
    caption: str = ""
    numbers: bool = False  # a row of column numbers (1), (2), ... under the headings
    dense: bool = False  # a smaller type for wide registers
    head: tuple[tuple[Cell, ...], ...] = ()
    bold_rows: tuple[int, ...] = ()
    align: tuple[Align, ...] = ()
    font_pt: float = 0  # a type size of its own (a form of many columns); 0: the default
    notes: tuple[str, ...] = ()
    sheet: str = ""


@dataclass(frozen=True)
class Image:
    """An image in the body (e.g. a QR code): PNG bytes, width in millimetres."""

    png: bytes
    width_mm: float = 25
    caption: str = ""
    float_right: bool = False  # beside the blocks that follow it (PDF), else on its own line
    align: Literal["left", "center", "right"] = "right"  # on its own line


Block = Paragraph | Heading | Fields | Table | Image


@dataclass(frozen=True)
class Signature:
    """One signer column: title (upper case; one printed line per line, as "KT. GIÁM ĐỐC\n
    PHÓ GIÁM ĐỐC"), a note such as "(Ký, ghi rõ họ tên)", a name."""

    title: str
    note: str = ""
    name: str = ""


@dataclass(frozen=True)
class Document:
    header: Header
    title: str
    blocks: tuple[Block, ...] = ()
    subtitle: str = ""
    form_label: str = ""  # "Mẫu số 01", printed above the header on the right
    signatures: tuple[Signature, ...] = ()
    recipients: tuple[str, ...] = ()  # "Nơi nhận:" lines, left of the signature
    annexes: tuple[tuple[Block, ...], ...] = ()  # after the signature, each on a new page
    paper: Paper = "A4"
    orientation: Orientation = "portrait"
    sample: bool = False  # a sample dossier set: "MẪU" at the top right (Circular 03/2025 Art. 10)
    filename: str = "document"  # without extension
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def tables(self) -> list[Table]:
        """The tables of the body, then those of the annexes."""
        blocks = [*self.blocks, *(block for annex in self.annexes for block in annex)]
        return [block for block in blocks if isinstance(block, Table)]


def cell_text(value: Value) -> str:
    """How a table's value prints: a count with the Vietnamese thousands dot ("1.766", the rule
    of ``stats.rates.format_count``), text as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


def header_grid(table: Table) -> list[tuple[int, int, Cell]]:
    """Where each cell of the table's header goes: (row, column, cell), rows and columns from
    0, a cell placed in the first column its row leaves free (as HTML places spans). Without
    ``head``, one row of ``columns``."""
    if not table.head:
        return [(0, i, Cell(text)) for i, text in enumerate(table.columns)]
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, cells in enumerate(table.head):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update(
                (r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)
            )
            c += cell.colspan
    return placed
