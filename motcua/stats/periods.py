"""Reporting periods (domain.md §7).

A period is two local dates, both included. Named periods follow a *cut-off day*:

``cutoff`` is the **last day included** of each month's period. ``--cutoff 20`` makes
"2021-10" run from 21 Sep 2021 to 20 Oct 2021 (the example of statistics.md §5); Decree
09/2019's "15th of the previous month to the 14th" is cutoff 14; cutoff 0 (or any value of
28 or more that reaches the month's end) gives calendar months. When a month is shorter than
the cut-off day its period ends on its last day.

The deployment default is ``settings.MOTCUA_PERIOD_CUTOFF_DAY``, with the same meaning
(14 by default, the Decree 09 rule); :func:`default_cutoff` reads it.

Kinds: ``2021-10`` month, ``2020-Q2`` quarter (the months of the quarter, by the cut-off rule),
``2020-H1`` / ``2020-H2`` half-year, ``2020-M9`` nine months (Jan–Sep by the rule), ``2020``
year, and any range of dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import MotcuaError
from motcua.core.localtime import LOCAL_TZ, day_start


class PeriodError(MotcuaError):
    """A period that cannot be understood or that ends before it starts."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "range"  # range, month, quarter, half, nine_months, year
    label: str = ""
    cutoff: int = 0
    # A period not yet ended is counted up to the moment of the report (statistics.md §1):
    # the instant its stocks (pending, overdue) are measured at, set by `counted_until`.
    as_of: datetime | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                _("The period ends (%(end)s) before it starts (%(start)s).")
                % {"end": self.end.isoformat(), "start": self.start.isoformat()}
            )

    @property
    def start_instant(self) -> datetime:
        """The first instant of the period: local midnight of ``start``."""
        return day_start(self.start)

    @property
    def end_instant(self) -> datetime:
        """The first instant *after* the period: local midnight of the day after ``end``; for a
        period counted up to now (``as_of``), that moment."""
        natural = day_start(self.end + timedelta(days=1))
        return natural if self.as_of is None else min(self.as_of, natural)

    def counted_until(self, now: datetime) -> Period:
        """This period as a report made at ``now`` counts it: unchanged once it has ended,
        else up to ``now`` (statistics.md §1: "tính đến 14 giờ 30 ngày 02/12/2026"), so that a
        dossier that will be overdue on the last day is not shown overdue today."""
        if now >= day_start(self.end + timedelta(days=1)):
            return self if self.as_of is None else replace(self, as_of=None)
        return replace(self, as_of=now)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, str]:
        """``start``, ``end``; and ``as_of`` (local ISO instant) when counted up to then."""
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.as_of is not None:
            out["as_of"] = self.as_of.astimezone(LOCAL_TZ).isoformat(timespec="seconds")
        return out

    def next_start(self) -> date:
        return self.end + timedelta(days=1)

    def previous(self) -> Period:
        """The previous period of the same kind (same length for a date range).

        Month → previous month, quarter → previous quarter, half-year → previous half, year →
        previous year, nine months → the same nine months of the previous year (nine months
        are always counted from the start of a year), a date range → the same number of days
        just before it.
        """
        if self.kind == "range":
            end = self.start - timedelta(days=1)
            return Period(end - timedelta(days=self.days - 1), end)
        year, number = _split_label(self.label)
        if self.kind == "month":
            y, m = (year, number - 1) if number > 1 else (year - 1, 12)
            return month_period(y, m, cutoff=self.cutoff)
        if self.kind == "quarter":
            y, q = (year, number - 1) if number > 1 else (year - 1, 4)
            return quarter_period(y, q, cutoff=self.cutoff)
        if self.kind == "half":
            y, h = (year, number - 1) if number > 1 else (year - 1, 2)
            return half_period(y, h, cutoff=self.cutoff)
        if self.kind == "nine_months":
            return nine_months_period(year - 1, cutoff=self.cutoff)
        return year_period(year - 1, cutoff=self.cutoff)


def _split_label(label: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})(?:-[QHM]?(\d{1,2}))?", label)
    if not m:  # pragma: no cover - labels are produced by this module
        raise PeriodError(label)
    return int(m.group(1)), int(m.group(2) or 0)


def default_cutoff() -> int:
    """The deployment's cut-off (last day included) from ``MOTCUA_PERIOD_CUTOFF_DAY``."""
    cutoff = int(getattr(settings, "MOTCUA_PERIOD_CUTOFF_DAY", 14))
    _check_cutoff(cutoff)
    return cutoff


def _month_end(year: int, month: int, cutoff: int) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if cutoff <= 0 else min(cutoff, last))


def _months_span(year: int, first: int, last: int, cutoff: int) -> tuple[date, date]:
    """From the start of month ``first``'s period to the end of month ``last``'s period."""
    py, pm = (year, first - 1) if first > 1 else (year - 1, 12)
    first_day = date(year, first, 1)
    start = first_day if cutoff <= 0 else _month_end(py, pm, cutoff) + timedelta(days=1)
    return start, _month_end(year, last, cutoff)


def _check_cutoff(cutoff: int) -> None:
    if not 0 <= cutoff <= 31:
        raise PeriodError(_("The cut-off day must be between 0 and 31, not %(n)s.") % {"n": cutoff})


def month_period(year: int, month: int, *, cutoff: int) -> Period:
    _check_cutoff(cutoff)
    start, end = _months_span(year, month, month, cutoff)
    return Period(start, end, "month", f"{year:04d}-{month:02d}", cutoff)


def quarter_period(year: int, quarter: int, *, cutoff: int) -> Period:
    _check_cutoff(cutoff)
    start, end = _months_span(year, 3 * quarter - 2, 3 * quarter, cutoff)
    return Period(start, end, "quarter", f"{year:04d}-Q{quarter}", cutoff)


def half_period(year: int, half: int, *, cutoff: int) -> Period:
    _check_cutoff(cutoff)
    start, end = _months_span(year, 6 * half - 5, 6 * half, cutoff)
    return Period(start, end, "half", f"{year:04d}-H{half}", cutoff)


def nine_months_period(year: int, *, cutoff: int) -> Period:
    _check_cutoff(cutoff)
    start, end = _months_span(year, 1, 9, cutoff)
    return Period(start, end, "nine_months", f"{year:04d}-M9", cutoff)


def year_period(year: int, *, cutoff: int) -> Period:
    _check_cutoff(cutoff)
    start, end = _months_span(year, 1, 12, cutoff)
    return Period(start, end, "year", f"{year:04d}", cutoff)


def parse_period(text: str, *, cutoff: int | None = None) -> Period:
    """``2021-10``, ``2020-Q2``, ``2020-H1``, ``2020-M9`` or ``2020``, by the cut-off rule."""
    cutoff = default_cutoff() if cutoff is None else cutoff
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return month_period(int(m.group(1)), month, cutoff=cutoff)
    elif m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return quarter_period(int(m.group(1)), int(m.group(2)), cutoff=cutoff)
    elif m := re.fullmatch(r"(\d{4})-H([12])", text):
        return half_period(int(m.group(1)), int(m.group(2)), cutoff=cutoff)
    elif m := re.fullmatch(r"(\d{4})-M9", text):
        return nine_months_period(int(m.group(1)), cutoff=cutoff)
    elif re.fullmatch(r"\d{4}", text):
        return year_period(int(text), cutoff=cutoff)
    raise PeriodError(
        _("Unknown period '%(text)s': expected YYYY-MM, YYYY-Q1..Q4, YYYY-H1/H2, YYYY-M9 or YYYY.")
        % {"text": text}
    )


def parse_date(text: str, *, what: str = "date") -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise PeriodError(
        _("Bad %(what)s '%(text)s': expected YYYY-MM-DD.") % {"what": what, "text": text}
    )


def date_range(start: str | date, end: str | date) -> Period:
    s = start if isinstance(start, date) else parse_date(start, what="start date")
    e = end if isinstance(end, date) else parse_date(end, what="end date")
    return Period(s, e)


def resolve_period(
    *,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    cutoff: int | None = None,
) -> Period:
    """One period from either a named period or a start and an end date."""
    if period:
        if start or end:
            raise PeriodError(_("Give either a period or a start and an end date, not both."))
        return parse_period(period, cutoff=cutoff)
    if not (start and end):
        raise PeriodError(_("Give a period (e.g. 2021-10) or both a start and an end date."))
    return date_range(start, end)
