"""Working-calendar arithmetic: pure Python, no Django, no database.

Conventions (the project's rules for *ngày hẹn trả*, the due instant):

* A **working day** is a day that is not a weekend day and not a day off, or that is
  explicitly an extra working day (a swapped Saturday). Precedence, strongest first:
  ``extra_working_days`` > ``days_off`` > ``weekend``. The Vietnam factory applies the
  admin overrides last by moving each overridden date into exactly one of the two sets.
* A **working instant** is an aware datetime inside a session ``[start, end)`` of a
  working day, read in the calendar's time zone. 07:30 is working, 11:30 and 17:00 are not.
  Naive datetimes are rejected with ``ValueError`` everywhere.
* **Working time** is the length of the working instants in ``[start, end)``.
  ``add_working_time(dt, delta)`` returns the *earliest* instant reaching ``delta`` of
  working time after ``dt``: when the time exactly exhausts a session, the result is that
  session's END (11:30, 17:00), not the next session's start. A zero delta returns
  ``next_working_instant(dt)``. A negative delta goes backwards and returns the *latest*
  such instant (a session START when it lands exactly on a boundary).
* **Reception normalisation**: a reception is counted from ``next_working_instant``: during a
  session, from that instant; before the first session of a working day or during the lunch
  break, from the next session's start; after the last session or on a day off, from the first
  session of the next working day. The date of that instant is the *normalised day* R.
* **Due instant** for ``amount`` in ``unit``:

  - ``working_days``, whole n: closing time (end of the last session) of
    ``add_working_days(R, n)``; n = 0 means closing time of R. A fractional n is counted as
    working time instead: ``add_working_time(normalised instant, n x day length)``. Beware:
    that makes the due non-monotone across whole numbers (0.5 day can fall before 0 days).
  - ``working_hours``: ``add_working_time(normalised instant, n hours)``.
  - ``calendar_days`` (whole n only): closing time of R + n calendar days, moved to the next
    working day's closing time when that date is not a working day.

* **Pauses** (supplement requests): the due moves by exactly the working time of the pause,
  see ``resume_due``.
"""

from __future__ import annotations

import numbers
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

from motcua.core.localtime import LOCAL_TZ

Unit = Literal["working_days", "working_hours", "calendar_days"]
UNITS: tuple[str, ...] = ("working_days", "working_hours", "calendar_days")

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
# Safety net against calendars without any working day ahead (e.g. everything off).
_MAX_NON_WORKING_STREAK = 3660


def _time_of_day(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


@dataclass(frozen=True)
class Sessions:
    """The working sessions of a day, in order, as ``(start, end)`` wall-clock times."""

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    _bounds: tuple[tuple[timedelta, timedelta], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        periods = tuple((start, end) for start, end in self.periods)
        if not periods:
            raise ValueError("Sessions: at least one session is required")
        previous_end: time | None = None
        for start, end in periods:
            if not isinstance(start, time) or not isinstance(end, time):
                raise ValueError(f"Sessions: {start!r}-{end!r} must be datetime.time values")
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Sessions: times must be naive wall-clock times")
            if not start < end:
                raise ValueError(f"Sessions: session {start}-{end} must start before it ends")
            if previous_end is not None and start < previous_end:
                raise ValueError(
                    f"Sessions: session {start}-{end} overlaps or precedes the previous one "
                    f"(ending {previous_end}); sessions must be ordered and disjoint"
                )
            previous_end = end
        object.__setattr__(self, "periods", periods)
        bounds = tuple((_time_of_day(s), _time_of_day(e)) for s, e in periods)
        object.__setattr__(self, "_bounds", bounds)

    @property
    def bounds(self) -> tuple[tuple[timedelta, timedelta], ...]:
        """Sessions as offsets from local midnight."""
        return self._bounds

    @property
    def day_length(self) -> timedelta:
        return sum((end - start for start, end in self._bounds), _ZERO)

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    def worked_before(self, tod: timedelta) -> timedelta:
        """Working time of a working day before the wall-clock offset ``tod``."""
        total = _ZERO
        for start, end in self._bounds:
            if tod <= start:
                break
            total += min(tod, end) - start
        return total


class WorkCalendar:
    """Working days and working hours of an agency; see the module docstring."""

    def __init__(
        self,
        *,
        days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        sessions: Sessions = Sessions(),  # noqa: B008 - frozen, immutable default
        tz: ZoneInfo = LOCAL_TZ,
        weekend: frozenset[int] = frozenset({5, 6}),
    ) -> None:
        weekend = frozenset(weekend)
        if not weekend <= set(range(7)) or len(weekend) == 7:
            raise ValueError("weekend: weekday numbers 0 (Mon)..6 (Sun), not all seven")
        self.sessions = sessions
        self.tz = tz
        self.weekend = weekend
        self.extra_working_days: frozenset[date] = frozenset(extra_working_days)
        self.days_off: frozenset[date] = frozenset(days_off) - self.extra_working_days
        # Exceptions to the plain weekly rule, sorted for counting with bisect.
        self._gained = tuple(sorted(d for d in self.extra_working_days if d.weekday() in weekend))
        self._lost = tuple(sorted(d for d in self.days_off if d.weekday() not in weekend))
        self._weekly_working = 7 - len(weekend)

    @classmethod
    def for_vietnam(
        cls,
        *,
        years: Iterable[int],
        overrides: Iterable[tuple[date, bool]] = (),
        sessions: Sessions = Sessions(),  # noqa: B008 - frozen, immutable default
    ) -> WorkCalendar:
        """Vietnam's calendar from ``holidays.VN`` plus admin ``(date, is_working_day)``
        overrides, applied last (a later override of the same date wins)."""
        days_off, working = vietnam_public_days(years)
        for day, is_working in overrides:
            if is_working:
                days_off.discard(day)
                working.add(day)
            else:
                working.discard(day)
                days_off.add(day)
        return cls(days_off=days_off, extra_working_days=working, sessions=sessions)

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(days_off={len(self.days_off)}, "
            f"extra_working_days={len(self.extra_working_days)}, tz={self.tz.key!r})"
        )

    # -- days ---------------------------------------------------------------------------

    @property
    def day_length(self) -> timedelta:
        return self.sessions.day_length

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_working_days:
            return True
        return d.weekday() not in self.weekend and d not in self.days_off

    def count_working_days(self, start: date, stop: date) -> int:
        """Working days in ``[start, stop)``; negative when ``stop < start``."""
        if stop < start:
            return -self.count_working_days(stop, start)
        weeks, rest = divmod((stop - start).days, 7)
        first = start.weekday()
        count = weeks * self._weekly_working
        count += sum(1 for k in range(rest) if (first + k) % 7 not in self.weekend)
        count += bisect_left(self._gained, stop) - bisect_left(self._gained, start)
        count -= bisect_left(self._lost, stop) - bisect_left(self._lost, start)
        return count

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (before it when n < 0); for n = 0, ``d`` if it
        is a working day, else the next working day."""
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        current = d
        streak = 0
        if remaining == 0:
            while not self.is_working_day(current):
                current += step
                streak = self._check_streak(streak)
            return current
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
                streak = 0
            else:
                streak = self._check_streak(streak)
        return current

    @staticmethod
    def _check_streak(streak: int) -> int:
        if streak >= _MAX_NON_WORKING_STREAK:
            raise ValueError("no working day within ten years: check the calendar")
        return streak + 1

    def working_days_between(self, d1: date, d2: date) -> int:
        """Working days in ``(d1, d2]`` (negative when ``d2 < d1``); for a working day d,
        ``working_days_between(d, add_working_days(d, n)) == n``."""
        return self.count_working_days(d1 + _ONE_DAY, d2 + _ONE_DAY)

    def closing_instant(self, d: date) -> datetime:
        """End of the last session of ``d``."""
        return datetime.combine(d, self.sessions.closing, tzinfo=self.tz)

    # -- instants -----------------------------------------------------------------------

    def _local(self, dt: datetime) -> tuple[date, timedelta]:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"naive datetime {dt.isoformat()} rejected: give an aware datetime")
        local = dt.astimezone(self.tz)
        return local.date(), _time_of_day(local.time())

    def _at(self, d: date, tod: timedelta) -> datetime:
        return datetime.combine(d, time(0), tzinfo=self.tz) + tod

    def _worked(self, d: date, tod: timedelta) -> timedelta:
        return self.sessions.worked_before(tod) if self.is_working_day(d) else _ZERO

    def is_working_instant(self, dt: datetime) -> bool:
        d, tod = self._local(dt)
        if not self.is_working_day(d):
            return False
        return any(start <= tod < end for start, end in self.sessions.bounds)

    def next_working_instant(self, dt: datetime) -> datetime:
        """``dt`` (in the calendar's zone) if it is working, else the next session start."""
        d, tod = self._local(dt)
        if self.is_working_day(d):
            for start, end in self.sessions.bounds:
                if tod < start:
                    return self._at(d, start)
                if tod < end:
                    return dt.astimezone(self.tz)
        first_start = self.sessions.bounds[0][0]
        return self._at(self.add_working_days(d, 1), first_start)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)``; the negative of ``[end, start)`` if end < start."""
        d1, tod1 = self._local(start)
        d2, tod2 = self._local(end)
        days = self.count_working_days(d1, d2)
        return days * self.day_length + self._worked(d2, tod2) - self._worked(d1, tod1)

    def add_working_time(self, dt: datetime, delta: timedelta) -> datetime:
        """The earliest instant ``delta`` of working time after ``dt`` (a working instant or a
        session end); see the module docstring for zero and negative deltas."""
        if delta == _ZERO:
            return self.next_working_instant(dt)
        if delta < _ZERO:
            return self._subtract_working_time(dt, -delta)
        length = self.day_length
        d, tod = self._local(dt)
        done = self._worked(d, tod)
        left_today = length - done if self.is_working_day(d) else _ZERO
        if delta <= left_today:
            return self._locate_forward(d, done + delta)
        delta -= left_today
        d = self.add_working_days(d, 1)
        full_days, rest = divmod(delta, length)
        if rest == _ZERO:
            return self._locate_forward(self.add_working_days(d, full_days - 1), length)
        return self._locate_forward(self.add_working_days(d, full_days), rest)

    def _subtract_working_time(self, dt: datetime, delta: timedelta) -> datetime:
        length = self.day_length
        d, tod = self._local(dt)
        done = self._worked(d, tod)
        if done > _ZERO and delta <= done:
            return self._locate_backward(d, done - delta)
        delta -= done
        d = self.add_working_days(d, -1)
        full_days, rest = divmod(delta, length)
        if rest == _ZERO:
            return self._locate_backward(self.add_working_days(d, 1 - full_days), _ZERO)
        return self._locate_backward(self.add_working_days(d, -full_days), length - rest)

    def _locate_forward(self, d: date, position: timedelta) -> datetime:
        """Earliest instant of working day ``d`` with ``position`` (0 < p <= day) worked."""
        before = _ZERO
        for start, end in self.sessions.bounds:
            if position <= before + (end - start):
                return self._at(d, start + (position - before))
            before += end - start
        raise AssertionError("position beyond the working day")  # pragma: no cover

    def _locate_backward(self, d: date, position: timedelta) -> datetime:
        """Latest instant of working day ``d`` with ``position`` (0 <= p < day) worked."""
        before = _ZERO
        for start, end in self.sessions.bounds:
            if position < before + (end - start):
                return self._at(d, start + (position - before))
            before += end - start
        raise AssertionError("position beyond the working day")  # pragma: no cover

    # -- due instants -------------------------------------------------------------------

    def due_for_reception(
        self, received_at: datetime, amount: Decimal | int | float, unit: str
    ) -> datetime:
        """The due instant (*ngày hẹn trả*) of a dossier received at ``received_at``."""
        n = _as_decimal(amount)
        start = self.next_working_instant(received_at)
        day = start.date()
        if unit == "working_days":
            if n == n.to_integral_value():
                return self.closing_instant(self.add_working_days(day, int(n)))
            return self.add_working_time(start, _scale(self.day_length, n))
        if unit == "working_hours":
            return self.add_working_time(start, _scale(timedelta(hours=1), n))
        if unit == "calendar_days":
            if n != n.to_integral_value():
                raise ValueError(f"calendar_days needs a whole number, got {amount}")
            target = day + timedelta(days=int(n))
            return self.closing_instant(self.add_working_days(target, 0))
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")

    def remaining_working_time(self, due_at: datetime, paused_at: datetime) -> timedelta:
        """Working time left at a pause; negative when already overdue."""
        return self.working_time_between(paused_at, due_at)

    def resume_due(self, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
        """The due after a pause: the remaining working time counted from the resumption.
        A dossier already overdue when paused keeps its due instant."""
        remaining = self.remaining_working_time(due_at, paused_at)
        if remaining < _ZERO:
            return due_at
        return self.add_working_time(self.next_working_instant(resumed_at), remaining)


def _as_decimal(amount: Decimal | int | float) -> Decimal:
    if isinstance(amount, Decimal):
        n = amount
    elif isinstance(amount, numbers.Integral) and not isinstance(amount, bool):
        n = Decimal(int(amount))
    elif isinstance(amount, numbers.Real):
        n = Decimal(repr(float(amount)))
    else:
        raise TypeError(f"amount must be a Decimal, int or float, got {amount!r}")
    if not n.is_finite() or n < 0:
        raise ValueError(f"amount must be finite and non-negative, got {amount!r}")
    return n


def _scale(unit: timedelta, n: Decimal) -> timedelta:
    micros = (Decimal(unit // timedelta(microseconds=1)) * n).to_integral_value(ROUND_HALF_EVEN)
    return timedelta(microseconds=int(micros))


# -- Vietnam ----------------------------------------------------------------------------

# holidays.VN (language "vi") names a swapped day off "Ngày nghỉ (thay cho ngày 04/05/2019)":
# the date inside is the Saturday worked instead. Other languages use other orders (en_US
# prints 05/04/2019), so we always ask for Vietnamese and read day/month/year.
_SUBSTITUTED_FROM = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _substituted_working_day(name: str) -> date | None:
    """The worked day named in a swapped day off's label, read day/month/year; a month/day
    reading is used only if it alone gives a weekend day (should the format ever change)."""
    match = _SUBSTITUTED_FROM.search(name)
    if match is None:
        return None
    first, second, year = (int(g) for g in match.groups())
    candidates = []
    for day, month in ((first, second), (second, first)):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    weekend_days = [d for d in candidates if d.weekday() >= 5]
    if weekend_days:
        return weekend_days[0]
    return candidates[0] if candidates else None


def vietnam_public_days(years: Iterable[int]) -> tuple[set[date], set[date]]:
    """``(days_off, swapped_working_days)`` for ``years`` according to ``holidays.VN``.

    Days off are every public holiday, observed day and swapped day off. A swapped working
    day is the date named in "substituted from ..." (it can be in the previous year,
    e.g. 27/12/2014 for 2/1/2015, or in the next, 5/1/2019 for 31/12/2018, so the years
    around are read too)."""
    wanted = set(years)
    if not wanted:
        return set(), set()
    around = {y + k for y in wanted for k in (-1, 0, 1)}
    listed = holidays.country_holidays("VN", years=around, language="vi")
    days_off: set[date] = set()
    working: set[date] = set()
    for day in listed:
        for name in listed.get_list(day):
            substituted = _substituted_working_day(name)
            if substituted is not None and substituted.year in wanted:
                working.add(substituted)
        if day.year in wanted:
            days_off.add(day)
    return days_off - working, working
