"""Administrative documents: one model (``model.py``), several renderers (PDF, DOCX, XLSX).

render(document, fmt="pdf") -> bytes
"""

from __future__ import annotations

from motcua.core.documents.model import (
    Cell,
    Document,
    Fields,
    Header,
    Heading,
    Image,
    Paragraph,
    Signature,
    Table,
    date_line,
    number_line,
)
from motcua.core.errors import MotcuaError

FORMATS = ("pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "Cell",
    "Document",
    "Fields",
    "Header",
    "Heading",
    "Image",
    "Paragraph",
    "Signature",
    "Table",
    "date_line",
    "number_line",
    "render",
]


def render(document: Document, *, fmt: str) -> bytes:
    """The document in ``fmt``: pdf, docx, or xlsx (its tables only)."""
    if fmt == "pdf":
        from motcua.core.documents.pdf import render_pdf

        return render_pdf(document)
    if fmt == "docx":
        from motcua.core.documents.docx import render_docx

        return render_docx(document)
    if fmt == "xlsx":
        from motcua.core.documents.xlsx import render_xlsx

        return render_xlsx(document)
    raise MotcuaError(f"unknown document format '{fmt}'; expected one of: {', '.join(FORMATS)}")
