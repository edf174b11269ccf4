"""Documents made from a report dict (statistics.md §5): the narrative report (DOCX, PDF) and
Biểu số 06 (XLSX), each built once in the model of ``core.documents``
(``stats/reports/document.py``) and rendered by its renderers.

render(report, fmt="docx", place="Bắc Giang", number="125/BC-SCT", signer_title="Giám đốc",
       signer_name="...", recipients=[...], tasks_text="...", proposals_text="...",
       issued_on=date(...)) -> bytes
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.core.documents import CONTENT_TYPES
from motcua.core.documents import render as render_document
from motcua.core.documents.model import Document
from motcua.core.errors import MotcuaError

FORMATS = ("docx", "xlsx", "pdf")
__all__ = ["CONTENT_TYPES", "FORMATS", "build", "render"]


def build(report: Mapping[str, Any], *, fmt: str, **options: Any) -> Document:
    """The document of ``report`` that format ``fmt`` prints: the narrative report (DOCX, PDF)
    or Biểu số 06 (XLSX)."""
    from motcua.stats.reports.document import form_document, narrative_document

    if fmt in ("docx", "pdf"):
        return narrative_document(report, **options)
    if fmt == "xlsx":
        return form_document(report, **options)
    raise MotcuaError(f"unknown document format '{fmt}'; expected one of: {', '.join(FORMATS)}")


def render(report: Mapping[str, Any], *, fmt: str, **options: Any) -> bytes:
    """The document for `report` in format `fmt` (docx, xlsx or pdf).

    Options: place, number, signer_title, signer_name, recipients (list of str), tasks_text,
    proposals_text (str or list of paragraphs), issued_on (date or ISO string), parent_name,
    unit_name, symbol, legal_basis (list of paragraphs replacing the default), chart (False to
    leave it out), index_annex (the Decision 766 index dict of ``service_index.scoring``,
    appended as an annex; see ``service_index.scoring.report_annex``), audit_annex
    (``ops.auditchain.report_annex``).
    """
    return render_document(build(report, fmt=fmt, **options), fmt=fmt)
