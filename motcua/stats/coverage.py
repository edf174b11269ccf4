"""Coverage of channels (statistics.md §4) without reading the period's dossiers (issue 15).

"Of the procedures registered for post / offered online at the unit, how many had such
dossiers in the period": a procedure *uses* a kind when one dossier of the unit's agencies
meets the kind's condition with the kind's instant in the period (:data:`COVERAGE_KINDS`, the
one definition). Counted live this reads every reception and delivery of the period (18 s for
a year over the 10M history on the loaded machine), so :class:`~motcua.stats.models.CoverageDay`
keeps per agency, procedure and local day how many dossiers met each kind, written by
``summary.summarise_days`` with the daily summary (same days, same stale marks: the columns
read here are among those its triggers watch for the received and delivered days). A period's
coverage asks, per registered procedure, whether a row of its fresh days exists, and counts
live the days the summary does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from motcua.catalog.models import Procedure
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.choices import Channel, DeliveryChannel
from motcua.dossiers.models import Dossier
from motcua.stats.models import CoverageDay
from motcua.stats.periods import Period

# kind -> (the instant that must lie in the period, the condition on the dossier)
COVERAGE_KINDS: dict[str, tuple[str, Q]] = {
    "postal_received": ("received_at", Q(one_way=False, channel=Channel.POSTAL)),
    "postal_delivered": ("delivered_at", Q(one_way=False, delivery_channel=DeliveryChannel.POSTAL)),
    "online_received": ("received_at", Q(one_way=False, channel=Channel.ONLINE)),
}
POSTAL = ("postal_received", "postal_delivered")
ONLINE = ("online_received",)


def _in(instant: str, period: Period) -> Q:
    return Q(**{f"{instant}__gte": period.start_instant, f"{instant}__lt": period.end_instant})


def live_procedures_used(
    *, agency_ids: Iterable[int], period: Period, kinds: Iterable[str]
) -> set[int]:
    """The procedures with a dossier of ``kinds`` in ``period``, straight from the dossiers."""
    cond = Q()
    for kind in kinds:
        instant, q = COVERAGE_KINDS[kind]
        cond |= q & _in(instant, period)
    qs = Dossier.objects.filter(agency_id__in=list(agency_ids)).filter(cond)
    return set(qs.order_by().values_list("procedure_id", flat=True).distinct())


def coverage_by_day(*, agency_ids: list[int], period: Period) -> dict[tuple, dict[str, int]]:
    """Per (agency, procedure, local day) the dossiers of each kind whose instant lies in
    ``period`` (rows with only zeros left out): what :class:`CoverageDay` stores."""
    out: dict[tuple, dict[str, int]] = {}
    instants: dict[str, list[str]] = {}
    for kind, (instant, _q) in COVERAGE_KINDS.items():
        instants.setdefault(instant, []).append(kind)
    for instant, kinds in instants.items():
        rows = (
            Dossier.objects.filter(agency_id__in=agency_ids)
            .filter(_in(instant, period))
            .annotate(coverage_day=TruncDate(instant, tzinfo=LOCAL_TZ))
            .order_by()
            .values("agency_id", "procedure_id", "coverage_day")
            .annotate(**{k: Count("pk", filter=COVERAGE_KINDS[k][1]) for k in kinds})
        )
        for row in rows:
            key = (row["agency_id"], row["procedure_id"], row["coverage_day"])
            counts = out.setdefault(key, dict.fromkeys(COVERAGE_KINDS, 0))
            for k in kinds:
                counts[k] += row[k]
    return {key: c for key, c in out.items() if any(c.values())}


def store_coverage(rows: dict[tuple, dict[str, int]]) -> None:
    CoverageDay.objects.bulk_create(
        [
            CoverageDay(agency_id=a, procedure_id=p, day=d, **counts)
            for (a, p, d), counts in rows.items()
        ],
        batch_size=2000,
    )


def procedures_used(
    *, agency_ids: Iterable[int], period: Period, kinds: Iterable[str], candidates: set[int]
) -> set[int]:
    """Which of ``candidates`` had a dossier of ``kinds`` in ``period``: the summary's fresh
    days (one index probe per procedure), live for the other days. Equal to
    :func:`live_procedures_used` ∩ ``candidates`` (tests/stats/test_summary.py)."""
    from motcua.stats.summary import _runs, fresh_days, last_complete_day, live_parts

    ids, kinds = list(agency_ids), list(kinds)
    used: set[int] = set()
    if not candidates:
        return used
    if period.end_instant < period.start_instant:
        return live_procedures_used(agency_ids=ids, period=period, kinds=kinds) & candidates
    last = last_complete_day(period)
    fresh = fresh_days(period.start, last) if last >= period.start else []
    if fresh:
        days = Q()
        for a, b in _runs(fresh):
            days |= Q(day__gte=a, day__lte=b)
        some = Q()
        for kind in kinds:
            some |= Q(**{f"{kind}__gt": 0})
        rows = CoverageDay.objects.filter(procedure_id=OuterRef("pk"), agency_id__in=ids)
        used |= set(
            Procedure.objects.filter(pk__in=sorted(candidates))
            .filter(Exists(rows.filter(days).filter(some)))
            .values_list("pk", flat=True)
        )
    for part in live_parts(period, set(fresh)):
        if candidates - used:
            used |= live_procedures_used(agency_ids=ids, period=part, kinds=kinds) & candidates
    return used
