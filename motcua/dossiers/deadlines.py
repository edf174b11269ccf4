"""A dossier's deadline status: the one definition, for pages, the API, lists and statistics.

Closed as resolved: early / on time / late, comparing the local calendar dates (``core.localtime``)
of the resolution and of the due instant (statistics.md §1); a resolved dossier without a due
date is on time. Open: not due, due soon (within ``MOTCUA_DUE_SOON_WORKING_DAYS`` working days,
default one), overdue; a stopped clock shows as paused with the working time that was left.
Everything else (not yet received, one-way, closed without a result, open without a due date)
has no deadline status.

Each rule exists twice here and nowhere else: in Python for one dossier
(:func:`deadline_status`) and as a filter (:func:`resolved_deadline_q`, :func:`open_deadline_q`,
:func:`deadline_filter`). ``stats.counters`` builds its ``resolved.*`` counters from
:func:`resolved_deadline_q`; ``tests/core/test_one_home.py`` fails on a copy elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from motcua.core.localtime import LOCAL_TZ, day_start
from motcua.dossiers.choices import OPEN_STATES, DeadlineStatus, Outcome
from motcua.dossiers.models import Dossier
from motcua.worktime.calendar import WorkCalendar
from motcua.worktime.selectors import calendar_for_agency

RESOLVED_STATUSES = (DeadlineStatus.EARLY, DeadlineStatus.ON_TIME, DeadlineStatus.LATE)
OPEN_STATUSES = (
    DeadlineStatus.NOT_DUE,
    DeadlineStatus.DUE_SOON,
    DeadlineStatus.OVERDUE,
    DeadlineStatus.PAUSED,
)
# Names of the aliases :func:`resolved_deadline_q` compares (see :func:`deadline_day_aliases`).
CLOSED_DAY = "dl_closed_day"
DUE_DAY = "dl_due_day"
_DAY_LOOKUP = {
    DeadlineStatus.EARLY: "lt",
    DeadlineStatus.ON_TIME: "exact",
    DeadlineStatus.LATE: "gt",
}


def local_day(instant: dt.datetime) -> dt.date:
    """The local calendar date of an aware instant."""
    return instant.astimezone(LOCAL_TZ).date()


def closed_status(*, closed_at: dt.datetime, due_at: dt.datetime | None) -> DeadlineStatus:
    """Early, on time or late for a dossier resolved at ``closed_at`` (no due date: on time)."""
    closed_day = local_day(closed_at)
    due_day = closed_day if due_at is None else local_day(due_at)
    if closed_day < due_day:
        return DeadlineStatus.EARLY
    if closed_day == due_day:
        return DeadlineStatus.ON_TIME
    return DeadlineStatus.LATE


def deadline_day_aliases() -> dict[str, Any]:
    """The local days :func:`resolved_deadline_q` compares: ``qs.alias(**deadline_day_aliases())``
    before filtering or counting with it."""
    return {
        CLOSED_DAY: TruncDate("closed_at", tzinfo=LOCAL_TZ),
        DUE_DAY: TruncDate(Coalesce("due_at", "closed_at"), tzinfo=LOCAL_TZ),
    }


def resolved_deadline_q(status: str) -> Q:
    """The same rule as :func:`closed_status`, as a filter on dossiers carrying the aliases of
    :func:`deadline_day_aliases`: received, not one-way, resolved early / on time / late."""
    if status not in _DAY_LOOKUP:
        raise ValueError(f"not a resolved deadline status: {status}")
    resolved = Q(one_way=False, received_at__isnull=False, outcome=Outcome.RESOLVED)
    return resolved & Q(**{f"{CLOSED_DAY}__{_DAY_LOOKUP[status]}": F(DUE_DAY)})


def closed_after_due_q() -> Q:
    """Closed after the due instant: what "resolved late" (a later local date) implies, so a
    narrowing that reads only the late ones (the partial index ``dossier_agency_closed_late``
    has this condition; stats/sections.late_rows)."""
    return Q(closed_at__gt=F("due_at"))


def due_before_q(instant: dt.datetime) -> Q:
    """Due (by ``due_at``) before ``instant``: for a pending dossier with no supplement wait,
    exactly "overdue at ``instant``" (stats/counters.py), so the late list reads those without
    the wait helpers, through the partial index ``dossier_agency_open_due`` (open dossiers by
    agency and due date; stats/sections.late_rows)."""
    return Q(due_at__lt=instant)


def deadline_status(
    dossier: Dossier, *, now: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> tuple[DeadlineStatus, dt.timedelta | None]:
    """``(status, remaining working time)``; remaining is None when it does not apply and
    negative when overdue."""
    if dossier.one_way or dossier.received_at is None:
        return DeadlineStatus.NONE, None
    if dossier.closed_at is not None:
        if dossier.outcome == Outcome.RESOLVED:
            return closed_status(closed_at=dossier.closed_at, due_at=dossier.due_at), None
        return DeadlineStatus.NONE, None
    if dossier.due_at is None:
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


def deadline_filter(qs: QuerySet, status: str, *, now: dt.datetime | None = None) -> QuerySet:
    """Narrow dossiers to one deadline status, in SQL (the rules of :func:`deadline_status`);
    an unknown status leaves ``qs`` as it is."""
    if status in OPEN_STATUSES:
        return qs.filter(open_deadline_q(status, now=now or timezone.now()))
    if status in RESOLVED_STATUSES:
        return qs.alias(**deadline_day_aliases()).filter(resolved_deadline_q(status))
    return qs


def due_on_days_q(*, first: dt.date | None = None, last: dt.date | None = None) -> Q:
    """Dossiers whose (legal) due date falls on a local day from ``first`` to ``last``, both
    included (either may be open): the dossier list's due-date filter."""
    condition = Q()
    if first is not None:
        condition &= Q(due_at__gte=day_start(first))
    if last is not None:
        condition &= Q(due_at__lt=day_start(last + dt.timedelta(days=1)))
    return condition
