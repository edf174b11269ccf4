"""Biểu số 06 and the narrative summary as a PDF (WeasyPrint, landscape A4)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string

from motcua.core.cleaning import printable_deep
from motcua.stats.reports import audit_annex, charts, form06, narrative
from motcua.stats.reports.formatting import fmt_int
from motcua.stats.reports.narrative import get


def context(report: Mapping[str, Any], **options: Any) -> dict[str, Any]:
    issued_on = options.get("issued_on")
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    rows = [
        {
            "number": row.number,
            "label": row.label,
            "kind": row.kind,
            "figures": [fmt_int(value) for value in row.figures],
        }
        for row in form06.rows(report)
    ]
    chart = charts.report_chart(report) if options.get("chart", True) else None
    return {
        "unit_name": get(report, "unit.name", ""),
        "parent_name": options.get("parent_name")
        or get(report, "unit.parent.name", "")
        or "UBND TỈNH ………",
        "number": narrative.document_number(report, options.get("number")),
        "date_line": narrative.date_line(options.get("place", ""), issued_on),
        "period_text": narrative.period_text(report),
        "results": narrative.results_paragraph(report),
        "extras": [
            text
            for text in (
                narrative.one_way_sentence(report),
                narrative.work_sentence(report),
                narrative.satisfaction_sentence(report),
                narrative.comparison_paragraph(report),
                narrative.external_note(report),
            )
            if text
        ],
        "form_title": form06.TITLE,
        "groups": form06.GROUPS,
        "subheaders": form06.SUBHEADERS,
        "column_numbers": [f"({n})" for n in range(1, len(form06.SUBHEADERS) + 3)],
        "rows": rows,
        "external_footnote": form06.EXTERNAL_FOOTNOTE if form06.has_external(report) else "",
        "chart": base64.b64encode(chart).decode("ascii") if chart else "",
        "late_columns": narrative.LATE_COLUMNS,
        "late_rows": narrative.late_rows(report),
        "late_intro": narrative.late_intro(report),
        "signer_title": str(options.get("signer_title") or "GIÁM ĐỐC").upper(),
        "signer_name": options.get("signer_name") or "",
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
