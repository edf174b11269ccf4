"""The narrative report as a PDF (WeasyPrint), A4 portrait in the layout of Decree 30/2020 and
with the same content as the DOCX (the blocks of `narrative.report_body`, the letterhead of
`letterhead.py`), followed by Biểu số 06 as an annex. Liberation Serif, metric-compatible with
Times New Roman, with the Vietnamese glyphs of its version 2 (Debian's fonts-liberation2)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string

from motcua.core.cleaning import printable_deep
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


def render_pdf(report: Mapping[str, Any], **options: Any) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow

    report, options = printable_deep(report), printable_deep(options)
    html = render_to_string("stats/documents/report_pdf.html", context(report, **options))
    return HTML(string=html).write_pdf()
