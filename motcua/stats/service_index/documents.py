"""The index as an annex to the monthly report: XLSX (criteria and ranking sheets) and DOCX
(a table of criteria and the ranking of child units), from the dict of ``scoring`` only —
on its own (``render``) or appended to the monthly report's documents (``append_xlsx`` /
``append_docx``, called by ``stats/reports`` with the ``index_annex`` option)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.cleaning import text_cells_only
from motcua.stats.rates import format_count, format_percent, format_points

FONT_NAME = "Times New Roman"
NOT_MEASURED = "Chưa đo"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _points(value: float | None) -> str:
    return format_points(value, empty=NOT_MEASURED)


def title(index: Mapping[str, Any]) -> str:
    p = index["period"]
    start, end = (dt.date.fromisoformat(p[k]).strftime("%d/%m/%Y") for k in ("start", "end"))
    return (
        f"Phụ lục: Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) — "
        f"{index['unit']['name']}, từ ngày {start} đến ngày {end}"
    )


def summary(index: Mapping[str, Any]) -> str:
    s = index["score"]
    if s["scaled"] is None:
        return "Chưa có tiêu chí nào đo được trong kỳ."
    return (
        f"Điểm: {_points(s['points'])}/{format_count(int(s['max']))} điểm của các tiêu chí đo được "
        f"(quy đổi {_points(s['scaled'])}/100). Các tiêu chí chưa đo được không tính vào điểm "
        f"tối đa."
    )


CRITERIA_HEADER = (
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Tử số",
    "Mẫu số",
    "Tỷ lệ",
    "Điểm",
    "Công thức",
    "Nguồn",
)


def criteria_rows(index: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    groups = {g["code"]: g for g in index["groups"]}
    seen = set()
    for c in index["criteria"]:
        if c["group"] not in seen:
            seen.add(c["group"])
            g = groups[c["group"]]
            rows.append(
                [g["code"], g["name"], g["max_points"], "", "", "", _points(g["points"]), "", ""]
            )
        rows.append(
            [
                c["code"],
                c["name"],
                c["max_points"],
                "" if c["numerator"] is None else c["numerator"],
                "" if c["denominator"] is None else c["denominator"],
                format_percent(c["rate"]) if c["measured"] else "",
                _points(c["points"]),
                c["formula"],
                c["source"],
            ]
        )
    return rows


RANKING_HEADER = ("Hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Điểm tối đa đo được", "Quy đổi /100")


def ranking_rows(index: Mapping[str, Any]) -> list[list[Any]]:
    return [
        [
            r["rank"],
            r["unit"]["code"],
            r["unit"]["name"],
            _points(r["score"]["points"]),
            format_count(int(r["score"]["max"])),
            _points(r["score"]["scaled"]),
        ]
        for r in index.get("children") or []
    ]


def append_xlsx(wb: Workbook, index: Mapping[str, Any], *, first: Any = None) -> None:
    """The annex's sheets ("Chỉ số 766", "Xếp hạng" when there are children) added to ``wb``
    (into ``first`` when given: the empty sheet of a new workbook)."""
    ws = first if first is not None else wb.create_sheet()
    ws.title = "Chỉ số 766"
    bold = Font(name=FONT_NAME, bold=True)
    ws.append([title(index)])
    ws.append([summary(index)])
    ws.append([])
    ws.append(list(CRITERIA_HEADER))
    for cell in ws[4]:
        cell.font = bold
    for row in criteria_rows(index):
        ws.append(row)
    for col, width in zip("ABCDEFGHI", (6, 48, 10, 10, 10, 10, 10, 60, 40), strict=True):
        ws.column_dimensions[col].width = width
    for line in ws.iter_rows(min_row=5):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if index.get("children"):
        rk = wb.create_sheet("Xếp hạng")
        rk.append(list(RANKING_HEADER))
        for cell in rk[1]:
            cell.font = bold
        for row in ranking_rows(index):
            rk.append(row)
        rk.column_dimensions["C"].width = 40
        text_cells_only(rk)
    text_cells_only(ws)


def render_xlsx(index: Mapping[str, Any]) -> bytes:
    wb = Workbook()
    append_xlsx(wb, index, first=wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _table(document: Any, header: tuple[str, ...], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def append_docx(document: Any, index: Mapping[str, Any]) -> None:
    """The annex's title, summary, criteria, ranking and formulas added to ``document``."""
    document.add_paragraph().add_run(title(index)).bold = True
    document.add_paragraph(summary(index))
    short = [r[:7] for r in criteria_rows(index)]
    _table(document, CRITERIA_HEADER[:7], short)
    if index.get("children"):
        document.add_paragraph()
        document.add_paragraph().add_run("Xếp hạng các đơn vị trực thuộc").bold = True
        _table(document, RANKING_HEADER, ranking_rows(index))
    document.add_paragraph()
    document.add_paragraph().add_run("Công thức và nguồn").bold = True
    for c in index["criteria"]:
        document.add_paragraph(f"{c['code']} {c['name']}: {c['formula']} ({c['source']}).")


def render_docx(index: Mapping[str, Any]) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT_NAME
    style.font.size = Pt(12)
    append_docx(document, index)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(index: Mapping[str, Any], fmt: str) -> bytes:
    if fmt == "xlsx":
        return render_xlsx(index)
    if fmt == "docx":
        return render_docx(index)
    raise ValueError(f"index annex: unknown format '{fmt}' (xlsx or docx)")
