"""A dossier's deadline status, as shown on pages and in the API.

Closed as resolved: early / on time / late, comparing the local calendar dates of the resolution
and of the due instant (statistics.md). Open: not due, due soon (within
``MOTCUA_DUE_SOON_WORKING_DAYS`` working days, default one), overdue; a stopped clock shows as
paused with the working time that was left. Everything else (not yet received, one-way, closed
without a result) has no deadline status.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from motcua.dossiers.choices import DeadlineStatus, Outcome
from motcua.dossiers.models import Dossier
from motcua.worktime.calendar import WorkCalendar
from motcua.worktime.selectors import calendar_for_agency


def closed_status(*, closed_at: dt.datetime, due_at: dt.datetime) -> DeadlineStatus:
    closed_day = timezone.localtime(closed_at).date()
    due_day = timezone.localtime(due_at).date()
    if closed_day < due_day:
        return DeadlineStatus.EARLY
    if closed_day == due_day:
        return DeadlineStatus.ON_TIME
    return DeadlineStatus.LATE


def deadline_status(
    dossier: Dossier, *, now: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> tuple[DeadlineStatus, dt.timedelta | None]:
    """``(status, remaining working time)``; remaining is None when it does not apply and
    negative when overdue."""
    if dossier.one_way or dossier.due_at is None or dossier.received_at is None:
        return DeadlineStatus.NONE, None
    if dossier.closed_at is not None:
        if dossier.outcome == Outcome.RESOLVED:
            return closed_status(closed_at=dossier.closed_at, due_at=dossier.due_at), None
        return DeadlineStatus.NONE, None
    calendar = calendar or calendar_for_agency(agency_id=dossier.agency_id)
    if dossier.paused_at is not None:
        return DeadlineStatus.PAUSED, calendar.remaining_working_time(
            dossier.due_at, dossier.paused_at
        )
    now = now or timezone.now()
    if now > dossier.due_at:
        return DeadlineStatus.OVERDUE, -calendar.working_time_between(dossier.due_at, now)
    remaining = calendar.working_time_between(now, dossier.due_at)
    soon = calendar.day_length * settings.MOTCUA_DUE_SOON_WORKING_DAYS
    if remaining <= soon:
        return DeadlineStatus.DUE_SOON, remaining
    return DeadlineStatus.NOT_DUE, remaining
