"""Reading printed forms back: PDF text (poppler's pdftotext), DOCX text (python-docx)."""

from __future__ import annotations

import io
import re
import subprocess

from docx import Document as read_docx


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace runs made single spaces."""
    assert data.startswith(b"%PDF")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", out)


def pdf_pages_and_size(data: bytes) -> tuple[int, str]:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    info = out.stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+(.*)", info).group(1)
    return pages, size


def pdf_fonts(data: bytes) -> str:
    return subprocess.run(
        ["pdffonts", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def docx_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return re.sub(r"\s+", " ", " ".join(parts))
