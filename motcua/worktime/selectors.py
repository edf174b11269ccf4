"""Builds the working calendar of an agency from the holidays package and the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from django.db.models import Q

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


def working_hours_for(*, agency_id: int | None) -> Sessions:
    """The agency's own hours, else the deployment default row, else 07:30–11:30, 13:30–17:00."""
    wanted = (
        Q(agency__isnull=True) | Q(agency_id=agency_id) if agency_id else Q(agency__isnull=True)
    )
    rows = {row.agency_id: row for row in WorkingHours.objects.filter(wanted)}
    return _sessions_of(rows.get(agency_id) or rows.get(None))


def _build(sessions: Sessions, last_year: int) -> WorkCalendar:
    overrides = list(CalendarOverride.objects.values_list("date", "is_working_day"))
    return WorkCalendar.for_vietnam(
        years=range(FIRST_YEAR, last_year + 1), overrides=overrides, sessions=sessions
    )


def calendar_for_agency(
    *, agency_id: int | None = None, reads: dict[Hashable, Any] | None = None
) -> WorkCalendar:
    """The working calendar that counts an agency's deadlines.

    Memoised per process until working hours or overrides change (``core.generations``): one
    small query when nothing changed. ``reads`` is the caller's ``memo("calendar")`` when it
    already has one.
    """
    data = memo("calendar") if reads is None else reads
    sessions = remembered(
        data, ("hours", agency_id), lambda: working_hours_for(agency_id=agency_id)
    )
    last_year = dt.date.today().year + YEARS_AHEAD
    return remembered(data, ("calendar", sessions, last_year), lambda: _build(sessions, last_year))


def calendar_cache_clear() -> None:
    memo_clear()
