"""The rows of "Biểu số 06" (Circular 01/2020/TT-VPCP), as a table of the document model
(``core.documents``): the annex of the narrative report and the sheet of its workbook.

Columns: the official ones of forms.md, in its order — received (total / new online / new direct
and postal / carried over), resolved (total / early / on time / late), pending (total / within
deadline / overdue) — then, under a heading that marks them as added, refused, withdrawn and
stopped, so that every row reconciles (statistics.md §2 identity 1: received = resolved +
refused + withdrawn + stopped + pending). Rows: per field when the
report has `by_field`, per child unit (`children`), a summary row per level when the children
are of different levels, and the total (the unit's own counters, not a sum: the unit may also
handle dossiers itself, statistics.md §2 identity 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from motcua.core.documents.model import Block, Cell, Paragraph, Table
from motcua.stats.reports.narrative import get, period_text

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT"
GROUPS = (
    ("Số hồ sơ nhận giải quyết", 4),
    ("Số hồ sơ đã giải quyết", 4),
    ("Số hồ sơ đang giải quyết", 3),
    ("Cột bổ sung để đối chiếu (không thuộc mẫu): hồ sơ kết thúc không có kết quả giải quyết", 3),
)
SUBHEADERS = (
    "Tổng số",
    "Số mới tiếp nhận trực tuyến",
    "Số mới tiếp nhận trực tiếp và qua BCCI",
    "Số kỳ trước chuyển qua",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
    "Trả lại",
    "Rút hồ sơ",
    "Dừng giải quyết",
)
OFFICIAL_COLUMNS = 11  # the columns of Circular 01/2020; the others are added
# Column indexes (0-based, in `values`) of identity 1's terms.
RECEIVED, RESOLVED, PENDING = 0, 4, 8
NOT_RESOLVED = (11, 12, 13)
EXTERNAL_MARK = " (*)"
EXTERNAL_FOOTNOTE = (
    "(*) Số liệu do cơ quan ngoài hệ thống (giải quyết hồ sơ trên hệ thống của bộ, ngành) "
    "cung cấp, nhập vào hệ thống theo kỳ báo cáo."
)


def values(counters: Mapping[str, Any]) -> list[int]:
    """The figures of one row, in column order (SUBHEADERS)."""
    by_channel = get(counters, "received.by_channel", {}) or {}
    return [
        get(counters, "received.total"),
        get(counters, "received.by_channel.online"),
        (by_channel.get("direct") or 0) + (by_channel.get("postal") or 0),
        get(counters, "received.carried_over"),
        get(counters, "resolved.total"),
        get(counters, "resolved.early"),
        get(counters, "resolved.on_time"),
        get(counters, "resolved.late"),
        get(counters, "pending.total"),
        get(counters, "pending.not_due"),
        get(counters, "pending.overdue"),
        get(counters, "refused"),
        get(counters, "withdrawn"),
        get(counters, "stopped"),
    ]


def balances(figures: list[int]) -> bool:
    """Identity 1 on one row: received = resolved + refused + withdrawn + stopped + pending."""
    closed = figures[RESOLVED] + sum(figures[i] for i in NOT_RESOLVED)
    return figures[RECEIVED] == closed + figures[PENDING]


@dataclass
class Row:
    label: str
    figures: list[int]
    kind: str = "item"  # section | item | level | total
    number: str = ""


def _level_name(item: Mapping[str, Any]) -> str:
    level = get(item, "unit.level", "")
    if isinstance(level, Mapping):
        level = level.get("name") or level.get("code")
    if not level and item.get("external"):
        return "Cơ quan ngoài hệ thống"
    return str(level or "")


def _field_items(report: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    by_field = report.get("by_field")
    if isinstance(by_field, Mapping):
        return [(str(name), counters) for name, counters in by_field.items()]
    items = []
    for entry in by_field or []:
        field = entry.get("field")
        name = field.get("name") if isinstance(field, Mapping) else field
        items.append((str(name or get(entry, "unit.name", "")), entry))
    return items


def _unit_label(child: Mapping[str, Any]) -> str:
    label = str(get(child, "unit.name", "") or get(child, "unit.code", ""))
    return label + (EXTERNAL_MARK if child.get("external") else "")


def _sum(rows: list[list[int]]) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * len(SUBHEADERS)


def rows(report: Mapping[str, Any]) -> list[Row]:
    result: list[Row] = []
    roman = iter(("I", "II", "III"))
    fields = _field_items(report)
    if fields:
        result.append(Row("Theo lĩnh vực", [], "section", next(roman)))
        for index, (name, counters) in enumerate(fields, start=1):
            result.append(Row(name, values(counters), "item", str(index)))
    children = list(report.get("children") or [])
    children += [item for item in report.get("external") or [] if item not in children]
    if children:
        result.append(Row("Theo đơn vị", [], "section", next(roman)))
        levels: dict[str, list[Mapping[str, Any]]] = {}
        for child in children:
            levels.setdefault(_level_name(child), []).append(child)
        grouped = len(levels) > 1
        index = 0
        for level, members in levels.items():
            if grouped:
                member_values = [values(child) for child in members]
                result.append(Row(level or "Khác", _sum(member_values), "level"))
            for child in members:
                index += 1
                result.append(Row(_unit_label(child), values(child), "item", str(index)))
    result.append(Row("Tổng cộng", values(report), "total"))
    return result


def has_external(report: Mapping[str, Any]) -> bool:
    return bool(report.get("external")) or any(
        child.get("external") for child in report.get("children") or []
    )


FORM_LABEL = "Biểu số 06"
COLUMNS = ("STT", "Lĩnh vực, đơn vị", *SUBHEADERS)
BOLD_KINDS = frozenset({"section", "level", "total"})


def head() -> tuple[tuple[Cell, ...], ...]:
    """The three rows of headings: the groups, "Tổng số" and "Trong đó" of the received, the
    parts of the received."""
    groups = tuple(Cell(name, colspan=width) for name, width in GROUPS)
    middle = (
        Cell(SUBHEADERS[0], rowspan=2),
        Cell("Trong đó", colspan=3),
        *(Cell(title, rowspan=2) for title in SUBHEADERS[4:]),
    )
    return (
        (Cell("STT", rowspan=3), Cell("Lĩnh vực, đơn vị", rowspan=3), *groups),
        middle,
        tuple(Cell(title) for title in SUBHEADERS[1:4]),
    )


def table(report: Mapping[str, Any]) -> Table:
    """The form as a document table: its figures as counts, a section row left blank."""
    lines = rows(report)
    return Table(
        columns=COLUMNS,
        head=head(),
        rows=tuple(
            (row.number, row.label, *(row.figures or [""] * len(SUBHEADERS))) for row in lines
        ),
        widths=(5, 18, *([77 / len(SUBHEADERS)] * len(SUBHEADERS))),
        numbers=True,
        bold_rows=tuple(i for i, row in enumerate(lines) if row.kind in BOLD_KINDS),
        align=("center", "left", *(["center"] * len(SUBHEADERS))),
        font_pt=7.5,
        notes=(EXTERNAL_FOOTNOTE,) if has_external(report) else (),
        sheet="Biểu 06",
    )


def subtitle(report: Mapping[str, Any]) -> str:
    return f"Kỳ báo cáo: {period_text(report)} — Đơn vị báo cáo: {get(report, 'unit.name', '')}"


def annex(report: Mapping[str, Any]) -> tuple[Block, ...]:
    """The form as an annex of the narrative report: its number, title, period and unit, and
    the table."""
    return (
        Paragraph(FORM_LABEL, bold=True, align="left", indent=False),
        Paragraph(TITLE, bold=True, align="center", indent=False),
        Paragraph(subtitle(report), italic=True, align="center", indent=False),
        table(report),
    )
