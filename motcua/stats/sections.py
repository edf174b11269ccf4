"""The parts of a report beside the counters (statistics.md §3, §4): rates, the late list,
rankings, coverage of channels, inter-agency hand-overs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
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
from django.db.models.functions import RowNumber

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import Agency, Procedure
from motcua.core.localtime import LOCAL_TZ
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


def _instant(value) -> str | None:
    return None if value is None else value.astimezone(LOCAL_TZ).isoformat()


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


def _late_key(r: Mapping[str, Any]) -> tuple:
    return late_rank(r["due_at"], r["pk"])


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


def _late_rows(
    qs, limit: int | None, sections: Mapping[int, int] | None = None
) -> list[dict[str, Any]]:
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
    return list(qs.order_by().values(*LATE_COLUMNS))


def _apologies(ids: list[int], end) -> dict[int, dict[str, Any]]:
    """The last apology issued before ``end`` for each of ``ids`` (one query)."""
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 5000):
        rows = (
            Apology.objects.filter(dossier_id__in=ids[i : i + 5000], issued_at__lt=end)
            .order_by("dossier_id", "-issued_at", "-pk")
            .values("dossier_id", "issued_at", "new_due_at", "issued_late", "reason")
        )
        for row in rows:
            out.setdefault(row["dossier_id"], row)
    return out


def late_rows(
    *,
    agency_ids: Iterable[int] | None,
    period: Period,
    limit: int | None = None,
    sections: Mapping[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Every dossier resolved late in the period or overdue at its end (§4) as read (not yet
    formatted: :class:`LateFormatter`), in reception order; with ``limit``, only each
    section's ``limit`` most late (:func:`_late_rows`, :func:`most_late`)."""
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
    for r in rows:
        r["late_key"] = _late_key(r)
    rows.sort(key=lambda r: (r["received_at"], r["pk"]))
    return rows


class LateFormatter:
    """The late list's output rows of read rows, each made once (apologies read in one query
    per batch of rows not seen yet): a report formats only the rows its sections show."""

    def __init__(self, period: Period) -> None:
        self.end = period.end_instant
        self.done: dict[int, dict[str, Any]] = {}
        self.procedures: dict[int, dict[str, str]] = {}

    def __call__(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        new = [r["pk"] for r in rows if r["pk"] not in self.done]
        apologies = _apologies(new, self.end) if new else {}
        # read apart, not joined: a join let the planner loop over the procedures
        wanted = {r["procedure_id"] for r in rows} - self.procedures.keys()
        if wanted:
            for p in Procedure.objects.filter(pk__in=wanted).values("pk", "code", "name"):
                self.procedures[p["pk"]] = p
        for r in rows:
            if r["pk"] not in self.done:
                self.done[r["pk"]] = self._one(r, apologies.get(r["pk"]) or {})
        return [self.done[r["pk"]] for r in rows]

    def _one(self, r: Mapping[str, Any], ap: Mapping[str, Any]) -> dict[str, Any]:
        closed = r["closed_at"] is not None and r["closed_at"] < self.end
        procedure = self.procedures[r["procedure_id"]]
        return {
            "agency_id": r["agency_id"],
            "late_key": r["late_key"],
            "code": r["code"] or "",
            "procedure_code": procedure["code"],
            "procedure_name": procedure["name"],
            "received_at": _instant(r["received_at"]),
            "due_at": _instant(r["due_at"]),
            "closed_at": _instant(r["closed_at"]) if closed else None,
            "status": "late" if closed else "overdue",
            "apology": bool(ap),
            "apology_issued_at": _instant(ap.get("issued_at")),
            "apology_new_due_at": _instant(ap.get("new_due_at")),
            "apology_issued_late": bool(ap.get("issued_late")),
            "apology_reason": ap.get("reason") or "",
            "note": r["note"],
        }


def late_list(
    *, agency_ids: Iterable[int] | None, period: Period, limit: int | None = None
) -> list[dict[str, Any]]:
    """:func:`late_rows` formatted, each with ``agency_id`` and ``late_key`` (removed before
    output): the whole list when ``limit`` is None."""
    return LateFormatter(period)(late_rows(agency_ids=agency_ids, period=period, limit=limit))


def most_late(
    by_agency: Mapping[int, list[dict[str, Any]]], *, agency_ids: Iterable[int], limit: int | None
) -> list[dict[str, Any]]:
    """The rows of ``agency_ids`` (``by_agency``: the read rows grouped by agency; all of
    them, or the ``limit`` most late), in the list's order (reception)."""
    mine = [r for i in agency_ids for r in by_agency.get(i, ())]
    if limit is not None and len(mine) > limit:
        mine = sorted(mine, key=lambda r: r["late_key"])[:limit]
    return sorted(mine, key=lambda r: (r["received_at"], r["pk"]))


PRIVATE_LATE_KEYS = ("agency_id", "late_key")


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


def split_by_agency(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r["agency_id"]].append(r)
    return out
