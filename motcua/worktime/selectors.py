"""Builds the working calendar of an agency from the holidays package and the database."""

from __future__ import annotations

import datetime as dt

from motcua.core.generations import memo, memo_clear, remembered
from motcua.worktime.calendar import Sessions, WorkCalendar
from motcua.worktime.models import CalendarOverride, WorkingHours

# Years the calendar covers: history from 2015, and a few years ahead for long deadlines.
FIRST_YEAR = 2015
YEARS_AHEAD = 3


def _sessions_of(hours: WorkingHours | None) -> Sessions:
    if hours is None:
        return Sessions()
    return Sessions(
        periods=(
            (hours.morning_start, hours.morning_end),
            (hours.afternoon_start, hours.afternoon_end),
        )
    )


def _all_hours() -> dict[int | None, Sessions]:
    """Every agency's own hours, and the deployment default under None (one small table)."""
    return {row.agency_id: _sessions_of(row) for row in WorkingHours.objects.all()}


def _build(sessions: Sessions, last_year: int) -> WorkCalendar:
    overrides = list(CalendarOverride.objects.values_list("date", "is_working_day"))
    return WorkCalendar.for_vietnam(
        years=range(FIRST_YEAR, last_year + 1), overrides=overrides, sessions=sessions
    )


def calendar_for_agency(*, agency_id: int | None = None) -> WorkCalendar:
    """The working calendar that counts an agency's deadlines.

    Memoised per process until working hours or overrides change (``core.generations``): one
    small query when nothing changed, none inside a ``memo_scope`` (a request) that read it.
    """
    data = memo("calendar")
    hours = remembered(data, "hours", _all_hours)
    sessions = hours.get(agency_id) or hours.get(None) or Sessions()
    last_year = dt.date.today().year + YEARS_AHEAD
    return remembered(data, ("calendar", sessions, last_year), lambda: _build(sessions, last_year))


def calendar_cache_clear() -> None:
    memo_clear()
