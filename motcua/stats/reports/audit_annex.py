"""The report's annex of audit digests (issue 16): the daily digests of the dossiers' event
chains (``ops.auditchain``), printed so that the signed paper shows a later rewrite of history.

The report's documents receive it as the ``audit_annex`` option, ``{"daily": bool, "rows": [{
"agency_code", "agency_name", "day", "dossiers", "digest"}]}`` (``ops.auditchain.report_annex``),
and print :func:`blocks` as their last annex; without the option, no annex.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.core.documents.model import Block, Paragraph, Table
from motcua.stats.reports.frame import fmt_date

TITLE = "PHỤ LỤC: MÃ XÁC THỰC LỊCH SỬ HỒ SƠ"
COLUMNS = ("STT", "Cơ quan", "Ngày", "Số hồ sơ", "Mã xác thực (SHA-256)")
INTRO = (
    "Mỗi dòng là mã xác thực trong ngày của một cơ quan: mã SHA-256 tính trên sự kiện cuối "
    "cùng trong ngày của từng hồ sơ (mỗi sự kiện đã nối với sự kiện trước của hồ sơ) và mã của "
    "ngày trước đó. Khi có người sửa, xóa hoặc đổi thứ tự lịch sử hồ sơ về sau, lệnh "
    "“motcua audit verify” không còn cho lại các mã đã in và ký trên bản này."
)
LONG_PERIOD = (
    "Kỳ báo cáo dài hơn một tháng: mỗi cơ quan chỉ in mã của ngày cuối cùng trong kỳ; mã này "
    "nối với mọi mã trước đó."
)
NONE = "Không có mã xác thực nào trong kỳ (lệnh “motcua audit digest” chạy hằng ngày)."


def grouped(digest: str, size: int = 8) -> str:
    """``a1b2c3d4e5f6…`` -> ``a1b2c3d4 e5f6…``: easier to compare by eye."""
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))


def lines(annex: Mapping[str, Any]) -> list[list[str]]:
    """The table's rows as text: number, agency, day (dd/mm/yyyy), dossiers, digest."""
    return [
        [
            str(number),
            f"{row['agency_name']} ({row['agency_code']})",
            fmt_date(row["day"]),
            str(row["dossiers"]),
            grouped(row["digest"]),
        ]
        for number, row in enumerate(annex.get("rows") or (), start=1)
    ]


def notes(annex: Mapping[str, Any]) -> list[str]:
    out = [INTRO]
    if not annex.get("daily", True):
        out.append(LONG_PERIOD)
    if not annex.get("rows"):
        out.append(NONE)
    return out


def blocks(annex: Mapping[str, Any]) -> tuple[Block, ...]:
    """The annex in the document model: the title, the notes, the table (its sheet in the
    workbook; only its headings when the period has no digest, as the notes say)."""
    out: list[Block] = [Paragraph(TITLE, bold=True, align="center", indent=False)]
    out += [Paragraph(text, italic=True, size_pt=11) for text in notes(annex)]
    out.append(
        Table(
            columns=COLUMNS,
            rows=tuple(tuple(row) for row in lines(annex)),
            widths=(0.6, 3.4, 1.3, 1, 5),
            align=("center", "left", "center", "center", "left"),
            font_pt=9,
            sheet="Phụ lục mã xác thực",
        )
    )
    return tuple(out)
