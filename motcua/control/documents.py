"""The control report as a DOCX (python-docx), laid out as Decree 30/2020 asks: agency header and
national motto, number, place and date, title, narrative, next-period tasks, recipients and
signature. A pure renderer: figures in, bytes out."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from motcua.control import narrative as text
from motcua.core.cleaning import printable, printable_deep
from motcua.stats.reports.letterhead import letterhead
from motcua.stats.reports.narrative import abbreviation

FONT = "Times New Roman"


def _run(paragraph: Any, value: str, *, bold: bool = False, italic: bool = False, size: int = 13):
    run = paragraph.add_run(printable(value))
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    run.font.size = Pt(size)
    return run


def _paragraph(
    container: Any,
    value: str = "",
    *,
    align=None,
    bold=False,
    italic=False,
    size=13,
    indent: bool = False,
) -> Any:
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(4)
    if value:
        _run(paragraph, value, bold=bold, italic=italic, size=size)
    return paragraph


def _header(doc: Any, *, lines: Sequence[tuple[str, bool]], number: str, dateline: str) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].alignment = center
    for index, (line, bold) in enumerate(lines):
        if index == 0:
            _run(left.paragraphs[0], line, bold=bold, size=12)
        else:
            _paragraph(left, line, align=center, bold=bold, size=12)
    _paragraph(left, number, align=center, size=13)
    right.paragraphs[0].alignment = center
    _run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", align=center, bold=True, size=13)
    _paragraph(right, dateline, align=center, italic=True, size=13)


def default_number(issuer: str) -> str:
    """ "Số:      /BC-UBND" for a People's Committee, else the issuer's initials."""
    code = "UBND" if issuer.upper().startswith("UBND") else abbreviation(issuer)
    return f"Số:      /BC-{code}"


def render_control_report_docx(
    report: Mapping[str, Any],
    *,
    number: str | None = None,
    issuer: str | None = None,
    parent: str = "",
    place: str = "",
    issued_on: date | None = None,
    signer: str = "",
    signer_title: str = "",
    tasks: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None,
    scope: str = "",
) -> bytes:
    """The seed-004 report. `issuer` defaults to the unit's name; the header, the number
    ("Số: …/BC-<the unit's abbreviation>"), the place, the recipients and the signer to those of the unit's level
    (`stats/reports/letterhead.py`)."""
    report = printable_deep(report)  # stored names may hold characters XML cannot
    frame = letterhead(
        report.get("unit"),
        {
            "parent_name": parent,
            "place": place,
            "number": number,
            "signer_title": signer_title,
            "signer_name": signer,
            "recipients": list(recipients or []),
        },
    )
    lines = frame.issuer_lines
    if issuer:
        lines = (
            ((parent.upper(), False), (issuer.upper(), True))
            if parent
            else ((issuer.upper(), True),)
        )
    issuer = issuer or str(text.get(report, "unit.name", ""))
    period = text.control_period_text(report)
    scope = scope or (
        "toàn tỉnh" if text.get(report, "unit.level", "") == "province" else "toàn đơn vị"
    )
    doc = Document()
    section = doc.sections[0]
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)

    _header(doc, lines=lines, number=frame.number, dateline=frame.date_line(issued_on))
    center = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(doc, "BÁO CÁO", align=center, bold=True, size=14)
    _paragraph(
        doc, f"Kết quả thực hiện kiểm soát thủ tục hành chính {period}", align=center, bold=True
    )
    _paragraph(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    _paragraph(
        doc,
        f"Trong {period}, công tác kiểm soát thủ tục hành chính (TTHC) tiếp tục được {issuer} "
        "quan tâm thực hiện; các cơ quan, đơn vị triển khai đồng bộ các nhiệm vụ theo kế hoạch.",
        align=justify,
        indent=True,
    )
    for sentence in (
        text.drafts_sentence(report) + " " + text.publication_sentence(report, issuer),
        text.posting_sentence(report, period),
        text.review_sentence(report) + " " + text.catalogue_sentence(report),
        text.online_sentence(report, period, scope),
        text.results_sentence(report, period, scope),
    ):
        _paragraph(doc, sentence, align=justify, indent=True)

    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    _run(head[0].paragraphs[0], "Chỉ tiêu", bold=True, size=12)
    _run(head[1].paragraphs[0], "Số lượng", bold=True, size=12)
    for label, value in text.figures_rows(report):
        cells = table.add_row().cells
        _run(cells[0].paragraphs[0], label, size=12)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(cells[1].paragraphs[0], value, size=12)

    _paragraph(doc, "II. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", bold=True)
    for index, task in enumerate(tasks or text.DEFAULT_TASKS, start=1):
        _paragraph(doc, f"{index}. {task}", align=justify, indent=True)

    footer = doc.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    _run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for recipient in frame.recipients:
        _paragraph(left, f"- {recipient}", size=11)
    right.paragraphs[0].alignment = center
    for index, line in enumerate(frame.signer_lines):
        if index == 0:
            _run(right.paragraphs[0], line, bold=True, size=13)
        else:
            _paragraph(right, line, align=center, bold=True, size=13)
    for _ in range(3):
        _paragraph(right, "", align=center)
    _paragraph(right, signer, align=center, bold=True, size=13)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_text(content: bytes) -> str:
    """All the text of a DOCX (paragraphs and table cells), for checks and previews."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)
