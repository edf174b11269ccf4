"""The control report (seed 004) as a document of the model of ``core.documents``, rendered to
DOCX and PDF by its renderers: the letterhead, recipients and signer of the unit's level and
its remembered report settings (``stats/reports/letterhead.py``, ``stats.ReportSettings``, as
the narrative report), the title, the narrative, the table of figures and the next-period
tasks. Pure: figures and options in, a document out."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document as read_docx

from motcua.control import narrative as text
from motcua.core.cleaning import printable_deep
from motcua.core.documents import render
from motcua.core.documents.model import Block, Document, Heading, Paragraph, Table
from motcua.stats.reports.document import header, signature
from motcua.stats.reports.letterhead import letterhead

FORMATS = ("docx", "pdf")


def control_document(
    report: Mapping[str, Any],
    *,
    tasks: Sequence[str] | None = None,
    scope: str = "",
    **options: Any,
) -> Document:
    """The report's document. ``options`` are the letterhead's (``letterhead.EDITABLE``:
    parent_name, unit_name, number, symbol, place, recipients, signer_title, signer_name) and
    ``issued_on``; the unit's remembered settings are passed this way."""
    report, options = printable_deep(report), printable_deep(options)
    head = letterhead(report.get("unit"), options)
    issuer = str(options.get("unit_name") or text.get(report, "unit.name", ""))
    period = text.control_period_text(report)
    scope = scope or (
        "toàn tỉnh" if text.get(report, "unit.level", "") == "province" else "toàn đơn vị"
    )
    blocks: list[Block] = [
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        Paragraph(
            f"Trong {period}, công tác kiểm soát thủ tục hành chính (TTHC) tiếp tục được {issuer} "
            "quan tâm thực hiện; các cơ quan, đơn vị triển khai đồng bộ các nhiệm vụ theo kế hoạch."
        ),
    ]
    blocks += [
        Paragraph(sentence)
        for sentence in (
            text.drafts_sentence(report) + " " + text.publication_sentence(report, issuer),
            text.posting_sentence(report, period),
            text.review_sentence(report) + " " + text.catalogue_sentence(report),
            text.online_sentence(report, period, scope),
            text.results_sentence(report, period, scope),
        )
    ]
    blocks.append(
        Table(
            columns=("Chỉ tiêu", "Số lượng"),
            rows=tuple(tuple(row) for row in text.figures_rows(report)),
            widths=(4, 1),
            align=("left", "right"),
            font_pt=11,
            sheet="Số liệu",
        )
    )
    blocks.append(Heading("II. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"))
    blocks += [
        Paragraph(f"{index}. {task}")
        for index, task in enumerate(tasks or text.DEFAULT_TASKS, start=1)
    ]
    return Document(
        header=header(head, options.get("issued_on")),
        title="BÁO CÁO",
        subtitle=f"Kết quả thực hiện kiểm soát thủ tục hành chính {period}",
        blocks=tuple(blocks),
        signatures=(signature(head),),
        recipients=head.recipients,
        filename="kiem-soat-tthc",
    )


def render_control_report(report: Mapping[str, Any], *, fmt: str = "docx", **options: Any) -> bytes:
    """The control report in ``fmt`` (docx or pdf); options as :func:`control_document`."""
    return render(control_document(report, **options), fmt=fmt)


def docx_text(content: bytes) -> str:
    """All the text of a DOCX (paragraphs and table cells), for checks and previews."""
    doc = read_docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)
