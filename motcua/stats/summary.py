"""The daily summary: reports whose cost does not grow with history (issue 15).

A period's report needs *flows* (what happened within it: received, resolved, delivered…) and
*stocks* (what was open at an instant: carried over at the start, pending at the end).

* Every flow counter of ``stats/counters.py`` is a condition on the dossier and on one instant
  of it lying in the period (``FLOW_INSTANTS``). Grouping the dossiers whose instant lies in a
  range of days by the instant's *local day* therefore gives, for each day, exactly the counter
  of the one-day period; :func:`flow_counts` runs the conditions of ``dossier_conditions`` that
  way. :class:`~motcua.stats.models.DailySummary` keeps those days, per agency and field.
* A report sums the fresh summarised days of its period and counts live the days the summary
  does not hold (not summarised yet, stale, or the unfinished day of a period counted up to
  ``as_of``).
* Pending at the end comes from the stock snapshot when the period ends on a fresh snapshot
  day (stats/stock.py), else it is counted live: the dossiers open at the end plus those
  closed since (few when the end is recent). Carried over at the start is *not* read: it is
  pending at the end minus the period's stock moves (``MOVE_COUNTERS``), exactly.

Staleness: database triggers (migration ``stats/0003``) mark a summarised day stale in the very
transaction that changes a dossier's flows on it (a backdated close, an import of old dossiers,
a correction, a deletion) and every day of a procedure whose field changes. A stale day is read
live until :func:`summarise` (``motcua stats-summarise``) redoes it. :func:`summarise` locks
the dossier table against writers while it counts a batch of days, so that no change can slip
between its count and its "fresh" mark.

The plain definition stays :func:`~motcua.stats.counters.live_counts_by_agency_periods`; the
tests check this module equal to it (tests/stats/test_summary.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.core.localtime import LOCAL_TZ, day_start
from motcua.dossiers.deadlines import deadline_day_aliases
from motcua.dossiers.models import Dossier
from motcua.stats.counters import (
    DOSSIER_COUNTERS,
    FLOW_COUNTERS,
    FLOW_INSTANTS,
    MOVE_COUNTERS,
    RATING_COUNTERS,
    Counts,
    _alias,
    add_derived,
    dossier_aliases,
    dossier_conditions,
    empty_counts,
    live_counts_by_agency_periods,
    move_conditions,
    ratings_by_agency,
    statistics_queries,
)
from motcua.stats.coverage import coverage_by_day, store_coverage
from motcua.stats.dayrows import mark_built, replace_rows
from motcua.stats.models import SUMMARY_KEYS, CoverageDay, DailySummary, SummaryDay, field_name
from motcua.stats.periods import Period
from motcua.stats.stock import stock_counts, summarise_stocks

# The groupings a report asks for, and the summary's column for each.
SUMMARY_GROUPS: dict[str, str] = {"agency_id": "agency_id", "procedure__field_id": "field_id"}
BATCH_DAYS = 31  # days counted in one grouped query (and one transaction) by `summarise`

assert set(SUMMARY_KEYS) == set(FLOW_COUNTERS + MOVE_COUNTERS)
assert sorted(k for keys in FLOW_INSTANTS.values() for k in keys) == sorted(SUMMARY_KEYS)


def local_day(instant: dt.datetime) -> date:
    return instant.astimezone(LOCAL_TZ).date()


def flow_counts(
    *, agency_ids: Iterable[int] | None, period: Period, groups: tuple[str, ...], by_day: bool
) -> dict[tuple, Counts]:
    """The flows and moves of ``period`` per value of ``groups`` (dossier fields), and per
    local day of each flow's instant when ``by_day``: one grouped query per instant, with the
    conditions of ``dossier_conditions`` / ``move_conditions`` for the whole period (a
    dossier's instant lies in the period, so grouping by its day is the one-day count)."""
    conditions = dossier_conditions(period) | move_conditions(period)
    start, end = period.start_instant, period.end_instant
    out: dict[tuple, Counts] = defaultdict(lambda: dict.fromkeys(SUMMARY_KEYS, 0))
    if end <= start:
        return {}
    if not by_day:  # one query: each condition holds its own instant's range
        qs = Dossier.objects.filter(
            Q(received_at__gte=start, received_at__lt=end)
            | Q(closed_at__gte=start, closed_at__lt=end)
            | Q(delivered_at__gte=start, delivered_at__lt=end)
        )
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=list(agency_ids))
        rows = (
            qs.alias(**deadline_day_aliases())
            .order_by()
            .values(*groups)
            .annotate(**{_alias(k): Count("pk", filter=conditions[k]) for k in SUMMARY_KEYS})
        )
        for row in rows:
            out[tuple(row[n] for n in groups)] = {k: row[_alias(k)] for k in SUMMARY_KEYS}
        return {key: c for key, c in out.items() if any(c.values())}
    for instant, keys in FLOW_INSTANTS.items():
        qs = Dossier.objects.filter(**{f"{instant}__gte": start, f"{instant}__lt": end})
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=list(agency_ids))
        qs = qs.alias(**deadline_day_aliases())
        names = list(groups)
        if by_day:
            qs = qs.annotate(summary_day=TruncDate(instant, tzinfo=LOCAL_TZ))
            names.append("summary_day")
        rows = (
            qs.order_by()
            .values(*names)
            .annotate(**{_alias(k): Count("pk", filter=conditions[k]) for k in keys})
        )
        for row in rows:
            counts = out[tuple(row[n] for n in names)]
            for k in keys:
                counts[k] += row[_alias(k)]
    return {key: c for key, c in out.items() if any(c.values())}


def pending_counts(
    *, agency_ids: Iterable[int] | None, period: Period, group_by: str
) -> dict[int, Counts]:
    """The ``pending.*`` stocks at the period's end, live: the dossiers received before it and
    not closed before it (open ones, and those closed since the end)."""
    end = period.end_instant
    conditions = dossier_conditions(period)
    keys = [k for k in DOSSIER_COUNTERS if k.startswith("pending.")]
    qs = Dossier.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    qs = qs.filter(
        Q(closed_at__isnull=True, received_at__lt=end) | Q(closed_at__gte=end, received_at__lt=end)
    ).alias(**dossier_aliases(period))
    rows = (
        qs.order_by()
        .values(group_by)
        .annotate(**{_alias(k): Count("pk", filter=conditions[k]) for k in keys})
    )
    return {r[group_by]: {k: r[_alias(k)] for k in keys} for r in rows}


def fresh_days(first: date, last: date) -> list[date]:
    return list(
        SummaryDay.objects.filter(day__gte=first, day__lte=last, stale=False)
        .order_by("day")
        .values_list("day", flat=True)
    )


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and runs[-1][1] + timedelta(days=1) == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def last_complete_day(period: Period) -> date:
    """The period's last day wholly counted (before its start when there is none): its end,
    or the day before ``as_of`` for a period counted up to then."""
    end = period.end_instant
    if end >= day_start(period.end + timedelta(days=1)):
        return period.end
    return min(period.end, local_day(end) - timedelta(days=1))


def live_parts(period: Period, fresh: set[date]) -> list[Period]:
    """The parts of ``period`` the summary cannot give: runs of complete days not fresh, and
    the unfinished last day of a period counted up to ``as_of``."""
    end = period.end_instant
    last_complete = last_complete_day(period)
    days, d = [], period.start
    while d <= last_complete:
        if d not in fresh:
            days.append(d)
        d += timedelta(days=1)
    parts = [Period(a, b) for a, b in _runs(days)]
    tail = max(period.start, last_complete + timedelta(days=1))
    if tail <= period.end and end > day_start(tail):
        parts.append(Period(tail, period.end, as_of=period.as_of))
    return parts


def summarised_counts(
    *, agency_ids: list[int] | None, period: Period, group_by: str, ratings: bool
) -> dict[int, Counts]:
    """:func:`~motcua.stats.counters.counts_by_agency` (``group_by`` agency or field) from the
    summary's fresh days, live counts for the rest and the live stocks (module docstring)."""
    column = SUMMARY_GROUPS[group_by]
    if period.end_instant < period.start_instant:  # counted up to an instant before it starts
        return live_counts_by_agency_periods(
            agency_ids=agency_ids, periods=[period], group_by=group_by, ratings=ratings
        )[0]
    with statistics_queries():
        last = last_complete_day(period)
        fresh = fresh_days(period.start, last) if last >= period.start else []
        flows: dict[int, Counts] = defaultdict(lambda: dict.fromkeys(SUMMARY_KEYS, 0))
        if fresh:
            qs = DailySummary.objects.filter(day__in=fresh)
            if agency_ids is not None:
                qs = qs.filter(agency_id__in=agency_ids)
            sums = {_alias(k): Sum(field_name(k)) for k in SUMMARY_KEYS}
            for row in qs.order_by().values(column).annotate(**sums):
                counts = flows[row[column]]
                for k in SUMMARY_KEYS:
                    counts[k] += row[_alias(k)] or 0
        for part in live_parts(period, set(fresh)):
            live = flow_counts(agency_ids=agency_ids, period=part, groups=(group_by,), by_day=False)
            for (key,), counts in live.items():
                for k, v in counts.items():
                    flows[key][k] += v
        pending = stock_counts(agency_ids=agency_ids, period=period, group_by=group_by)
        if pending is None:  # the period's end is not a fresh snapshot day (stats/stock.py)
            pending = pending_counts(agency_ids=agency_ids, period=period, group_by=group_by)
        rated = ratings_by_agency(agency_ids=agency_ids, period=period) if ratings else {}
    result: dict[int, Counts] = {}
    for key in set(flows) | set(pending):
        f = flows.get(key) or dict.fromkeys(SUMMARY_KEYS, 0)
        p = pending.get(key) or {}
        counts = {k: f[k] for k in FLOW_COUNTERS}
        for k in DOSSIER_COUNTERS:
            if k.startswith("pending."):
                counts[k] = p.get(k, 0)
        # N(start) = N(end) - (moves in - moves out) within the period (counters.MOVE_COUNTERS)
        counts["received.carried_over"] = counts["pending.total"] - f["moves.in"] + f["moves.out"]
        if any(counts.values()):
            result[key] = {k: counts[k] for k in DOSSIER_COUNTERS}
    for agency_id, counts in rated.items():
        result.setdefault(agency_id, empty_counts(derived=False)).update(counts)
    for counts in result.values():
        for key in RATING_COUNTERS:
            counts.setdefault(key, 0)
        add_derived(counts)
    return result


# --- Keeping it current -----------------------------------------------------------------------


@dataclass
class SummariseResult:
    days: int = 0
    rows: int = 0
    batches: int = 0
    stock_days: int = 0
    stock_rows: int = 0


def first_day() -> date | None:
    """Where summarising starts: the first day already summarised, else the first local day
    of any dossier's reception (read once, when the summary is empty)."""
    first = SummaryDay.objects.aggregate(first=Min("day"))["first"]
    if first is not None:
        return first
    received = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    return None if received is None else local_day(received)


def days_to_summarise(*, first: date, last: date, rebuild: bool) -> list[date]:
    """Complete days in ``[first, last]`` that are not summarised, or stale (all of them with
    ``rebuild``)."""
    if last < first:
        return []
    fresh = set() if rebuild else set(fresh_days(first, last))
    days, d = [], first
    while d <= last:
        if d not in fresh:
            days.append(d)
        d += timedelta(days=1)
    return days


def summarise_days(first: date, last: date) -> int:
    """Count the days ``[first, last]`` and store them fresh, in one transaction that holds
    writers off the dossiers (and procedures) while it counts; returns the rows stored."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # SHARE: waits for the writers in flight, blocks new ones until the commit, so
                # the count sees every change that a stale mark could have been lost for.
                cursor.execute("LOCK TABLE dossiers_dossier, catalog_procedure IN SHARE MODE")
        # every agency named, so that each instant's range is read through the (agency,
        # instant) indexes, as reports do (a sequential scan of the table otherwise)
        agencies = list(Agency.objects.values_list("pk", flat=True))
        with statistics_queries():
            counts = flow_counts(
                agency_ids=agencies,
                period=Period(first, last),
                groups=("agency_id", "procedure__field_id"),
                by_day=True,
            )
        written = replace_rows(DailySummary, counts, day__gte=first, day__lte=last)
        # the coverage of channels of the same days (stats/coverage.py)
        with statistics_queries():
            coverage = coverage_by_day(agency_ids=agencies, period=Period(first, last))
        CoverageDay.objects.filter(day__gte=first, day__lte=last).delete()
        store_coverage(coverage)
        mark_built(SummaryDay, [first + timedelta(days=i) for i in range((last - first).days + 1)])
    return written


def summarise(
    *,
    since: date | None = None,
    until: date | None = None,
    rebuild: bool = False,
    today: date | None = None,
    stock_every_day: bool = False,
) -> SummariseResult:
    """Summarise every complete day (before ``today``, local) not summarised yet or stale,
    from ``since`` (default :func:`first_day`) to ``until``, and take the stocks of its period
    ends and of its last day (stats/stock.py; every day with ``stock_every_day``); idempotent."""
    today = today or timezone.localdate()
    last = today - timedelta(days=1) if until is None else min(until, today - timedelta(days=1))
    first = since or first_day()
    result = SummariseResult()
    if first is None:
        return result
    for a, b in _runs(days_to_summarise(first=first, last=last, rebuild=rebuild)):
        while a <= b:
            end = min(b, a + timedelta(days=BATCH_DAYS - 1))
            result.rows += summarise_days(a, end)
            result.days += (end - a).days + 1
            result.batches += 1
            a = end + timedelta(days=1)
    result.stock_days, result.stock_rows = summarise_stocks(
        first=first, last=last, rebuild=rebuild, every_day=stock_every_day
    )
    return result
