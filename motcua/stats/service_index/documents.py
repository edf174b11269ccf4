"""The index as blocks of the document model (``core.documents``): the criteria and the
ranking of the child units, from the dict of ``scoring`` only — on its own (``render``: DOCX,
XLSX) or as an annex of the monthly report's documents (``blocks``, printed by
``stats/reports/document.py`` with the ``index_annex`` option)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from motcua.core.documents import render as render_document
from motcua.core.documents.model import Block, Document, Header, Paragraph, Table
from motcua.stats.rates import format_count, format_percent, format_points

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


def blocks(index: Mapping[str, Any]) -> tuple[Block, ...]:
    """The index in the document model (``core.documents``): title, summary, the criteria with
    their formula and source, the ranking of the child units; each table a sheet of the
    workbook."""
    out: list[Block] = [
        Paragraph(title(index), bold=True, align="left", indent=False),
        Paragraph(summary(index), align="left", indent=False),
        Table(
            columns=CRITERIA_HEADER,
            rows=tuple(tuple(row) for row in criteria_rows(index)),
            widths=(0.8, 3.4, 0.9, 0.8, 0.8, 1, 0.9, 3.4, 2.4),
            align=("left", "left", *(["center"] * 5), "left", "left"),
            font_pt=8,
            sheet="Chỉ số 766",
        ),
    ]
    if index.get("children"):
        out.append(
            Table(
                columns=RANKING_HEADER,
                rows=tuple(tuple(row) for row in ranking_rows(index)),
                widths=(0.7, 1.6, 4, 1, 1.2, 1),
                align=("center", "left", "left", "center", "center", "center"),
                font_pt=9,
                sheet="Xếp hạng",
            )
        )
    return tuple(out)


def document(index: Mapping[str, Any]) -> Document:
    """The index on its own: the unit's header over the annex's blocks."""
    return Document(
        header=Header(unit=str(index["unit"]["name"])),
        title="Bộ chỉ số phục vụ người dân, doanh nghiệp",
        blocks=blocks(index),
        filename=f"chi-so-766-{index['unit'].get('code', '')}",
    )


def render(index: Mapping[str, Any], fmt: str) -> bytes:
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"index annex: unknown format '{fmt}' (xlsx or docx)")
    return render_document(document(index), fmt=fmt)


def render_xlsx(index: Mapping[str, Any]) -> bytes:
    return render(index, "xlsx")


def render_docx(index: Mapping[str, Any]) -> bytes:
    return render(index, "docx")
