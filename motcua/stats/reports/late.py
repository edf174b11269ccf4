"""The late list in the report's documents (statistics.md §4's rows; pure functions): the
sentence before its table, the table's rows and the fuller rows of its sheet in the workbook.
A printed report lists the most overdue rows only, the workbook every row (decisions.md #52).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.stats.reports.formatting import LANGUAGE, fmt_count
from motcua.stats.reports.frame import fmt_date, period_text

LATE_SHEET = "Hồ sơ quá hạn"  # the late list's sheet in the report's workbook (Biểu 06)


def late_heading(report: Mapping[str, Any]) -> str:
    """The heading of the late list's sheet: what it lists, for which period and unit."""
    with translation.override(LANGUAGE):
        return _("Dossiers resolved late or overdue, %(period)s — %(unit)s") % {
            "period": period_text(report),
            "unit": (report.get("unit") or {}).get("name", ""),
        }


def late_intro(report: Mapping[str, Any], shown: int | None = None) -> str:
    """The sentence before the late list's table; ``shown``: how many of the list's rows the
    table prints (all by default; decisions.md #52: the rest are in the workbook's sheet)."""
    listed = len(report.get("late_list") or [])
    count = max(listed, report.get("late_list_total") or 0)  # the list may be capped (#51)
    if not count:
        return "Trong kỳ không có hồ sơ giải quyết quá hạn."
    shown = listed if shown is None else min(shown, listed)
    values = {
        "count": fmt_count(count),
        "listed": fmt_count(listed),
        "shown": fmt_count(shown),
        "sheet": LATE_SHEET,
    }
    with translation.override(LANGUAGE):
        if shown < listed and listed < count:
            return (
                _(
                    "In the period %(count)s dossiers were resolved late or are overdue; the "
                    "%(shown)s most overdue are listed below, the %(listed)s most overdue in "
                    "the sheet “%(sheet)s” of the report's workbook (Form 06):"
                )
                % values
            )
        if shown < listed:
            return (
                _(
                    "In the period %(count)s dossiers were resolved late or are overdue; the "
                    "%(shown)s most overdue are listed below, the whole list is in the sheet "
                    "“%(sheet)s” of the report's workbook (Form 06):"
                )
                % values
            )
        if listed < count:
            return (
                _(
                    "In the period %(count)s dossiers were resolved late or are overdue; the "
                    "%(listed)s most overdue are listed below:"
                )
                % values
            )
    return (
        f"Trong kỳ có {fmt_count(count)} hồ sơ giải quyết quá hạn hoặc đang quá hạn, "
        "chi tiết như sau:"
    )


LATE_COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Phiếu xin lỗi",
    "Lý do",
)


def late_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """The rows of the table explaining late dossiers (columns LATE_COLUMNS)."""
    rows = []
    for index, item in enumerate(report.get("late_list") or [], start=1):
        procedure = item.get("procedure_name") or item.get("procedure_code") or ""
        if item.get("procedure_name") and item.get("procedure_code"):
            procedure = f"{item['procedure_code']} - {item['procedure_name']}"
        if item.get("apology"):
            new_date = fmt_date(item.get("apology_new_due_at") or item.get("apology_due_at"))
            apology = f"Có (hẹn lại {new_date})" if new_date else "Có"
        else:
            apology = "Không"
        closed = fmt_date(item.get("closed_at")) or "Đang giải quyết"
        rows.append(
            [
                str(index),
                str(item.get("code", "")),
                procedure,
                fmt_date(item.get("received_at")),
                fmt_date(item.get("due_at")),
                closed,
                apology,
                late_reason(item),
            ]
        )
    return rows


LATE_SHEET_COLUMNS = (*LATE_COLUMNS, "Ghi chú")


def late_sheet_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """The rows of the late list's sheet: the table's (:func:`late_rows`) and the note."""
    items = report.get("late_list") or []
    return [
        [*row, str(item.get("note") or "")]
        for row, item in zip(late_rows(report), items, strict=True)
    ]


def late_reason(item: Mapping[str, Any]) -> str:
    """The "Lý do" of a late dossier: the apology letter's reason, else the dossier's note."""
    return str(item.get("apology_reason") or item.get("reason") or item.get("note") or "")
