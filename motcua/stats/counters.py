"""The one definition of every counter of statistics.md §1.

Each counter is a condition (a ``Q``) on a dossier, for one period ``[start, end]`` of local
dates, evaluated as the half-open instant range ``[start 00:00, end + 1 day 00:00)`` local time.
One grouped query counts them all per handling agency; a unit's figures are the sums over its
subtree (:func:`sum_subtree`), so identity 6 holds by construction.

Definitions, with the choices the spec leaves open:

* One-way dossiers (``one_way``) are left out of every counter and counted apart
  (``one_way.total`` / ``one_way.online``, by reception in the period). So are dossiers never
  received (``received_at`` empty: online submissions refused at pre-check).
* "Closed" = ``closed_at`` set (outcome resolved, refused, withdrawn or stopped).
* ``resolved.early/on_time/late`` are ``dossiers.deadlines.resolved_deadline_q``: the *local
  dates* of ``closed_at`` and ``due_at`` (the legal due date, never an apology's new date)
  compared; a resolved dossier without a due date is on time.
* Pending at the end of the period: received before ``end_excl`` and not closed before it.
  Its clock is *stopped* when a supplement wait is open at ``end_excl`` (requested before, not
  yet received at that instant): it counts in ``awaiting_supplement`` and in ``not_due``, unless
  the due date had already passed when the clock stopped (``due_before < requested_at``), then in
  ``overdue``. Otherwise the due instant in force at ``end_excl`` is compared with ``end_excl``:
  that is ``due_before`` of the first wait requested at or after ``end_excl`` when there is one
  (later waits moved ``due_at`` since), else ``due_at``. A pending dossier without a due date is
  not due.
* ``delivered``: results handed over within the period (``delivered_at``), whenever resolved.
* ``ratings``: ratings of the unit's agencies given within the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.choices import Channel, DeadlineStatus, DeliveryChannel, Outcome, RatingValue
from motcua.dossiers.deadlines import deadline_day_aliases, resolved_deadline_q
from motcua.dossiers.models import Dossier, Rating, SupplementWait
from motcua.stats.periods import Period

# Counted straight from dossiers, in report order.
DOSSIER_COUNTERS: tuple[str, ...] = (
    "received.carried_over",
    "received.new",
    "received.by_channel.direct",
    "received.by_channel.online",
    "received.by_channel.postal",
    "received.online_by_class.level3",
    "received.online_by_class.level4",
    "received.online_by_class.partial",
    "received.online_by_class.full",
    "resolved.total",
    "resolved.early",
    "resolved.on_time",
    "resolved.late",
    "refused",
    "withdrawn",
    "stopped",
    "pending.total",
    "pending.not_due",
    "pending.overdue",
    "pending.awaiting_supplement",
    "delivered.total",
    "delivered.postal",
    "one_way.total",
    "one_way.online",
)
RATING_COUNTERS: tuple[str, ...] = (
    "ratings.very_satisfied",
    "ratings.satisfied",
    "ratings.dissatisfied",
)
# Sums of other counters (statistics.md §1).
DERIVED_COUNTERS: dict[str, tuple[str, ...]] = {
    "received.total": ("received.carried_over", "received.new"),
    "due": ("resolved.total", "pending.overdue"),
}
ALL_COUNTERS: tuple[str, ...] = DOSSIER_COUNTERS + RATING_COUNTERS + tuple(DERIVED_COUNTERS)

# Stocks are measured at an instant (carried over at the start, pending at the end); every other
# dossier counter is a *flow*: a condition on the dossier and one instant of it within the
# period, so a period's flow is the sum of its days' (stats/summary.py relies on this).
STOCK_COUNTERS: tuple[str, ...] = (
    "received.carried_over",
    "pending.total",
    "pending.not_due",
    "pending.overdue",
    "pending.awaiting_supplement",
)
FLOW_COUNTERS: tuple[str, ...] = tuple(k for k in DOSSIER_COUNTERS if k not in STOCK_COUNTERS)
# The stock moves: ``N(X)`` = dossiers counted as carried over at instant X (received before X,
# not closed before X). A dossier enters when received and leaves when closed, but only if it
# is ever in the stock (closed strictly after its reception, or not closed), so
# ``N(Y) - N(X) = moves.in - moves.out`` over ``[X, Y)`` for any data; carried over at a
# period's start is then pending at its end minus the period's moves (stats/summary.py).
MOVE_COUNTERS: tuple[str, ...] = ("moves.in", "moves.out")
# The instant whose presence in the period makes each flow (and move) count.
FLOW_INSTANTS: dict[str, tuple[str, ...]] = {
    "received_at": tuple(k for k in FLOW_COUNTERS if k.startswith(("received.", "one_way.")))
    + ("moves.in",),
    "closed_at": ("resolved.total", "resolved.early", "resolved.on_time", "resolved.late")
    + ("refused", "withdrawn", "stopped", "moves.out"),
    "delivered_at": ("delivered.total", "delivered.postal"),
}

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=LOCAL_TZ)

Counts = dict[str, int]


@contextmanager
def statistics_queries() -> Iterator[None]:
    """One transaction for a report's queries, without PostgreSQL's JIT: the counter queries
    look expensive to the planner (conditional aggregates, sub-plans) and compiling them costs
    far more than running them (≈ 0.7 s measured against ≈ 0.05 s).

    Plans are always made for the period at hand (``plan_cache_mode``): the connection prepares
    statements it runs repeatedly (decisions.md #12), and a generic plan made without the
    period's dates could not narrow the scan with the (agency, date) indexes."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(  # SET LOCAL, both in one statement
                    "SELECT set_config('jit', 'off', true), "
                    "set_config('plan_cache_mode', 'force_custom_plan', true)"
                )
        yield


def _alias(key: str) -> str:
    return "c_" + key.replace(".", "__")


def dossier_aliases(period: Period, prefix: str = "st_") -> dict:
    """Per-dossier helper expressions the conditions below refer to (those that depend on the
    period's end are named with ``prefix``, so that several periods can share one query)."""
    end = period.end_instant
    open_wait = SupplementWait.objects.filter(dossier=OuterRef("pk"), requested_at__lt=end).filter(
        Q(received_at__isnull=True) | Q(received_at__gte=end)
    )
    next_wait = SupplementWait.objects.filter(
        dossier=OuterRef("pk"), requested_at__gte=end
    ).order_by("requested_at", "pk")
    return {
        **deadline_day_aliases(),
        f"{prefix}waiting": Exists(open_wait),
        f"{prefix}waiting_late": Exists(open_wait.filter(due_before__lt=F("requested_at"))),
        # the sub-query runs only for dossiers with a wait after the end (the EXISTS is hashed)
        f"{prefix}due_at_end": Coalesce(
            Case(
                When(Exists(next_wait), then=Subquery(next_wait.values("due_before")[:1])),
                default=F("due_at"),
            ),
            "due_at",
            Value(FAR_FUTURE),
        ),
    }


def dossier_conditions(period: Period, prefix: str = "st_") -> dict[str, Q]:
    """Every dossier counter as a condition on one dossier (see the module docstring)."""
    start, end = period.start_instant, period.end_instant
    w, late, due = f"{prefix}waiting", f"{prefix}waiting_late", f"{prefix}due_at_end"
    counted = Q(one_way=False, received_at__isnull=False)
    received_new = counted & Q(received_at__gte=start, received_at__lt=end)
    closed_in = counted & Q(closed_at__gte=start, closed_at__lt=end)
    resolved = closed_in & Q(outcome=Outcome.RESOLVED)
    pending = counted & Q(received_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    overdue = pending & (Q(**{w: True, late: True}) | Q(**{w: False, f"{due}__lt": end}))
    not_due = pending & (Q(**{w: True, late: False}) | Q(**{w: False, f"{due}__gte": end}))
    delivered = Q(one_way=False, delivered_at__gte=start, delivered_at__lt=end)
    one_way = Q(one_way=True, received_at__gte=start, received_at__lt=end)
    conditions = {
        "received.carried_over": counted
        & Q(received_at__lt=start)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
        "received.new": received_new,
        "resolved.total": resolved,
        "resolved.early": resolved & resolved_deadline_q(DeadlineStatus.EARLY),
        "resolved.on_time": resolved & resolved_deadline_q(DeadlineStatus.ON_TIME),
        "resolved.late": resolved & resolved_deadline_q(DeadlineStatus.LATE),
        "refused": closed_in & Q(outcome=Outcome.REFUSED),
        "withdrawn": closed_in & Q(outcome=Outcome.WITHDRAWN),
        "stopped": closed_in & Q(outcome=Outcome.STOPPED),
        "pending.total": pending,
        "pending.not_due": not_due,
        "pending.overdue": overdue,
        "pending.awaiting_supplement": pending & Q(**{w: True}),
        "delivered.total": delivered,
        "delivered.postal": delivered & Q(delivery_channel=DeliveryChannel.POSTAL),
        "one_way.total": one_way,
        "one_way.online": one_way & Q(channel=Channel.ONLINE),
    }
    for channel in ("direct", "online", "postal"):
        conditions[f"received.by_channel.{channel}"] = received_new & Q(channel=channel)
    for klass in ("level3", "level4", "partial", "full"):
        conditions[f"received.online_by_class.{klass}"] = received_new & Q(
            channel=Channel.ONLINE, online_class=klass
        )
    return conditions


def move_conditions(period: Period) -> dict[str, Q]:
    """The stock moves of :data:`MOVE_COUNTERS` within ``period`` (see there)."""
    start, end = period.start_instant, period.end_instant
    counted = Q(one_way=False, received_at__isnull=False)
    ever_in = Q(closed_at__isnull=True) | Q(closed_at__gt=F("received_at"))
    return {
        "moves.in": counted & Q(received_at__gte=start, received_at__lt=end) & ever_in,
        "moves.out": counted
        & Q(closed_at__gte=start, closed_at__lt=end, closed_at__gt=F("received_at")),
    }


def dossier_scope(period: Period) -> Q:
    """The dossiers any counter may count: received before the end and open or closed since
    the start, or delivered within the period. Narrowing to it first keeps the scan small; it
    is a flat OR so that each arm can use an index on ``(agency, closed_at | delivered_at)``."""
    start, end = period.start_instant, period.end_instant
    return (
        Q(closed_at__isnull=True, received_at__lt=end)
        | Q(closed_at__gte=start, received_at__lt=end)
        | Q(delivered_at__gte=start, delivered_at__lt=end)
    )


def counted_dossiers(*, agency_ids: Iterable[int] | None, period: Period):
    """The dossiers in scope with the helper expressions of :func:`dossier_conditions`."""
    qs = Dossier.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs.filter(dossier_scope(period)).alias(**dossier_aliases(period))


def counts_by_agency(*, agency_ids: Iterable[int] | None, period: Period) -> dict[int, Counts]:
    """Every counter of §1 (derived ones included) for each agency's *own* dossiers."""
    return counts_by_agency_periods(agency_ids=agency_ids, periods=[period])[0]


def counts_by_field(*, agency_ids: Iterable[int] | None, period: Period) -> dict[int, Counts]:
    """The dossier counters of §1 per field (lĩnh vực) of the procedure, for Biểu số 06.

    Ratings are given per agency, not per field, so they are 0 here."""
    return counts_by_agency_periods(
        agency_ids=agency_ids, periods=[period], group_by="procedure__field_id", ratings=False
    )[0]


def counts_by_agency_periods(
    *,
    agency_ids: Iterable[int] | None,
    periods: list[Period],
    group_by: str = "agency_id",
    ratings: bool = True,
) -> list[dict[int, Counts]]:
    """:func:`counts_by_agency` for several periods: the one entry every report goes through.

    By agency or by field, the flows come from the daily summary where its days are fresh
    (``stats/summary.py``; ``MOTCUA_STATS_SUMMARY = False`` turns it off) and the stocks are
    counted live; any other grouping is :func:`live_counts_by_agency_periods`. Both give the
    same counts (tests/stats/test_summary.py)."""
    from django.conf import settings

    from motcua.stats.summary import SUMMARY_GROUPS, summarised_counts

    if group_by in SUMMARY_GROUPS and getattr(settings, "MOTCUA_STATS_SUMMARY", True):
        ids = None if agency_ids is None else list(agency_ids)
        return [
            summarised_counts(agency_ids=ids, period=p, group_by=group_by, ratings=ratings)
            for p in periods
        ]
    return live_counts_by_agency_periods(
        agency_ids=agency_ids, periods=periods, group_by=group_by, ratings=ratings
    )


def live_counts_by_agency_periods(
    *,
    agency_ids: Iterable[int] | None,
    periods: list[Period],
    group_by: str = "agency_id",
    ratings: bool = True,
) -> list[dict[int, Counts]]:
    """Every counter straight from the dossiers, for several periods in one grouped query
    (one scan): the plain definition the daily summary is checked against.

    ``group_by`` names another grouping of the same counters (e.g. the procedure's field)."""
    qs = Dossier.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    scope = Q()
    aggregates = {}
    for i, period in enumerate(periods):
        prefix = f"st{i}_"
        scope |= dossier_scope(period)
        qs = qs.alias(**dossier_aliases(period, prefix))
        conditions = dossier_conditions(period, prefix)
        for key in DOSSIER_COUNTERS:
            aggregates[f"p{i}_{_alias(key)}"] = Count("pk", filter=conditions[key])
    results: list[dict[int, Counts]] = [{} for _ in periods]
    with statistics_queries():
        rows = list(qs.filter(scope).order_by().values(group_by).annotate(**aggregates))
        rated = [
            ratings_by_agency(agency_ids=agency_ids, period=p) if ratings else {} for p in periods
        ]
    for row in rows:
        for i, result in enumerate(results):
            counts = {k: row[f"p{i}_{_alias(k)}"] for k in DOSSIER_COUNTERS}
            if any(counts.values()):
                result[row[group_by]] = counts
    for result, by_agency in zip(results, rated, strict=True):
        for agency_id, counts in by_agency.items():
            result.setdefault(agency_id, empty_counts(derived=False)).update(counts)
        for counts in result.values():
            for key in RATING_COUNTERS:
                counts.setdefault(key, 0)
            add_derived(counts)
    return results


def _rating_value_counts() -> dict[str, Count]:
    return {
        _alias(k): Count("pk", filter=Q(value=k.split(".")[1]))
        for k in RATING_COUNTERS
        if k.split(".")[1] in RatingValue.values
    }


def ratings_by_agency(*, agency_ids: Iterable[int] | None, period: Period) -> dict[int, Counts]:
    qs = Rating.objects.filter(at__gte=period.start_instant, at__lt=period.end_instant)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    rows = qs.order_by().values("agency_id").annotate(**_rating_value_counts())
    return {r["agency_id"]: {k: r[_alias(k)] for k in RATING_COUNTERS} for r in rows}


def ratings_by_official(*, agency_ids: Iterable[int] | None, period: Period) -> dict[int, Counts]:
    """The ``ratings.*`` counters per official (user id): the ratings given within the period
    to dossiers of the agencies that the official handled (``Rating.officials``)."""
    qs = Rating.objects.filter(at__gte=period.start_instant, at__lt=period.end_instant)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    rows = (
        qs.filter(official_links__isnull=False)
        .order_by()
        .values("official_links__official_id")
        .annotate(**_rating_value_counts())
    )
    return {
        r["official_links__official_id"]: {k: r[_alias(k)] for k in RATING_COUNTERS} for r in rows
    }


def empty_counts(*, derived: bool = True) -> Counts:
    keys = ALL_COUNTERS if derived else DOSSIER_COUNTERS + RATING_COUNTERS
    return dict.fromkeys(keys, 0)


def add_derived(counts: Counts, *, only: str | None = None) -> Counts:
    """Set the sums of ``DERIVED_COUNTERS`` (or only the one named ``only``) from their parts."""
    for key, parts in DERIVED_COUNTERS.items():
        if only is None or key == only:
            counts[key] = sum(counts[p] for p in parts)
    return counts


def sum_counts(parts: Iterable[Mapping[str, int]]) -> Counts:
    total = empty_counts()
    for part in parts:
        for key in ALL_COUNTERS:
            total[key] += part.get(key, 0)
    return total


def sum_subtree(
    *, root: int, children: Mapping[int | None, list[int]], own: Mapping[int, Counts]
) -> Counts:
    """A unit's counters: its own dossiers' plus every descendant's (identity 6)."""
    from motcua.catalog.selectors import agency_subtree_ids

    ids = agency_subtree_ids(roots=[root], children=dict(children))
    return sum_counts(own[i] for i in ids if i in own)
