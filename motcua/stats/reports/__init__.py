"""Documents made from a report dict (statistics.md §5): narrative DOCX, Biểu số 06 XLSX and PDF.

render(report, fmt="docx", place="Bắc Giang", number="125/BC-SCT", signer_title="Giám đốc",
       signer_name="...", recipients=[...], tasks_text="...", proposals_text="...",
       issued_on=date(...)) -> bytes
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.core.errors import MotcuaError

FORMATS = ("docx", "xlsx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render(report: Mapping[str, Any], *, fmt: str, **options: Any) -> bytes:
    """The document for `report` in format `fmt` (docx, xlsx or pdf).

    Options: place, number, signer_title, signer_name, recipients (list of str), tasks_text,
    proposals_text (str or list of paragraphs), issued_on (date or ISO string), parent_name,
    legal_basis (list of paragraphs replacing the default), chart (False to leave it out),
    index_annex (DOCX and XLSX: the Decision 766 index dict of ``service_index.scoring``,
    appended as an annex; see ``service_index.scoring.report_annex``).
    """
    if fmt == "docx":
        from motcua.stats.reports.docx import render_docx

        return render_docx(report, **options)
    if fmt == "xlsx":
        from motcua.stats.reports.xlsx import render_xlsx

        return render_xlsx(report, **options)
    if fmt == "pdf":
        from motcua.stats.reports.pdf import render_pdf

        return render_pdf(report, **options)
    raise MotcuaError(f"unknown document format '{fmt}'; expected one of: {', '.join(FORMATS)}")
