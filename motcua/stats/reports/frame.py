"""The frame of an official document (Decree 30/2020/NĐ-CP): dates, period wording, the
document number and the legal basis (pure functions)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from motcua.core.documents.model import date_line  # noqa: F401 - re-exported, defined there
from motcua.core.localtime import LOCAL_TZ
from motcua.stats.reports import letterhead

DECREE_118_FROM = dt.date(2025, 7, 1)
DECREE_107_FROM = dt.date(2021, 12, 6)


def get(data: Mapping[str, Any] | None, path: str, default: Any = 0) -> Any:
    """`get(report, "resolved.early")`: a dotted key of the report dict, `default` if absent."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return default
        value = value[part]
    return default if value is None else value


def as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(LOCAL_TZ).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return as_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))


def fmt_date(value: Any) -> str:
    """dd/mm/yyyy, local time; "" when absent."""
    day = as_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def period_bounds(report: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    return as_date(get(report, "period.start", None)), as_date(get(report, "period.end", None))


def period_text(report: Mapping[str, Any]) -> str:
    """ "tháng 4 năm 2020", "quý II năm 2020", "6 tháng đầu năm 2020", "năm 2020", or the range.

    A report dict may carry its own wording in `period.label`. Cut-off periods (15th to 14th,
    21st to 20th) are named after the month they end in, with the dates in brackets.
    """
    label = get(report, "period.label", "")
    if label:
        return str(label) + until_now(report)
    return _period_words(report) + until_now(report)


def until_now(report: Mapping[str, Any]) -> str:
    """ " (tính đến 14 giờ 30 ngày 02/12/2026)" for a period counted up to the moment of the
    report (`period.as_of`, statistics.md §1); "" for a period that has ended."""
    as_of = get(report, "period.as_of", None)
    if not as_of:
        return ""
    moment = dt.datetime.fromisoformat(str(as_of).replace("Z", "+00:00")).astimezone(LOCAL_TZ)
    return f" (tính đến {moment.hour} giờ {moment.minute:02d} ngày {moment:%d/%m/%Y})"


def _period_words(report: Mapping[str, Any]) -> str:
    start, end = period_bounds(report)
    if start is None or end is None:
        return ""
    dates = f"từ ngày {fmt_date(start)} đến ngày {fmt_date(end)}"
    months = (end.year - start.year) * 12 + end.month - start.month
    calendar_aligned = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    cut_off = not calendar_aligned and end == _month_shift(start, months) - dt.timedelta(days=1)
    if calendar_aligned:
        months += 1
    if not (calendar_aligned or cut_off):
        return dates
    suffix = "" if calendar_aligned else f" ({dates})"
    if months == 1:
        return f"tháng {end.month} năm {end.year}{suffix}"
    if months == 3 and end.month % 3 == 0:
        return f"quý {('I', 'II', 'III', 'IV')[end.month // 3 - 1]} năm {end.year}{suffix}"
    if months == 6 and end.month == 6:
        return f"6 tháng đầu năm {end.year}{suffix}"
    if months == 9 and end.month == 9:
        return f"9 tháng năm {end.year}{suffix}"
    if months == 12 and end.month == 12:
        return f"năm {end.year}{suffix}"
    return dates


def _month_shift(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def abbreviation(name: str) -> str:
    """Initials without diacritics, as in document numbers: "Sở Công Thương" -> "SCT"."""
    return letterhead.derived_abbreviation(name)


def document_number(report: Mapping[str, Any], number: str | None) -> str:
    """ "Số: 215/BC-SCT": the number with the symbol of the report's unit (letterhead.py)."""
    return letterhead.document_number(report.get("unit"), number)


def legal_basis(report: Mapping[str, Any]) -> list[str]:
    """The legal basis paragraphs, chosen by the period's end date (Decree 118/2025 from 1/7/2025)."""
    _, end = period_bounds(report)
    end = end or dt.date.today()
    items = []
    if end >= DECREE_118_FROM:
        items.append(
            "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục "
            "hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch "
            "vụ công quốc gia;"
        )
    else:
        items.append(
            "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế "
            "một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;"
        )
        if end >= DECREE_107_FROM:
            items.append(
                "Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung "
                "một số điều của Nghị định số 61/2018/NĐ-CP;"
            )
    items.append(
        "Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo "
        "cáo của cơ quan hành chính nhà nước;"
    )
    unit = get(report, "unit.name", "")
    items.append(
        f"{unit} báo cáo tình hình, kết quả giải quyết thủ tục hành chính {period_text(report)} "
        "như sau:"
    )
    return items
