"""Counters of feedback and petitions (*phản ánh, kiến nghị*), defined once here.

For an agency set and a period [start, end) of ``stats.periods.Period``:

- ``carried_over``: received before the period, not answered before it started;
- ``received``: received in the period;
- ``answered.total``: answered in the period; ``answered.on_time`` those answered no later than
  their due instant, ``answered.late`` the rest;
- ``pending.total``: received before the period's end and not answered by then;
  ``pending.overdue`` those whose due instant is before the period's end (for a period that has
  not ended, before ``now``);
- ``published``: answers published in the period.

Identity (checked by :func:`check_identity` and the tests):
``carried_over + received = answered.total + pending.total`` and
``answered.total = answered.on_time + answered.late``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from motcua.petitions.deadlines import answered_on_time_q, overdue_at_q
from motcua.petitions.models import Petition
from motcua.stats.periods import Period


def _aggregates(start: dt.datetime, end: dt.datetime, horizon: dt.datetime) -> dict:
    open_at_end = Q(received_at__lt=end) & (Q(answered_at__isnull=True) | Q(answered_at__gte=end))
    answered = Q(answered_at__gte=start, answered_at__lt=end)
    return {
        "carried_over": Count(
            "pk",
            filter=Q(received_at__lt=start)
            & (Q(answered_at__isnull=True) | Q(answered_at__gte=start)),
        ),
        "received": Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        "answered_total": Count("pk", filter=answered),
        "answered_on_time": Count("pk", filter=answered & answered_on_time_q()),
        "pending_total": Count("pk", filter=open_at_end),
        "pending_overdue": Count("pk", filter=open_at_end & overdue_at_q(horizon)),
        "published": Count("pk", filter=Q(published_at__gte=start, published_at__lt=end)),
    }


def _shape(row: dict) -> dict:
    return {
        "carried_over": row["carried_over"],
        "received": row["received"],
        "answered": {
            "total": row["answered_total"],
            "on_time": row["answered_on_time"],
            "late": row["answered_total"] - row["answered_on_time"],
        },
        "pending": {"total": row["pending_total"], "overdue": row["pending_overdue"]},
        "published": row["published"],
    }


def _scope(agency_ids: Iterable[int] | None, period: Period, now: dt.datetime | None):
    qs = Petition.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    start, end = period.start_instant, period.end_instant
    return qs, _aggregates(start, end, min(end, now or timezone.now()))


def petition_counts(
    *, agency_ids: Iterable[int] | None, period: Period, now: dt.datetime | None = None
) -> dict:
    """The petition counters of the agencies together (see the module)."""
    qs, aggregates = _scope(agency_ids, period, now)
    return _shape(qs.aggregate(**aggregates))


def petition_counts_by_agency(
    *, agency_ids: Iterable[int] | None, period: Period, now: dt.datetime | None = None
) -> dict[int, dict]:
    """The same counters for each agency (agencies without any petition are left out)."""
    qs, aggregates = _scope(agency_ids, period, now)
    rows = qs.values("agency_id").annotate(**aggregates).order_by()
    return {row["agency_id"]: _shape(row) for row in rows}


def check_identity(counts: dict) -> list[str]:
    """The identities of the petition counters that do not hold (empty when all hold)."""
    problems = []
    if counts["carried_over"] + counts["received"] != (
        counts["answered"]["total"] + counts["pending"]["total"]
    ):
        problems.append("petitions: carried_over + received != answered + pending")
    if counts["answered"]["on_time"] + counts["answered"]["late"] != counts["answered"]["total"]:
        problems.append("petitions: on_time + late != answered")
    return problems


def sum_petition_counts(parts: Iterable[dict]) -> dict:
    """The counters of several agencies together (the same shape, summed leaf by leaf)."""
    total = _shape(dict.fromkeys(_FLAT, 0))
    for part in parts:
        for key in _FLAT:
            _add(total, key, _get(part, key))
    return total


_FLAT = (
    "carried_over",
    "received",
    "answered_total",
    "answered_on_time",
    "pending_total",
    "pending_overdue",
    "published",
)
_PATHS = {
    "carried_over": ("carried_over",),
    "received": ("received",),
    "answered_total": ("answered", "total"),
    "answered_on_time": ("answered", "on_time"),
    "pending_total": ("pending", "total"),
    "pending_overdue": ("pending", "overdue"),
    "published": ("published",),
}


def _get(counts: dict, key: str) -> int:
    node = counts
    for part in _PATHS[key]:
        node = node[part]
    return node


def _add(counts: dict, key: str, value: int) -> None:
    *parents, leaf = _PATHS[key]
    node = counts
    for part in parents:
        node = node[part]
    node[leaf] += value
    if key in ("answered_total", "answered_on_time"):
        counts["answered"]["late"] = counts["answered"]["total"] - counts["answered"]["on_time"]


def add_petition_counts(
    report: dict,
    *,
    subtree: set[int],
    children_map,
    period: Period,
    child_ids: dict[str, int],
) -> dict:
    """Set ``petitions`` on the report and on each of its children (one query in all)."""
    from motcua.catalog.selectors import agency_subtree_ids

    own = petition_counts_by_agency(agency_ids=subtree, period=period)
    report["petitions"] = sum_petition_counts(own[i] for i in subtree if i in own)
    for child in report.get("children") or []:
        pk = child_ids.get(child["unit"]["code"])
        if pk is None:
            continue
        ids = agency_subtree_ids(roots=[pk], children=dict(children_map))
        child["petitions"] = sum_petition_counts(own[i] for i in ids if i in own)
    return report


def petition_rows(report: dict) -> list[tuple[str, int]]:
    """(label, count) rows of the dashboard's petition card; empty when there is nothing."""
    from django.utils.translation import gettext as _

    p = report.get("petitions")
    if not p or not (p["carried_over"] or p["received"] or p["answered"]["total"]):
        return []
    return [
        (_("Carried over"), p["carried_over"]),
        (_("Received in the period"), p["received"]),
        (_("Answered on time"), p["answered"]["on_time"]),
        (_("Answered late"), p["answered"]["late"]),
        (_("Pending at the end"), p["pending"]["total"]),
        (_("… of which overdue"), p["pending"]["overdue"]),
        (_("Answers published"), p["published"]),
    ]
