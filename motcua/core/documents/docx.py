"""A document as an editable DOCX (python-docx), Times New Roman, the same blocks in the same
order as the PDF."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from motcua.core.cleaning import printable
from motcua.core.documents.model import (
    MOTTO,
    MOTTO_LINE_2,
    Document,
    Fields,
    Image,
    Paragraph,
    Table,
)

FONT_NAME = "Times New Roman"

_PAGE = {
    # paper: (width, height, margins top right bottom left in mm, body size, header size);
    # the PDF's (pdf.py), so that both files of a form lay out alike (form 01 fits one A5 page)
    "A4": (210, 297, (20, 15, 20, 30), 13, 12.5),
    "A5": (148, 210, (10, 10, 10, 15), 10.5, 9.5),
}
_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _run(paragraph: Any, text: str, **style: Any) -> None:
    run = paragraph.add_run(printable(str(text)))
    for name in ("bold", "italic", "underline"):  # only what is set: fewer XML elements
        if style.get(name):
            setattr(run, name, True)
    if style.get("size"):
        run.font.size = Pt(style["size"])


def _text(paragraph: Any, text: str, **style: Any) -> None:
    """Text with line breaks kept as breaks inside one paragraph."""
    for i, line in enumerate(str(text).split("\n")):
        if i:
            paragraph.add_run().add_break()
        _run(paragraph, line, **style)


def _line(container: Any, text: str, *, first: bool = False, align: str = "center", **style: Any):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    _text(paragraph, text, **style)
    return paragraph


def _no_borders(table: Any) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _cell_margins(table: Any, mm: float) -> None:
    """Left and right padding of every cell (Word's default, 1.9 mm, wraps "STT" in a narrow
    column); the PDF pads cells by 3 pt."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(mm * 56.7)))  # twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _grid_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _setup(docx: Any, document: Document) -> float:
    width, height, (top, right, bottom, left), size, _head = _PAGE[document.paper]
    if document.orientation == "landscape":
        top, right, bottom, left = 15, 15, 15, 20
    style = docx.styles["Normal"]
    style.font.name = FONT_NAME
    style.font.size = Pt(size)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)
    style.paragraph_format.space_after = Pt(3)
    section = docx.sections[0]
    if document.orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    return width - left - right  # text width in mm


def _header(docx: Any, document: Document, text_width: float) -> None:
    h = document.header
    size = _PAGE[document.paper][4]
    if document.sample:
        _line(docx, "MẪU", first=False, align="right", bold=True, size=16)
    if document.form_label:
        _line(docx, document.form_label, align="right", bold=True)
    table = docx.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _cell_margins(table, 1)
    left, right = table.rows[0].cells
    # The motto keeps to one line, as in the PDF (where its cell does not wrap).
    for column, cell, share in zip(table.columns, (left, right), (0.38, 0.62), strict=True):
        column.width = cell.width = Mm(text_width * share)
    first = True
    if h.parent:
        _line(left, h.parent.upper(), first=True, size=size)
        first = False
    _line(left, h.unit.upper(), first=first, bold=True, size=size)
    if h.number:
        _line(left, h.number, size=size)
    _line(right, MOTTO, first=True, bold=True, size=size)
    _line(right, MOTTO_LINE_2, bold=True, underline=True, size=size)
    if h.place_date:
        line = _line(right, h.place_date, italic=True, size=size)
        line.paragraph_format.space_before = Pt(6)


def _table(docx: Any, block: Table, text_width: float, body: float) -> None:
    if block.caption:
        _line(docx, block.caption, align="left", bold=True)
    rows = len(block.rows) + 1 + (1 if block.numbers else 0)
    table = docx.add_table(rows=rows, cols=len(block.columns))
    table.autofit = False  # the column widths below, not the widths of the words
    _grid_borders(table)
    _cell_margins(table, 1)
    # 0.85 (dense: 0.74) of the body size as in the PDF, at most 10 pt (8.5 pt dense)
    size = min(8.5, body * 0.74) if block.dense else min(10, body * 0.85)
    widths = block.widths or tuple(1.0 for _ in block.columns)
    total = sum(widths)
    ncols = len(block.columns)
    cells = table._cells  # computed once: row.cells is slow on long tables
    for i, heading in enumerate(block.columns):
        _line(cells[i], heading, first=True, bold=True, size=size)
    offset = 1
    if block.numbers:
        for i in range(ncols):
            _line(cells[ncols + i], f"({i + 1})", first=True, size=size)
        offset = 2
    for r, row in enumerate(block.rows):
        for i, value in enumerate(row):
            _line(
                cells[(r + offset) * ncols + i],
                value,
                first=True,
                align="center" if str(value).isdigit() else "left",
                size=size,
            )
    for i, column in enumerate(table.columns):
        column.width = Mm(text_width * widths[i] / total)
    for i, cell in enumerate(cells[:ncols]):
        cell.width = Mm(text_width * widths[i] / total)


def _signatures(docx: Any, document: Document, text_width: float) -> None:
    if not document.signatures and not document.recipients:
        return
    left = bool(document.recipients) or len(document.signatures) == 1  # signer on the right
    columns = len(document.signatures) + (1 if left else 0)
    table = docx.add_table(rows=1, cols=columns)
    _no_borders(table)
    cells = list(table.rows[0].cells)
    if left:
        cell = cells.pop(0)
        if document.recipients:
            _line(cell, "Nơi nhận:", first=True, align="left", bold=True, italic=True, size=11)
        for recipient in document.recipients:
            _line(cell, f"- {recipient}", align="left", size=10)
    for cell, signature in zip(cells, document.signatures, strict=True):
        _line(cell, signature.title.upper(), first=True, bold=True)
        if signature.note:
            _line(cell, signature.note, italic=True)
        for _ in range(4):
            _line(cell, "")
        _line(cell, signature.name, bold=True)


def _block(container: Any, block: object, text_width: float, body: float) -> None:
    """One body block added to ``container`` (the document, or a table cell)."""
    if isinstance(block, Paragraph):
        paragraph = container.add_paragraph()
        paragraph.alignment = _ALIGN[block.align]
        if block.indent and block.align == "justify":
            paragraph.paragraph_format.first_line_indent = Mm(10)
        _text(paragraph, block.text, bold=block.bold, italic=block.italic)
    elif isinstance(block, Fields):
        for label, value in block.rows:
            paragraph = container.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(1)
            _run(paragraph, f"{label}: ")
            _text(paragraph, value)
    elif isinstance(block, Table):
        _table(container, block, text_width, body)
    elif isinstance(block, Image):
        _image(container, block)
    else:
        raise TypeError(f"not a document block: {block!r}")


def _image(container: Any, block: Image, align: str = "right") -> None:
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
    if block.caption:
        _line(container, block.caption, align=align, size=7 if align == "center" else 9)


def _beside(docx: Any, image: Image, blocks: list, text_width: float, body: float) -> None:
    if not blocks:
        _image(docx, image)
        return
    table = docx.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    text_cell, image_cell = table.rows[0].cells
    side = image.width_mm + 6
    widths = (Mm(text_width - side), Mm(side))
    for column, cell, width in zip(table.columns, (text_cell, image_cell), widths, strict=True):
        column.width = cell.width = width
    for block in blocks:
        _block(text_cell, block, text_width - side, body)
    _image(image_cell, image, align="center")
    # A new cell starts with an empty paragraph: drop it where content was added after it.
    for cell in (text_cell, image_cell):
        first = cell.paragraphs[0]
        if not first.text and len(cell.paragraphs) > 1:
            first._element.getparent().remove(first._element)


def render_docx(document: Document) -> bytes:
    docx = new_docx()
    text_width = _setup(docx, document)
    body = _PAGE[document.paper][3]
    # The default document starts with no paragraph; the header table comes first.
    _header(docx, document, text_width)
    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(0)
    _text(title, document.title.upper(), bold=True, size=14)
    if document.subtitle:
        _line(docx, document.subtitle, bold=True)
    docx.add_paragraph()
    blocks = list(document.blocks)
    while blocks:
        block = blocks.pop(0)
        if isinstance(block, Image) and block.float_right:
            # Beside the text blocks that follow it, as the PDF floats it: a borderless table,
            # the text on the left, the image on the right.
            # Up to the first fields block, as tall as the image in the PDF.
            beside = []
            while blocks and isinstance(blocks[0], Paragraph | Fields):
                beside.append(blocks.pop(0))
                if isinstance(beside[-1], Fields):
                    break
            _beside(docx, block, beside, text_width, body)
            if blocks and isinstance(blocks[0], Table) and not blocks[0].caption:
                _line(docx, "", size=1)  # two tables in a row would be merged into one
        else:
            _block(docx, block, text_width, body)
    _signatures(docx, document, text_width)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
