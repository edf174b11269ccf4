"""Builds the working calendar of an agency from the holidays package and the database."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db.models import Count, Max, Q

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


def _overrides_fingerprint() -> tuple:
    agg = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


@lru_cache(maxsize=64)
def _build(sessions: Sessions, last_year: int, fingerprint: tuple) -> WorkCalendar:
    overrides = list(CalendarOverride.objects.values_list("date", "is_working_day"))
    return WorkCalendar.for_vietnam(
        years=range(FIRST_YEAR, last_year + 1), overrides=overrides, sessions=sessions
    )


def calendar_for_agency(*, agency_id: int | None = None) -> WorkCalendar:
    """The working calendar that counts an agency's deadlines (cached; two small queries)."""
    sessions = working_hours_for(agency_id=agency_id)
    return _build(sessions, dt.date.today().year + YEARS_AHEAD, _overrides_fingerprint())


def calendar_cache_clear() -> None:
    _build.cache_clear()
