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
from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.choices import OPEN_STATES, DeadlineStatus, Outcome
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
    if remaining <= due_soon_span(calendar):
        return DeadlineStatus.DUE_SOON, remaining
    return DeadlineStatus.NOT_DUE, remaining


def due_soon_span(calendar: WorkCalendar) -> dt.timedelta:
    """How much working time left makes an open dossier "due soon"."""
    return calendar.day_length * settings.MOTCUA_DUE_SOON_WORKING_DAYS


def open_deadline_q(status: str, *, now: dt.datetime, calendar: WorkCalendar | None = None) -> Q:
    """The same rules as :func:`deadline_status` for open dossiers, as a filter (lists, counts).

    ``calendar`` places the due-soon limit (default: the deployment's working hours)."""
    timed = Q(one_way=False, due_at__isnull=False, received_at__isnull=False, state__in=OPEN_STATES)
    if status == DeadlineStatus.PAUSED:
        return timed & Q(paused_at__isnull=False)
    running = timed & Q(paused_at__isnull=True)
    if status == DeadlineStatus.OVERDUE:
        return running & Q(due_at__lt=now)
    calendar = calendar or calendar_for_agency(agency_id=None)
    limit = calendar.add_working_time(now, due_soon_span(calendar))
    if status == DeadlineStatus.DUE_SOON:
        return running & Q(due_at__gte=now, due_at__lte=limit)
    if status == DeadlineStatus.NOT_DUE:
        return running & Q(due_at__gt=limit)
    raise ValueError(f"not an open deadline status: {status}")
