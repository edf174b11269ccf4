"""A report dict (statistics.md §5) as documents of the model of ``core.documents``, built once
and rendered to every format by the core renderers:

- :func:`narrative` — the narrative report (DOCX, PDF): the letterhead of the unit's level
  (``letterhead.py``), the blocks of ``narrative.report_body`` with the chart and the late list,
  the recipients and the signer, then the annexes: Biểu số 06, the Decision 766 index
  (``index_annex`` option) and the audit digests (``audit_annex`` option);
- :func:`form` — Biểu số 06 (XLSX): the form's table under the unit's header, signed by its
  head, the whole late list as a sheet of its own, then the same annexes as sheets.

The narrative prints the ``MOTCUA_DOCUMENT_LATE_ROWS`` most overdue rows of the late list;
the workbook and the JSON hold every row (decisions.md #52).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from motcua.core.cleaning import printable_deep
from motcua.core.documents.model import (
    Block,
    Document,
    Header,
    Heading,
    Image,
    Paragraph,
    Signature,
    Table,
)
from motcua.stats.reports import audit_annex, charts, form06, late, narrative
from motcua.stats.reports.letterhead import Letterhead, letterhead

SIGN_NOTE = "(Ký, ghi rõ họ tên)"
LATE_WIDTHS = (0.8, 2.6, 2.6, 1.75, 1.75, 1.75, 1.75, 2.4)
LATE_ALIGN = ("center", "left", "left", *(["center"] * 4), "left")


def printed_late_rows() -> int | None:
    """How many late dossiers a printed report lists at most (``MOTCUA_DOCUMENT_LATE_ROWS``;
    0: every one), decisions.md #52."""
    from django.conf import settings

    return int(getattr(settings, "MOTCUA_DOCUMENT_LATE_ROWS", 0)) or None


def printed_late_list(report: Mapping[str, Any]) -> list[Any]:
    """The rows of the late list that the narrative's table prints: the most overdue first
    (``stats.sections.most_overdue``, the list's own ranking), in the list's order."""
    from motcua.stats.sections import most_overdue

    return most_overdue(report.get("late_list") or [], printed_late_rows())


def late_annex(report: Mapping[str, Any]) -> tuple[Block, ...]:
    """The whole late list as the workbook's sheet ``late.LATE_SHEET`` (none when empty)."""
    rows = late.late_sheet_rows(report)
    if not rows:
        return ()
    return (
        Heading(late.late_heading(report)),
        Paragraph(late.late_intro(report)),
        Table(
            columns=late.LATE_SHEET_COLUMNS,
            rows=tuple(tuple(row) for row in rows),
            widths=(*LATE_WIDTHS, 2.4),
            align=(*LATE_ALIGN, "left"),
            font_pt=9,
            sheet=late.LATE_SHEET,
        ),
    )


def header(head: Letterhead, issued_on: Any) -> Header:
    """The header block of a report of the unit: the issuer's two lines, number, place, date."""
    if isinstance(issued_on, str):
        issued_on = dt.date.fromisoformat(issued_on)
    (parent, parent_bold), (unit, _bold) = head.issuer_lines[0], head.issuer_lines[-1]
    return Header(
        unit=unit,
        parent=parent if len(head.issuer_lines) > 1 else "",
        parent_bold=parent_bold,
        number=head.number,
        place_date=head.date_line(issued_on),
    )


def signature(head: Letterhead) -> Signature:
    """The signer: the title's lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), the note, the name."""
    return Signature("\n".join(head.signer_lines), SIGN_NOTE, head.signer_name)


def annexes(report: Mapping[str, Any], options: Mapping[str, Any]) -> list[tuple[Block, ...]]:
    """The annexes after the form: the Decision 766 index and the audit digests, when given."""
    found = []
    if options.get("index_annex"):
        from motcua.stats.service_index.documents import blocks

        found.append(blocks(options["index_annex"]))
    if options.get("audit_annex") is not None:
        found.append(audit_annex.blocks(options["audit_annex"]))
    return found


def _body(report: Mapping[str, Any], body: list[tuple[str, Any]]) -> tuple[Block, ...]:
    """The blocks of ``narrative.report_body`` after the title and subtitle."""
    blocks: list[Block] = []
    for kind, value in body[2:]:  # the title and subtitle are the document's own
        if kind == "section":
            blocks.append(Heading(value))
        elif kind == "chart":
            blocks.append(Image(charts.report_chart(report), width_mm=150, align="center"))
        elif kind == "late_table":
            blocks.append(
                Table(
                    columns=narrative.LATE_COLUMNS,
                    rows=tuple(tuple(row) for row in value),
                    widths=LATE_WIDTHS,
                    align=LATE_ALIGN,
                    font_pt=9,
                    sheet=late.LATE_SHEET,
                )
            )
        else:
            blocks.append(Paragraph(value))
    return tuple(blocks)


def narrative_document(report: Mapping[str, Any], **options: Any) -> Document:
    """The narrative report with its annexes (options: those of ``stats.reports.render``)."""
    report, options = printable_deep(report), printable_deep(options)
    head = letterhead(report.get("unit"), options)
    body = narrative.report_body(report, options, printed_late_list(report))
    (_, title), (_, subtitle) = body[:2]
    return Document(
        header=header(head, options.get("issued_on")),
        title=title,
        subtitle=subtitle,
        blocks=_body(report, body),
        signatures=(signature(head),),
        recipients=head.recipients,
        annexes=(form06.annex(report), *annexes(report, options)),
        filename="bao-cao",
    )


def form_document(report: Mapping[str, Any], **options: Any) -> Document:
    """Biểu số 06 on its own (the workbook), with the same annexes as the narrative report."""
    report, options = printable_deep(report), printable_deep(options)
    head = letterhead(report.get("unit"), options)
    return Document(
        header=header(head, options.get("issued_on")),
        title=form06.TITLE,
        subtitle=form06.subtitle(report),
        form_label=form06.FORM_LABEL,
        blocks=(form06.table(report),),
        signatures=(signature(head),),
        annexes=tuple(a for a in (late_annex(report), *annexes(report, options)) if a),
        filename="bieu-06",
    )
