"""The parts of a report beside the counters (statistics.md §3, §4): rates, the late list,
rankings, coverage of channels, inter-agency hand-overs."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import Agency, Procedure
from motcua.core.fastread import value_rows
from motcua.core.localtime import LOCAL_TZ, local_isoformat
from motcua.dossiers.deadlines import closed_after_due_q, deadline_day_aliases, due_before_q
from motcua.dossiers.models import Apology, Dossier, Handover, SupplementWait
from motcua.stats.counters import Counts, dossier_aliases, dossier_conditions
from motcua.stats.coverage import ONLINE, POSTAL, procedures_used
from motcua.stats.periods import Period
from motcua.stats.rates import as_number, rate, share_map, shares

ONLINE_CLASSES = (OnlineClass.LEVEL3, OnlineClass.LEVEL4, OnlineClass.PARTIAL, OnlineClass.FULL)


def compute_rates(c: Mapping[str, int]) -> dict[str, Decimal | None]:
    """§3's rates, plus a few companions. Shares of one whole come from one largest-remainder
    split, so the rates printed side by side add up to 100,00%."""
    in_time = c["resolved.early"] + c["resolved.on_time"]
    late_due = c["resolved.late"] + c["pending.overdue"]
    of_resolved = shares([in_time, c["resolved.late"]])
    of_due = shares([in_time, late_due])  # due = in_time + late + overdue
    channels = shares(
        [
            c["received.by_channel.direct"],
            c["received.by_channel.online"],
            c["received.by_channel.postal"],
        ]
    )
    ratings = shares(
        [c["ratings.very_satisfied"], c["ratings.satisfied"], c["ratings.dissatisfied"]]
    )
    return {
        "on_time_of_resolved": of_resolved[0],
        "on_time_of_due": of_due[0],
        "late_of_due": of_due[1],
        "returned_of_due": rate(c["refused"] + c["withdrawn"] + c["stopped"], c["due"]),
        "online_of_new": channels[1],
        "postal_of_new": channels[2],
        "very_satisfied": ratings[0],
        # companions (more keys are allowed by §5)
        "late_of_resolved": of_resolved[1],
        "direct_of_new": channels[0],
        "satisfied": ratings[1],
        "dissatisfied": ratings[2],
        "postal_of_delivered": rate(c["delivered.postal"], c["delivered.total"]),
    }


def compute_shares(c: Mapping[str, int]) -> dict[str, dict[str, float | None]]:
    """Three-way splits printed in the narrative (seed 001: 54,70% + 45,07% + 0,23%)."""
    groups = {
        "resolved": {k: c[f"resolved.{k}"] for k in ("early", "on_time", "late")},
        "channels": {k: c[f"received.by_channel.{k}"] for k in ("direct", "online", "postal")},
        "ratings": {k: c[f"ratings.{k}"] for k in ("very_satisfied", "satisfied", "dissatisfied")},
    }
    return {g: {k: as_number(v) for k, v in share_map(p).items()} for g, p in groups.items()}


LATE_COLUMNS = (
    "pk",
    "agency_id",
    "code",
    "procedure_id",
    "received_at",
    "due_at",
    "closed_at",
    "note",
)
# A read row of the late list is a tuple of LATE_COLUMNS (positions below).
PK, AGENCY, CODE, PROCEDURE, RECEIVED, DUE, CLOSED, NOTE = range(len(LATE_COLUMNS))
LateRow = tuple[Any, ...]
_reception = itemgetter(RECEIVED, PK)


def late_list_max() -> int | None:
    """How many rows a report's late list holds at most (``MOTCUA_REPORT_LATE_LIST_MAX``;
    0, the default, = every row, as statistics.md §4 asks): decisions.md #51."""
    from django.conf import settings

    value = int(getattr(settings, "MOTCUA_REPORT_LATE_LIST_MAX", 0))
    return value or None


def late_rank(due_at: Any, tie: Any) -> tuple:
    """The late list's ranking, the most late first: the earliest legal due date (then
    ``tie``, the dossier's id or its place in the list)."""
    return (due_at is None, due_at, tie)


def late_key(r: LateRow) -> tuple:
    """The most late first: the earliest legal due date (then the dossier's id)."""
    return late_rank(r[DUE], r[PK])


def _due_instant(value: Any) -> dt.datetime | None:
    """A late list row's ``due_at`` (an ISO instant, statistics.md §4) as an aware datetime."""
    if not value:
        return None
    if isinstance(value, dt.datetime):
        instant = value
    else:
        instant = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return instant if instant.tzinfo else instant.replace(tzinfo=LOCAL_TZ)


def most_overdue(items: Sequence[Mapping[str, Any]], limit: int | None) -> list[Any]:
    """The ``limit`` most late rows of a report's late list (its output rows), by
    :func:`late_rank`, kept in the list's order (reception); every row when ``limit`` is None
    or 0. What a printed report lists (decisions.md #52)."""
    if not limit or len(items) <= limit:
        return list(items)
    ranked = sorted(
        range(len(items)), key=lambda i: late_rank(_due_instant(items[i].get("due_at")), i)
    )
    return [items[i] for i in sorted(ranked[:limit])]


def _late_rows(qs, limit: int | None, sections: Mapping[int, int] | None = None) -> list[LateRow]:
    """``qs``'s late-list columns; with ``limit``, only the ``limit`` most late of each
    section (``sections``: agency → section, e.g. the child unit whose subtree holds it; each
    agency its own section by default). The ``limit`` most late of any union of sections are
    among them."""
    if limit is not None:
        part: Any = F("agency_id")
        if sections:
            by_section: dict[int, list[int]] = defaultdict(list)
            for agency_id, section in sections.items():
                by_section[section].append(agency_id)
            part = Case(
                *(When(agency_id__in=ids, then=Value(s)) for s, ids in by_section.items()),
                default=F("agency_id"),
                output_field=BigIntegerField(),
            )
        qs = qs.annotate(
            late_rank=Window(
                RowNumber(),
                partition_by=[part],
                order_by=[F("due_at").asc(nulls_last=True), F("pk").asc()],
            )
        ).filter(late_rank__lte=limit)
    return value_rows(qs.order_by().values_list(*LATE_COLUMNS))


APOLOGY_COLUMNS = ("dossier_id", "issued_at", "new_due_at", "issued_late", "reason")


def _apologies(ids: list[int], end) -> dict[int, tuple[Any, ...]]:
    """The last apology issued before ``end`` for each of ``ids`` (a row of APOLOGY_COLUMNS):
    on PostgreSQL one query with the ids as one array parameter, else batches of 5,000."""
    qs = Apology.objects.filter(issued_at__lt=end).order_by("dossier_id", "-issued_at", "-pk")
    if connection.vendor == "postgresql":
        # the ids are one bound parameter, an array literal (psycopg's dumper of a list of
        # ints costs ≈ 7 µs an id); the column is named from the model
        sql = f"{connection.ops.quote_name(Apology._meta.db_table)}.dossier_id = ANY(%s::bigint[])"
        array = "{" + ",".join(str(int(i)) for i in ids) + "}"
        wanted = RawSQL(sql, (array,), output_field=BooleanField())  # noqa: S611
        batches = [qs.filter(wanted)]
    else:
        batches = [qs.filter(dossier_id__in=ids[i : i + 5000]) for i in range(0, len(ids), 5000)]
    out: dict[int, tuple[Any, ...]] = {}
    for batch in batches:
        for row in value_rows(batch.values_list(*APOLOGY_COLUMNS)):
            out.setdefault(row[0], row)
    return out


def late_rows(
    *,
    agency_ids: Iterable[int] | None,
    period: Period,
    limit: int | None = None,
    sections: Mapping[int, int] | None = None,
) -> list[LateRow]:
    """Every dossier resolved late in the period or overdue at its end (§4) as read (tuples of
    LATE_COLUMNS, not yet formatted: :class:`LateFormatter`), in reception order; with
    ``limit``, only each section's ``limit`` most late (:func:`_late_rows`, :func:`most_late`)."""
    cond = dossier_conditions(period)
    start, end = period.start_instant, period.end_instant
    mine = Dossier.objects.all()
    if agency_ids is not None:
        mine = mine.filter(agency_id__in=list(agency_ids))
    # Narrow reads of disjoint sets (closed in the period / open at its end), each first
    # narrowed by a condition the counter implies, so that the per-dossier helpers run on few
    # rows: resolved late => closed after the due instant (a partial index holds those).
    late = (
        mine.filter(closed_at__gte=start, closed_at__lt=end)
        .filter(closed_after_due_q())
        .alias(**deadline_day_aliases())
        .filter(cond["resolved.late"])
    )
    # Overdue at the end, in two disjoint reads. A dossier with no supplement wait is overdue
    # at the end exactly when it is pending and due before it (stats/counters.py): a plain
    # read through the partial index ``dossier_agency_open_due``, without the per-dossier
    # wait helpers, whose cost made the planner misjudge a read of every open dossier
    # (decisions.md #51). The few dossiers with a wait are read apart with the whole rule.
    has_wait = Exists(SupplementWait.objects.filter(dossier=OuterRef("pk")))
    overdue = [
        mine.filter(cond["pending.total"]).filter(due_before_q(end)).filter(~has_wait),
        mine.filter(has_wait).alias(**dossier_aliases(period)).filter(cond["pending.overdue"]),
    ]
    rows = [row for qs in (late, *overdue) for row in _late_rows(qs, limit, sections)]
    rows.sort(key=_reception)
    return rows


class LateFormatter:
    """The late list's output rows (statistics.md §5's keys) of read rows, each made once and
    shared by every section that shows it. ``rows``: every row the report may show; their
    apologies (one query) and procedures are read on the first call."""

    def __init__(self, period: Period, rows: Sequence[LateRow]) -> None:
        self.end = period.end_instant
        self.rows = rows
        self.done: dict[int, dict[str, Any]] = {}
        self.apologies: dict[int, tuple[Any, ...]] | None = None
        self.procedures: dict[int, tuple[str, str]] = {}

    def _read(self) -> None:
        self.apologies = _apologies([r[PK] for r in self.rows], self.end) if self.rows else {}
        # read apart, not joined: a join let the planner loop over the procedures
        wanted = {r[PROCEDURE] for r in self.rows}
        if wanted:
            found = Procedure.objects.filter(pk__in=wanted).values_list("pk", "code", "name")
            self.procedures = {pk: (code, name) for pk, code, name in found}

    def __call__(self, rows: Iterable[LateRow]) -> list[dict[str, Any]]:
        if self.apologies is None:
            self._read()
        done, one = self.done, self._one
        return [done.get(r[PK]) or done.setdefault(r[PK], one(r)) for r in rows]

    def _one(self, r: LateRow) -> dict[str, Any]:
        closed_at = r[CLOSED]
        closed = closed_at is not None and closed_at < self.end
        procedure_code, procedure_name = self.procedures[r[PROCEDURE]]
        ap = self.apologies.get(r[PK]) if self.apologies else None
        return {
            "code": r[CODE] or "",
            "procedure_code": procedure_code,
            "procedure_name": procedure_name,
            "received_at": local_isoformat(r[RECEIVED]),
            "due_at": local_isoformat(r[DUE]),
            "closed_at": local_isoformat(closed_at) if closed else None,
            "status": "late" if closed else "overdue",
            "apology": ap is not None,
            "apology_issued_at": None if ap is None else local_isoformat(ap[1]),
            "apology_new_due_at": None if ap is None else local_isoformat(ap[2]),
            "apology_issued_late": bool(ap is not None and ap[3]),
            "apology_reason": (ap[4] if ap is not None else "") or "",
            "note": r[NOTE],
        }


def late_list(
    *, agency_ids: Iterable[int] | None, period: Period, limit: int | None = None
) -> list[dict[str, Any]]:
    """:func:`late_rows` formatted, each with ``agency_id`` and ``late_key`` first (not part of
    a report's rows): the whole list when ``limit`` is None."""
    rows = late_rows(agency_ids=agency_ids, period=period, limit=limit)
    formatted = LateFormatter(period, rows)(rows)
    return [
        {"agency_id": r[AGENCY], "late_key": late_key(r), **f}
        for r, f in zip(rows, formatted, strict=True)
    ]


def most_late(rows: list[LateRow], *, limit: int | None) -> list[LateRow]:
    """Of ``rows`` (read rows in the list's order, reception), all of them or the ``limit``
    most late, in the list's order."""
    if limit is None or len(rows) <= limit:
        return rows
    return sorted(heapq.nsmallest(limit, rows, key=late_key), key=_reception)


def by_section(rows: Iterable[LateRow], sections: Mapping[int, int]) -> dict[Any, list[LateRow]]:
    """``rows`` grouped by section (``sections``: agency → section; None for the others), each
    group in the rows' order."""
    out: dict[Any, list[LateRow]] = defaultdict(list)
    for r in rows:
        out[sections.get(r[AGENCY])].append(r)
    return out


def late_count(counts: Mapping[str, int]) -> int:
    """The length of the whole late list of a unit with these counters."""
    return counts["resolved.late"] + counts["pending.overdue"]


def _ranked(units: Sequence[tuple[Agency, Any]]) -> list[dict[str, Any]]:
    ordered = sorted(units, key=lambda u: (u[1] is None, -(u[1] or 0), u[0].code))
    return [{"code": a.code, "name": a.name, "value": v} for a, v in ordered]


def rankings(children: Sequence[tuple[Agency, Counts]]) -> dict[str, list[dict[str, Any]]]:
    """Child units ranked by on-time rate of due, by new dossiers and by online share."""
    rated = [(a, compute_rates(c)) for a, c in children]
    return {
        "by_on_time_of_due": _ranked([(a, as_number(r["on_time_of_due"])) for a, r in rated]),
        "by_received_new": _ranked([(a, c["received.new"]) for a, c in children]),
        "by_online_of_new": _ranked([(a, as_number(r["online_of_new"])) for a, r in rated]),
    }


def units_below_threshold(
    children: Sequence[tuple[Agency, Counts]], *, threshold: int
) -> dict[str, Any]:
    """Child units that recorded zero, or fewer than ``threshold``, new dossiers (seed 003)."""
    zero = [{"code": a.code, "name": a.name} for a, c in children if c["received.new"] == 0]
    fewer = [
        {"code": a.code, "name": a.name, "received_new": c["received.new"]}
        for a, c in children
        if 0 < c["received.new"] < threshold
    ]
    return {"threshold": threshold, "fewer": fewer, "zero": zero}


def coverage(*, agency_ids: set[int], period: Period, own: Mapping[int, Counts]) -> dict[str, Any]:
    """Of the procedures registered for post / offered online at the unit, how many had such
    dossiers in the period (seed 000: 17 of 32); how many agencies had online dossiers."""
    assigned = Procedure.objects.filter(is_active=True, assignments__agency_id__in=agency_ids)
    postal_ids = set(
        assigned.filter(Q(postal_reception=True) | Q(postal_return=True)).values_list(
            "pk", flat=True
        )
    )
    online_ids = set(assigned.filter(online_class__in=ONLINE_CLASSES).values_list("pk", flat=True))
    # which of them had such dossiers: from the daily summary's days (stats/coverage.py)
    postal_used = procedures_used(
        agency_ids=agency_ids, period=period, kinds=POSTAL, candidates=postal_ids
    )
    online_used = procedures_used(
        agency_ids=agency_ids, period=period, kinds=ONLINE, candidates=online_ids
    )

    def part(registered: set[int], used: set[int]) -> dict[str, Any]:
        n = len(registered & used)
        return {
            "registered": len(registered),
            "with_dossiers": n,
            "rate": as_number(rate(n, len(registered))),
        }

    return {
        "postal": part(postal_ids, postal_used),
        "online": part(online_ids, online_used),
        "agencies_with_online": sum(
            1 for i in agency_ids if own.get(i, {}).get("received.by_channel.online", 0) > 0
        ),
    }


def inter_agency(*, agency_ids: set[int], period: Period) -> dict[str, Any]:
    """Hand-overs within the period: sent to agencies outside the unit, received from them."""
    qs = Handover.objects.filter(sent_at__gte=period.start_instant, sent_at__lt=period.end_instant)
    sent = qs.filter(from_agency_id__in=agency_ids).exclude(to_agency_id__in=agency_ids)
    received = qs.filter(to_agency_id__in=agency_ids).exclude(from_agency_id__in=agency_ids)
    internal = qs.filter(from_agency_id__in=agency_ids, to_agency_id__in=agency_ids)
    sent_to = (
        sent.order_by()
        .values("to_agency__code", "to_agency__name")
        .annotate(n=Count("dossier_id", distinct=True), last=Max("sent_at"))
        .order_by("-n", "to_agency__code")
    )
    return {
        "sent": sent.values("dossier_id").distinct().count(),
        "received": received.values("dossier_id").distinct().count(),
        "internal": internal.count(),
        "sent_to": [
            {"code": r["to_agency__code"], "name": r["to_agency__name"], "dossiers": r["n"]}
            for r in sent_to
        ],
    }
