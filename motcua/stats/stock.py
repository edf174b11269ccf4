"""The stock snapshot: pending at the end of a past day without reading history (issue 15).

A report's stocks are ``pending.*`` at its period's end (carried over at the start follows from
them and the period's moves: stats/summary.py). Counted live, pending at an end ``E`` reads the
dossiers open now *and every dossier closed since E*: few for last month, a whole year of
closes for the comparison of a year report (81 s measured over the 10M history).
:class:`~motcua.stats.models.StockSnapshot` keeps, per agency, field and local day ``d``, the
``pending.*`` counters of the one-day period ``d`` (pending at ``d + 1`` 00:00), counted by the
conditions of ``stats/counters.py`` (``dossier_conditions``) and nothing else.

* Which days: every *period end* (the last day of a month under the deployment's cut-off and
  of a calendar month: month, quarter, half and year reports end on those) and the last day
  each run summarises (yesterday for the nightly run, so that nights accumulate every day).
  A report whose period ends on another day counts its stock live, exactly as before.
* Staleness: database triggers (migration ``stats/0007``) mark a snapshotted day stale in the
  transaction that can change its stock; a stale day is counted live until the next
  ``stats-summarise`` takes it again (:func:`summarise_stocks`, called by
  :func:`~motcua.stats.summary.summarise`).
* Taking past days in bulk reads every dossier closed since the earliest of them once: one
  grouped query for up to :data:`DAYS_PER_QUERY` days (the periods share one scan, as
  ``live_counts_by_agency_periods`` does). The nightly run takes one recent day: the open
  dossiers and those closed since.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Q

from motcua.catalog.models import Agency
from motcua.dossiers.models import Dossier
from motcua.stats.counters import Counts, _alias, dossier_aliases, dossier_conditions
from motcua.stats.dayrows import mark_built, replace_rows
from motcua.stats.models import STOCK_KEYS, StockDay, StockSnapshot, field_name
from motcua.stats.periods import Period, default_cutoff

DAYS_PER_QUERY = 12


def period_end_days(first: date, last: date) -> list[date]:
    """The days in ``[first, last]`` that end a month under the deployment's cut-off or a
    calendar month (every report kind of ``stats/periods.py`` ends on one of them)."""
    cutoff = default_cutoff()
    out: set[date] = set()
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        days_in = calendar.monthrange(year, month)[1]
        out.add(date(year, month, days_in))
        if cutoff > 0:
            out.add(date(year, month, min(cutoff, days_in)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(d for d in out if first <= d <= last)


def fresh_stock_day(day: date) -> bool:
    return StockDay.objects.filter(day=day, stale=False).exists()


def stock_counts(
    *, agency_ids: Iterable[int] | None, period: Period, group_by: str
) -> dict[int, Counts] | None:
    """The ``pending.*`` counters at the end of ``period`` per agency or field from the
    snapshot, or None when its end is not a fresh snapshot day (or not a whole day)."""
    from motcua.core.localtime import day_start

    if period.end_instant != day_start(period.end + timedelta(days=1)):
        return None  # counted up to an instant inside its last day
    if not fresh_stock_day(period.end):
        return None
    column = {"agency_id": "agency_id", "procedure__field_id": "field_id"}[group_by]
    qs = StockSnapshot.objects.filter(day=period.end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    out: dict[int, Counts] = defaultdict(lambda: dict.fromkeys(STOCK_KEYS, 0))
    for row in qs.values(column, *(field_name(k) for k in STOCK_KEYS)):
        counts = out[row[column]]
        for k in STOCK_KEYS:
            counts[k] += row[field_name(k)]
    return dict(out)


def pending_by_day(
    *, agency_ids: list[int] | None, days: list[date], groups: tuple[str, ...]
) -> dict[tuple, Counts]:
    """``pending.*`` at the end of each of ``days`` per value of ``groups``, keyed by
    ``(*group values, day)``: one scan of the dossiers in any of those stocks."""
    periods = [Period(d, d) for d in days]
    first_end = min(p.end_instant for p in periods)
    last_end = max(p.end_instant for p in periods)
    qs = Dossier.objects.filter(received_at__lt=last_end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=first_end)
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    aggregates = {}
    for i, period in enumerate(periods):
        prefix = f"sk{i}_"
        qs = qs.alias(**dossier_aliases(period, prefix))
        conditions = dossier_conditions(period, prefix)
        for k in STOCK_KEYS:
            aggregates[f"d{i}_{_alias(k)}"] = Count("pk", filter=conditions[k])
    out: dict[tuple, Counts] = {}
    for row in qs.order_by().values(*groups).annotate(**aggregates):
        for i, d in enumerate(days):
            counts = {k: row[f"d{i}_{_alias(k)}"] for k in STOCK_KEYS}
            if any(counts.values()):
                out[(*(row[g] for g in groups), d)] = counts
    return out


def snapshot_days(days: list[date]) -> int:
    """Take the stocks at the end of ``days`` and store them fresh, in one transaction that
    holds writers off the dossiers, their waits and the procedures; returns the rows stored."""
    from motcua.stats.counters import statistics_queries

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE dossiers_dossier, dossiers_supplementwait, catalog_procedure "
                    "IN SHARE MODE"
                )
        agencies = list(Agency.objects.values_list("pk", flat=True))
        with statistics_queries():
            counts = pending_by_day(
                agency_ids=agencies, days=days, groups=("agency_id", "procedure__field_id")
            )
        written = replace_rows(StockSnapshot, counts, day__in=days)
        mark_built(StockDay, days)
    return written


def stock_days_to_take(
    *, first: date, last: date, rebuild: bool, every_day: bool = False
) -> list[date]:
    """The period ends in ``[first, last]`` and ``last`` itself (every day with ``every_day``)
    not taken yet or stale (all of them with ``rebuild``); stale days taken before, wherever
    they lie, are taken again too."""
    if last < first:
        return []
    if every_day:
        wanted = {first + timedelta(days=i) for i in range((last - first).days + 1)}
    else:
        wanted = set(period_end_days(first, last)) | {last}
    taken = StockDay.objects.filter(day__gte=first, day__lte=last)
    if not rebuild:
        wanted -= set(taken.filter(stale=False).values_list("day", flat=True))
    wanted |= set(taken.filter(stale=True).values_list("day", flat=True))
    return sorted(wanted)


def summarise_stocks(
    *, first: date, last: date, rebuild: bool = False, every_day: bool = False
) -> tuple[int, int]:
    """Take the stock days :func:`stock_days_to_take` names; returns (days, rows)."""
    days = stock_days_to_take(first=first, last=last, rebuild=rebuild, every_day=every_day)
    rows = 0
    for i in range(0, len(days), DAYS_PER_QUERY):
        rows += snapshot_days(days[i : i + DAYS_PER_QUERY])
    return len(days), rows
