"""A document as an editable DOCX (python-docx), Times New Roman, the same blocks in the same
order as the PDF."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from motcua.core.cleaning import printable
from motcua.core.documents.model import (
    MOTTO,
    MOTTO_LINE_2,
    Document,
    Fields,
    Heading,
    Image,
    Paragraph,
    Table,
    cell_text,
    header_grid,
)

FONT_NAME = "Times New Roman"

_PAGE = {
    # paper: (width, height, margins top right bottom left in mm, body size)
    "A4": (210, 297, (20, 15, 20, 30), 13),
    "A5": (148, 210, (10, 10, 10, 15), 10.5),  # as the PDF
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


def _fixed_widths(table: Any, widths_mm: list[float]) -> None:
    """Column widths that every word processor keeps: a fixed layout, the grid's columns (what
    LibreOffice reads) and the first row's cells (what Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for cell, width in zip(table.rows[0].cells, widths_mm, strict=True):
        cell.width = Mm(width)


def _after_a_table(docx: Any) -> None:
    """A small empty paragraph when the body ends with a table: word processors join two
    adjacent tables into one (borders and widths of the first spill into the second)."""
    body = docx.element.body
    last = [child for child in body if child.tag != qn("w:sectPr")]
    if last and last[-1].tag == qn("w:tbl"):
        spacer = docx.add_paragraph()
        spacer.paragraph_format.space_after = Pt(0)
        _run(spacer, "", size=4)


def _cell_margins(table: Any, mm: float) -> None:
    """Left and right cell padding (Word's default, 1.9 mm, splits narrow columns' headings)."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _setup(docx: Any, document: Document) -> float:
    width, height, (top, right, bottom, left), size = _PAGE[document.paper]
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
    if document.sample:
        _line(docx, "MẪU", first=False, align="right", bold=True, size=16)
    if document.form_label:
        _line(docx, document.form_label, align="right", bold=True)
    table = docx.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell_margins(table, 0.5)
    _fixed_widths(table, [text_width * 0.42, text_width * 0.58])
    left, right = table.rows[0].cells
    # The header's type is a little smaller than the body's, as in the PDF, so that the
    # national motto holds on one line (Decree 30/2020: 12-13 pt on A4).
    size = _PAGE[document.paper][3] * (0.9 if document.paper == "A5" else 0.95)
    size = round(size * 2) / 2  # Word keeps half points
    first = True
    if h.parent:
        _line(left, h.parent.upper(), first=True, bold=h.parent_bold, size=size)
        first = False
    _line(left, h.unit.upper(), first=first, bold=True, size=size)
    if h.number:
        _line(left, h.number, size=size)
    _line(right, MOTTO, first=True, bold=True, size=size)
    _line(right, MOTTO_LINE_2, bold=True, underline=True, size=size)
    if h.place_date:
        _line(right, h.place_date, italic=True, size=size).paragraph_format.space_before = Pt(6)


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


_JC = {"justify": "both", "left": "left", "center": "center", "right": "right"}
_BORDERS = "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _tc(
    text: str,
    width: int,
    *,
    align: str,
    size: float,
    bold: bool = False,
    span: int = 1,
    merge: str = "",
    middle: bool = False,
) -> str:
    """One cell as WordprocessingML: its width, span and vertical merge (a heading centred
    vertically: ``middle``), one paragraph."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge:
        props += '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>"
    if middle:
        props += '<w:vAlign w:val="center"/>'
    run_props = f'{"<w:b/>" if bold else ""}<w:sz w:val="{round(size * 2)}"/>'
    runs = (
        "<w:r><w:br/></w:r>".join(
            f'<w:r><w:rPr>{run_props}</w:rPr><w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>'
            for line in printable(text).split("\n")
        )
        if text
        else ""
    )
    return (
        f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:spacing w:after="0"/>'
        f'<w:jc w:val="{_JC[align]}"/></w:pPr>{runs}</w:p></w:tc>'
    )


def _head_rows(block: Table, cols: list[int], size: float) -> list[str]:
    """The header rows, spans as grid spans and vertical merges, repeated on each page."""
    rows: list[dict[int, tuple[str, int, str]]] = [{} for _ in range(len(block.head) or 1)]
    for r, c, cell in header_grid(block):
        merge = "restart" if cell.rowspan > 1 else ""
        rows[r][c] = (cell.text, cell.colspan, merge)
        for below in range(r + 1, r + cell.rowspan):
            rows[below][c] = ("", cell.colspan, "continue")
    out = []
    for cells in rows:
        tcs = "".join(
            _tc(
                text,
                sum(cols[c : c + span]),
                align="center",
                size=size,
                bold=True,
                span=span,
                middle=True,
                merge=merge,
            )
            for c, (text, span, merge) in sorted(cells.items())
        )
        repeat = "<w:trPr><w:tblHeader/></w:trPr>" if block.head else ""
        out.append(f"<w:tr>{repeat}{tcs}</w:tr>")
    return out


def _table(docx: Any, block: Table, text_width: float) -> None:
    """A ruled table, written as WordprocessingML at once (a form of 1,700 cells would take
    seconds through python-docx's cell objects): fixed column widths in the grid and in every
    cell, the header rows repeated on each page, counts centred."""
    if block.caption:
        _line(docx, block.caption, align="left", bold=True)
    _after_a_table(docx)
    size = block.font_pt or (8.5 if block.dense else 10)
    widths = block.widths or tuple(1.0 for _ in block.columns)
    total = sum(widths)
    cols = [_twips(text_width * w / total) for w in widths]
    margin = _twips(1)
    rows = _head_rows(block, cols, size)
    if block.numbers:
        rows.append(
            "<w:tr>"
            + "".join(
                _tc(f"({i + 1})", width, align="center", size=size) for i, width in enumerate(cols)
            )
            + "</w:tr>"
        )
    bold = set(block.bold_rows)
    for r, row in enumerate(block.rows):
        tcs = []
        for i, value in enumerate(row):
            if i < len(block.align):
                align = block.align[i]
            else:
                align = "center" if isinstance(value, int) or str(value).isdigit() else "left"
            tcs.append(_tc(cell_text(value), cols[i], align=align, size=size, bold=r in bold))
        rows.append(f"<w:tr>{''.join(tcs)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in cols)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(cols)}" w:type="dxa"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        f"{''.join(rows)}</w:tbl>"
    )
    docx.element.body._insert_tbl(parse_xml(xml))
    for note in block.notes:
        _line(docx, note, align="left", italic=True, size=size)


def _signatures(docx: Any, document: Document, text_width: float) -> None:
    if not document.signatures and not document.recipients:
        return
    left = bool(document.recipients) or len(document.signatures) == 1  # signer on the right
    columns = len(document.signatures) + (1 if left else 0)
    _after_a_table(docx)
    table = docx.add_table(rows=1, cols=columns)
    _no_borders(table)
    _fixed_widths(table, [text_width / columns] * columns)
    cells = list(table.rows[0].cells)
    if left:
        cell = cells.pop(0)
        if document.recipients:
            _line(cell, "Nơi nhận:", first=True, align="left", bold=True, italic=True, size=11)
        for recipient in document.recipients:
            _line(cell, f"- {recipient}", align="left", size=10)
    for cell, signature in zip(cells, document.signatures, strict=True):
        for i, line in enumerate(signature.title.upper().split("\n")):
            _line(cell, line, first=i == 0, bold=True)
        if signature.note:
            _line(cell, signature.note, italic=True)
        for _ in range(4):
            _line(cell, "")
        _line(cell, signature.name, bold=True)


def _fields(container: Any, block: Fields, *, first: bool = False) -> None:
    for i, (label, value) in enumerate(block.rows):
        paragraph = container.paragraphs[0] if first and i == 0 else container.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(1)
        _run(paragraph, f"{label}: ")
        _text(paragraph, value)


def _blocks_beside(blocks: list) -> list:
    """The text blocks that follow a right-floating image, up to and with the first fields:
    what the PDF flows beside the image (taken off ``blocks``). It stops there so that a table
    never follows the two cells directly (word processors join adjacent tables)."""
    beside = []
    while blocks and isinstance(blocks[0], Paragraph | Fields):
        beside.append(blocks.pop(0))
        if isinstance(beside[-1], Fields):
            break
    return beside


def _beside(docx: Any, image: Image, beside: list, text_width: float) -> None:
    """A right-floating image (the receipt's QR code) as the PDF places it, beside the text
    that follows: a borderless table of two cells, the text left and the image right."""
    _after_a_table(docx)
    table = docx.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell_margins(table, 0)
    image_width = image.width_mm + 6
    _fixed_widths(table, [text_width - image_width, image_width])
    left, right = table.rows[0].cells
    first = True
    for block in beside:
        if isinstance(block, Fields):
            _fields(left, block, first=first)
        else:
            paragraph = left.paragraphs[0] if first else left.add_paragraph()
            paragraph.alignment = _ALIGN[block.align]
            if block.indent and block.align == "justify":
                paragraph.paragraph_format.first_line_indent = Mm(10)
            _text(paragraph, block.text, bold=block.bold, italic=block.italic)
        first = False
    picture = right.paragraphs[0]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(image.png), width=Mm(image.width_mm))
    if image.caption:
        _line(right, image.caption, size=8)


# The order of a table's properties in the schema (ECMA-376 CT_TblPr); python-docx appends
# some after w:tblLook, which strict readers refuse.
_TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def _schema_order(docx: Any) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TBLPR_ORDER)}
    for tblpr in docx.element.body.iter(qn("w:tblPr")):
        children = sorted(tblpr, key=lambda child: rank.get(child.tag, len(rank)))
        for child in children:
            tblpr.remove(child)
            tblpr.append(child)


def render_docx(document: Document) -> bytes:
    docx = new_docx()
    text_width = _setup(docx, document)
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
    _body(docx, document.blocks, text_width)
    _signatures(docx, document, text_width)
    for annex in document.annexes:
        docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _body(docx, annex, text_width)
    _schema_order(docx)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def _body(docx: Any, body: tuple, text_width: float) -> None:
    blocks = list(body)
    while blocks:
        block = blocks.pop(0)
        if isinstance(block, Image) and block.float_right:
            _beside(docx, block, _blocks_beside(blocks), text_width)
        elif isinstance(block, Paragraph):
            paragraph = docx.add_paragraph()
            paragraph.alignment = _ALIGN[block.align]
            if block.indent and block.align == "justify":
                paragraph.paragraph_format.first_line_indent = Mm(10)
            style = {"size": block.size_pt} if block.size_pt else {}
            _text(paragraph, block.text, bold=block.bold, italic=block.italic, **style)
        elif isinstance(block, Heading):
            paragraph = docx.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.first_line_indent = Mm(10)
            _text(paragraph, block.text, bold=True)
        elif isinstance(block, Fields):
            _fields(docx, block)
        elif isinstance(block, Table):
            _table(docx, block, text_width)
        elif isinstance(block, Image):
            paragraph = docx.add_paragraph()
            paragraph.alignment = _ALIGN[block.align]
            paragraph.add_run().add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
            if block.caption:
                _line(docx, block.caption, align=block.align, size=9)
        else:
            raise TypeError(f"not a document block: {block!r}")
