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


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: Literal["justify", "left", "center", "right"] = "justify"
    indent: bool = True  # first-line indent of the body text


@dataclass(frozen=True)
class Fields:
    """Label: value lines (the applicant, the procedure, ...)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A ruled table; ``widths`` are relative column widths."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    caption: str = ""
    numbers: bool = False  # a row of column numbers (1), (2), ... under the headings
    dense: bool = False  # a smaller type for wide registers


@dataclass(frozen=True)
class Image:
    """An image in the body (e.g. a QR code): PNG bytes, width in millimetres."""

    png: bytes
    width_mm: float = 25
    caption: str = ""
    float_right: bool = False  # beside the blocks that follow it (PDF), else on its own line


Block = Paragraph | Fields | Table | Image


@dataclass(frozen=True)
class Signature:
    """One signer column: title (upper case), a note such as "(Ký, ghi rõ họ tên)", a name."""

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
    paper: Paper = "A4"
    orientation: Orientation = "portrait"
    sample: bool = False  # a sample dossier set: "MẪU" at the top right (Circular 03/2025 Art. 10)
    filename: str = "document"  # without extension
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]
