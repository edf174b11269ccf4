"""The narrative report as a PDF (WeasyPrint), A4 portrait in the layout of Decree 30/2020 and
with the same content as the DOCX (the blocks of `narrative.report_body`, the letterhead of
`letterhead.py`), followed by Biểu số 06 as an annex. Liberation Serif, metric-compatible with
Times New Roman, with the Vietnamese glyphs of its version 2 (Debian's fonts-liberation2)."""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from motcua.core.cleaning import printable_deep
from motcua.core.documents.pdf import cyclic_gc_paused
from motcua.stats.reports import audit_annex, charts, form06, narrative
from motcua.stats.reports.formatting import fmt_int
from motcua.stats.reports.letterhead import letterhead
from motcua.stats.reports.narrative import get


def context(report: Mapping[str, Any], **options: Any) -> dict[str, Any]:
    issued_on = options.get("issued_on")
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    head = letterhead(report.get("unit"), options)
    rows = [
        {
            "number": row.number,
            "label": row.label,
            "kind": row.kind,
            "figures": [fmt_int(value) for value in row.figures],
        }
        for row in form06.rows(report)
    ]
    blocks = []
    for kind, value in narrative.report_body(report, options):
        if kind == "chart":
            value = base64.b64encode(charts.report_chart(report)).decode("ascii")
        blocks.append({"kind": kind, "value": value})
    official = form06.OFFICIAL_COLUMNS
    return {
        "unit_name": get(report, "unit.name", ""),
        "issuer_lines": head.issuer_lines,
        "number": head.number,
        "date_line": head.date_line(issued_on),
        "period_text": narrative.period_text(report),
        "blocks": blocks,
        "late_columns": narrative.LATE_COLUMNS,
        "recipients": head.recipients,
        "signer_lines": head.signer_lines,
        "signer_name": head.signer_name,
        "form_title": form06.TITLE,
        "groups": form06.GROUPS,
        "received_parts": form06.SUBHEADERS[1:4],
        "subheaders_total": form06.SUBHEADERS[0],
        "other_subheaders": form06.SUBHEADERS[4:],
        "official_columns": official,
        "column_numbers": [f"({n})" for n in range(1, len(form06.SUBHEADERS) + 3)],
        "rows": rows,
        "external_footnote": form06.EXTERNAL_FOOTNOTE if form06.has_external(report) else "",
        **_audit_annex(options.get("audit_annex")),
    }


def _audit_annex(annex: Mapping[str, Any] | None) -> dict[str, Any]:
    if annex is None:
        return {"audit_annex": None}
    return {
        "audit_annex": {
            "title": audit_annex.TITLE,
            "notes": audit_annex.notes(annex),
            "columns": audit_annex.COLUMNS,
            "rows": audit_annex.lines(annex),
        }
    }


# WeasyPrint's image cache is kept for this many documents: the charts repeat (many communes
# share their figures) and a cached chart is neither decoded nor compressed again.
IMAGE_CACHE_DOCUMENTS = 64
STYLESHEET = Path(__file__).resolve().parents[2] / "templates/stats/documents/report_pdf.css"


@dataclass
class _Engine:
    """What every document of a process shares: the parsed stylesheet, the font configuration
    (fontconfig and Pango's font map, loaded once) and the image cache."""

    pid: int
    html: Any
    stylesheet: Any
    fonts: Any
    images: dict[str, Any] = field(default_factory=dict)
    documents: int = 0


_engine: _Engine | None = None


def engine() -> _Engine:
    """The process's WeasyPrint setup, made on first use (and again in a forked child: Pango's
    objects are not shared across a fork)."""
    global _engine
    if _engine is None or _engine.pid != os.getpid():
        from weasyprint import CSS, HTML  # imported here: loading Pango is slow
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts)
        _engine = _Engine(pid=os.getpid(), html=HTML, stylesheet=stylesheet, fonts=fonts)
    return _engine


def render_pdf(report: Mapping[str, Any], **options: Any) -> bytes:
    report, options = printable_deep(report), printable_deep(options)
    html = render_to_string("stats/documents/report_pdf.html", context(report, **options))
    shared = engine()
    shared.documents += 1
    if shared.documents % IMAGE_CACHE_DOCUMENTS == 0:
        shared.images.clear()
    with cyclic_gc_paused():
        return shared.html(string=html).write_pdf(
            stylesheets=[shared.stylesheet], font_config=shared.fonts, cache=shared.images
        )
