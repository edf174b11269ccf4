"""The narrative report as an editable DOCX, in the layout of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from motcua.core.cleaning import printable, printable_deep
from motcua.stats.reports import audit_annex, charts, narrative
from motcua.stats.reports.letterhead import Letterhead, letterhead

FONT_NAME = "Times New Roman"
BODY_SIZE = Pt(14)


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: Pt | None = None,
) -> None:
    run = paragraph.add_run(printable(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = size


def _cell_line(cell: _Cell, text: str, first: bool = False, **style: Any) -> Paragraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)
    return paragraph


def _no_borders(table: Any) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _setup(document: Any) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT_NAME
    style.font.size = BODY_SIZE
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)
    style.paragraph_format.space_after = Pt(6)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)


def _heading_block(document: Any, report: Mapping[str, Any], head: Letterhead, options) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    for index, (line, bold) in enumerate(head.issuer_lines):
        _cell_line(left, line, first=index == 0, bold=bold, size=Pt(13))
    _cell_line(left, "")
    _cell_line(left, head.number, size=Pt(13))
    _cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True, size=Pt(13))
    _cell_line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=Pt(14))
    _cell_line(right, "")
    issued_on = options.get("issued_on")
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    _cell_line(right, head.date_line(issued_on), italic=True)


def _paragraph(
    document: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    _run(paragraph, text, bold=bold, italic=italic)
    return paragraph


def _late_table(document: Any, rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(narrative.LATE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, narrative.LATE_COLUMNS, strict=True):
        _cell_line(cell, title, first=True, bold=True, size=Pt(10))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell_line(cell, value, first=True, size=Pt(10))


def _ending(document: Any, head: Letterhead) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    _run(heading, "Nơi nhận:", bold=True, italic=True, size=Pt(12))
    for recipient in head.recipients:
        line = left.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        _run(line, f"- {recipient}", size=Pt(11))
    for index, line in enumerate(head.signer_lines):
        _cell_line(right, line, first=index == 0, bold=True)
    _cell_line(right, "(Ký, ghi rõ họ tên)", italic=True, size=Pt(12))
    for _ in range(3):
        _cell_line(right, "")
    _cell_line(right, head.signer_name, bold=True)


def render_docx(report: Mapping[str, Any], **options: Any) -> bytes:
    report, options = printable_deep(report), printable_deep(options)
    head = letterhead(report.get("unit"), options)
    document = Document()
    _setup(document)
    _heading_block(document, report, head, options)
    for kind, value in narrative.report_body(report, options):
        if kind == "title":
            title = document.add_paragraph()
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            title.paragraph_format.space_before = Pt(18)
            title.paragraph_format.space_after = Pt(0)
            _run(title, value, bold=True)
        elif kind == "subtitle":
            subtitle = document.add_paragraph()
            subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(subtitle, value, bold=True)
        elif kind == "section":
            _paragraph(document, value, bold=True)
        elif kind == "chart":
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(charts.report_chart(report)), width=Cm(15))
        elif kind == "late_table":
            _late_table(document, value)
        else:
            _paragraph(document, value)
    _ending(document, head)
    if options.get("index_annex"):
        from motcua.stats.service_index.documents import append_docx

        document.add_page_break()
        append_docx(document, options["index_annex"])
    audit_annex.add_to_docx(document, options.get("audit_annex"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
