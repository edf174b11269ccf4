"""The measures of the criteria: per agency, a numerator and a denominator (a unit's rate is
the sum over its subtree of each), and the records that lost points (drill-down).

Every dossier figure comes from ``stats/counters.py`` (conditions and counters defined once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import ProcedureAssignment
from motcua.control.models import Posting, PublicationDecision
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.choices import Channel, RatingValue
from motcua.dossiers.models import Dossier, Rating
from motcua.integrations.selectors import (
    late_synced_dossier_ids,
    national_sync_enabled,
    realtime_sync_by_agency,
)
from motcua.petitions.deadlines import answered_late_q, overdue_at_q
from motcua.petitions.models import Petition
from motcua.stats.counters import Counts, counted_dossiers, counts_by_agency, dossier_conditions
from motcua.stats.periods import Period
from motcua.stats.petitions import petition_counts_by_agency

ONLINE_CLASSES = (OnlineClass.LEVEL3, OnlineClass.LEVEL4, OnlineClass.PARTIAL, OnlineClass.FULL)
Parts = dict[int, tuple[int, int]]  # agency id → (numerator, denominator)


@dataclass(frozen=True)
class Unavailable:
    """A measure this deployment cannot take at all (e.g. no national portal connected): the
    criterion is "not measured", left out of the maximum, whatever the period."""

    reason: str


def unavailable(measure: str) -> Unavailable | None:
    """Why ``measure`` cannot be taken in this deployment, or None."""
    if measure == "realtime_sync" and not national_sync_enabled():
        return Unavailable(str(_("This deployment is not connected to the national portal.")))
    return None


@dataclass
class Context:
    """One computation: the agencies (a subtree), the period, and shared query results."""

    agency_ids: set[int]
    period: Period
    _counts: dict[int, Counts] | None = field(default=None, repr=False)

    @property
    def counts(self) -> dict[int, Counts]:
        if self._counts is None:
            self._counts = counts_by_agency(agency_ids=self.agency_ids, period=self.period)
        return self._counts


def _from_counts(ctx: Context, num: Callable[[Counts], int], den: Callable[[Counts], int]) -> Parts:
    return {a: (num(c), den(c)) for a, c in ctx.counts.items() if den(c)}


def resolved_on_time(ctx: Context) -> Parts:
    return _from_counts(
        ctx,
        lambda c: c["resolved.early"] + c["resolved.on_time"],
        lambda c: c["resolved.total"],
    )


def pending_within_time(ctx: Context) -> Parts:
    return _from_counts(ctx, lambda c: c["pending.not_due"], lambda c: c["pending.total"])


def _dissatisfied(period: Period) -> Exists:
    return Exists(
        Rating.objects.filter(
            dossier=OuterRef("pk"), value=RatingValue.DISSATISFIED, at__lt=period.end_instant
        )
    )


def _satisfaction_lost(period: Period) -> Q:
    cond = dossier_conditions(period)
    return cond["resolved.late"] | Q(st_dissatisfied=True)


def dossier_satisfaction(ctx: Context) -> Parts:
    """Resolved in the period; lost: resolved late or rated dissatisfied (by the period's end)."""
    cond = dossier_conditions(ctx.period)
    rows = (
        counted_dossiers(agency_ids=ctx.agency_ids, period=ctx.period)
        .alias(st_dissatisfied=_dissatisfied(ctx.period))
        .filter(cond["resolved.total"])
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"), lost=Count("pk", filter=_satisfaction_lost(ctx.period)))
    )
    return {r["agency_id"]: (r["n"] - r["lost"], r["n"]) for r in rows}


def _online_offered(ctx: Context) -> Q:
    return dossier_conditions(ctx.period)["received.new"] & Q(online_class__in=ONLINE_CLASSES)


def online_share(ctx: Context) -> Parts:
    """New dossiers of procedures offered online (the class at the dossier's date); online."""
    rows = (
        counted_dossiers(agency_ids=ctx.agency_ids, period=ctx.period)
        .filter(_online_offered(ctx))
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))
    )
    return {r["agency_id"]: (r["online"], r["n"]) for r in rows}


def _assignments(ctx: Context):
    return ProcedureAssignment.objects.filter(
        agency_id__in=ctx.agency_ids, procedure__is_active=True, procedure__one_way=False
    )


def procedures_online(ctx: Context) -> Parts:
    """Procedures in force assigned to the agency (the catalogue now); offered online."""
    rows = (
        _assignments(ctx)
        .order_by()
        .values("agency_id")
        .annotate(
            n=Count("pk"),
            online=Count("pk", filter=Q(online_class__in=ONLINE_CLASSES))
            + Count("pk", filter=Q(online_class="", procedure__online_class__in=ONLINE_CLASSES)),
        )
    )
    return {r["agency_id"]: (r["online"], r["n"]) for r in rows}


def _posted_on_time() -> Exists:
    return Exists(
        Posting.objects.filter(decision=OuterRef("pk"), posted_on__lte=OuterRef("effective_from"))
    )


def _decisions(ctx: Context):
    return PublicationDecision.objects.filter(
        agency_id__in=ctx.agency_ids,
        effective_from__gte=ctx.period.start,
        effective_from__lte=ctx.period.end,
    ).alias(on_time=_posted_on_time())


def publication_on_time(ctx: Context) -> Parts:
    """Publication decisions taking effect in the period, posted by their effective date."""
    rows = (
        _decisions(ctx)
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(on_time=True)))
    )
    return {r["agency_id"]: (r["ok"], r["n"]) for r in rows}


def petitions_on_time(ctx: Context) -> Parts:
    """Petitions answered in the period on time, among those answered in the period or still
    open past their due date at its end (stats/petitions.py)."""
    counts = petition_counts_by_agency(agency_ids=ctx.agency_ids, period=ctx.period)
    parts = {}
    for agency_id, c in counts.items():
        due = c["answered"]["total"] + c["pending"]["overdue"]
        if due:
            parts[agency_id] = (c["answered"]["on_time"], due)
    return parts


def realtime_sync(ctx: Context) -> Parts | Unavailable:
    """Dossiers with a status message to the national portal queued in the period; those whose
    every such message reached the portal within ``REALTIME_SECONDS`` (integrations.selectors)."""
    missing = unavailable("realtime_sync")
    if missing is not None:
        return missing
    return realtime_sync_by_agency(
        agency_ids=ctx.agency_ids, start=ctx.period.start_instant, end=ctx.period.end_instant
    )


MEASURES: dict[str, Callable[[Context], Parts | Unavailable]] = {
    "publication_on_time": publication_on_time,
    "resolved_on_time": resolved_on_time,
    "pending_within_time": pending_within_time,
    "procedures_online": procedures_online,
    "online_share": online_share,
    "dossier_satisfaction": dossier_satisfaction,
    "petitions_on_time": petitions_on_time,
    "realtime_sync": realtime_sync,
}


# --- drill-down: the records that lost points -------------------------------------------------


def _dossier_rows(qs, limit: int) -> tuple[int, list[dict[str, Any]]]:
    total = qs.count()
    rows = []
    for d in qs.order_by("received_at", "pk").values(
        "pk", "code", "agency_id", "procedure__code", "procedure__name", "received_at", "due_at"
    )[:limit]:
        rows.append(
            {
                "kind": "dossier",
                "id": d["pk"],
                "code": d["code"] or f"#{d['pk']}",
                "dossier_code": d["code"] or "",
                "agency_id": d["agency_id"],
                "label": f"{d['procedure__code']} {d['procedure__name']}",
                "received_at": _local(d["received_at"]),
                "due_at": _local(d["due_at"]),
            }
        )
    return total, rows


def _local(value) -> str | None:
    return None if value is None else value.astimezone(LOCAL_TZ).isoformat()


def lost_records(measure: str, ctx: Context, *, limit: int = 200) -> tuple[int, list[dict]]:
    """(how many, the first ``limit``) records that cost the criterion its points."""
    cond = dossier_conditions(ctx.period)
    dossiers = counted_dossiers(agency_ids=ctx.agency_ids, period=ctx.period)
    if measure == "resolved_on_time":
        return _dossier_rows(dossiers.filter(cond["resolved.late"]), limit)
    if measure == "pending_within_time":
        return _dossier_rows(dossiers.filter(cond["pending.overdue"]), limit)
    if measure == "dossier_satisfaction":
        qs = dossiers.alias(st_dissatisfied=_dissatisfied(ctx.period))
        return _dossier_rows(
            qs.filter(cond["resolved.total"], _satisfaction_lost(ctx.period)), limit
        )
    if measure == "online_share":
        qs = dossiers.filter(_online_offered(ctx)).exclude(channel=Channel.ONLINE)
        return _dossier_rows(qs, limit)
    if measure == "procedures_online":
        qs = _assignments(ctx).exclude(
            Q(online_class__in=ONLINE_CLASSES)
            | Q(online_class="", procedure__online_class__in=ONLINE_CLASSES)
        )
        rows = [
            {
                "kind": "procedure",
                "id": a.procedure_id,
                "code": a.procedure.code,
                "agency_id": a.agency_id,
                "label": a.procedure.name,
            }
            for a in qs.select_related("procedure").order_by("procedure__code")[:limit]
        ]
        return qs.count(), rows
    if measure == "petitions_on_time":
        return _petition_rows(ctx, limit)
    if measure == "realtime_sync":
        late = late_synced_dossier_ids(
            agency_ids=ctx.agency_ids, start=ctx.period.start_instant, end=ctx.period.end_instant
        )
        return _dossier_rows(Dossier.objects.filter(pk__in=late), limit)
    if measure == "publication_on_time":
        qs = _decisions(ctx).filter(on_time=False)
        rows = [
            {
                "kind": "decision",
                "id": d.pk,
                "code": d.number,
                "agency_id": d.agency_id,
                "label": f"{d.issued_on:%d/%m/%Y} → {d.effective_from:%d/%m/%Y}",
            }
            for d in qs.order_by("effective_from", "pk")[:limit]
        ]
        return qs.count(), rows
    raise KeyError(measure)


def sum_parts(parts: Parts, ids: Iterable[int]) -> tuple[int, int]:
    num = den = 0
    for i in ids:
        n, d = parts.get(i, (0, 0))
        num, den = num + n, den + d
    return num, den


def _petition_rows(ctx: Context, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Petitions answered late in the period, or open past their due date at its end."""
    start, end = ctx.period.start_instant, ctx.period.end_instant
    horizon = min(end, timezone.now())
    late = Q(answered_at__gte=start, answered_at__lt=end) & answered_late_q()
    overdue = (
        Q(received_at__lt=end)
        & overdue_at_q(horizon)
        & (Q(answered_at__isnull=True) | Q(answered_at__gte=end))
    )
    qs = Petition.objects.filter(agency_id__in=ctx.agency_ids).filter(late | overdue)
    rows = [
        {
            "kind": "petition",
            "id": p.pk,
            "code": p.code,
            "agency_id": p.agency_id,
            "label": p.title,
            "received_at": _local(p.received_at),
            "due_at": _local(p.due_at),
        }
        for p in qs.order_by("received_at", "pk")[:limit]
    ]
    return qs.count(), rows
