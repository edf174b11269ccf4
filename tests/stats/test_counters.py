"""Each counter of statistics.md §1 on small histories, edge by edge; each case is also
checked against the slow reference."""

from __future__ import annotations

import pytest

from motcua.stats.counters import ALL_COUNTERS, counts_by_agency, sum_counts
from motcua.stats.periods import date_range
from tests.stats.helpers import Spec, Wait, agency, at, build, procedure, rate
from tests.stats.reference import load, reference_counts

pytestmark = pytest.mark.django_db

MARCH = date_range("2025-03-01", "2025-03-31")


@pytest.fixture
def unit():
    return agency("000.00.01.H98")


@pytest.fixture
def proc():
    return procedure()


def counts(unit, period=MARCH):
    own = counts_by_agency(agency_ids={unit.pk}, period=period)
    got = sum_counts(own.values())
    ref = reference_counts(load(), {unit.pk}, period.start, period.end)
    for key in ALL_COUNTERS:
        assert got[key] == ref.get(key, 0), key
    return got


def nonzero(c):
    return {k: v for k, v in c.items() if v}


def test_nothing_counts_zero(unit):
    assert nonzero(counts(unit)) == {}


def test_carried_over_is_received_before_and_not_closed_before_start(unit, proc):
    build(
        [
            Spec(unit, proc, at(2025, 2, 20, 9)),  # still open
            Spec(
                unit,
                proc,
                at(2025, 2, 20, 9),
                at(2025, 2, 27, 17),
                "resolved",
                at(2025, 2, 28, 23, 59),
            ),
            Spec(
                unit, proc, at(2025, 2, 20, 9), at(2025, 3, 5, 17), "resolved", at(2025, 3, 1, 0, 0)
            ),
        ]
    )
    c = counts(unit)
    assert c["received.carried_over"] == 2
    assert c["received.new"] == 0
    assert c["received.total"] == 2
    assert c["resolved.total"] == 1
    assert c["pending.total"] == 1


def test_new_counts_local_days_both_included(unit, proc):
    build(
        [
            Spec(unit, proc, at(2025, 3, 1, 0, 0), channel="direct"),
            Spec(unit, proc, at(2025, 3, 31, 23, 59), channel="postal"),
            Spec(unit, proc, at(2025, 4, 1, 0, 0)),  # after the period
            Spec(unit, proc, at(2025, 2, 28, 23, 59)),  # before: carried over
            Spec(unit, proc, None, channel="online"),  # submitted, never received
        ]
    )
    c = counts(unit)
    assert (c["received.new"], c["received.carried_over"]) == (2, 1)
    assert (c["received.by_channel.direct"], c["received.by_channel.postal"]) == (1, 1)
    assert c["pending.total"] == 3


def test_online_split_by_class(unit, proc):
    build(
        [
            Spec(unit, proc, at(2025, 3, 2, 9), channel="online", online_class=k)
            for k in ("level3", "level4", "partial", "full", "full", "level2")
        ]
    )
    c = counts(unit)
    assert c["received.by_channel.online"] == 6
    assert [
        c[f"received.online_by_class.{k}"] for k in ("level3", "level4", "partial", "full")
    ] == [1, 1, 1, 2]


def test_early_on_time_late_compare_local_dates(unit, proc):
    due = at(2025, 3, 10, 17)
    build(
        [
            Spec(unit, proc, at(2025, 3, 3, 9), due, "resolved", at(2025, 3, 9, 16)),  # early
            # after the due instant but on the due date: on time
            Spec(unit, proc, at(2025, 3, 3, 9), due, "resolved", at(2025, 3, 10, 23, 30)),
            # 06:00 on the 11th local is still the 10th in UTC: late all the same
            Spec(unit, proc, at(2025, 3, 3, 9), due, "resolved", at(2025, 3, 11, 6, 0)),
            Spec(
                unit, proc, at(2025, 3, 3, 9), None, "resolved", at(2025, 3, 20, 9)
            ),  # no due: on time
        ]
    )
    c = counts(unit)
    assert (c["resolved.early"], c["resolved.on_time"], c["resolved.late"]) == (1, 2, 1)
    assert c["due"] == 4


def test_other_closings(unit, proc):
    build(
        [
            Spec(unit, proc, at(2025, 3, 3, 9), None, outcome, at(2025, 3, 4, 9))
            for outcome in ("refused", "withdrawn", "withdrawn", "stopped")
        ]
    )
    c = counts(unit)
    assert (c["refused"], c["withdrawn"], c["stopped"], c["resolved.total"]) == (1, 2, 1, 0)
    assert c["received.total"] == 4 and c["pending.total"] == 0


def test_overdue_when_due_instant_passed_at_the_end(unit, proc):
    build(
        [
            Spec(unit, proc, at(2025, 3, 20, 9), at(2025, 3, 31, 17)),  # overdue
            Spec(unit, proc, at(2025, 3, 20, 9), at(2025, 4, 1, 8)),  # not due yet
            Spec(unit, proc, at(2025, 3, 20, 9), None),  # no due date: not due
            # closed after the end: pending at the end, and overdue then
            Spec(
                unit, proc, at(2025, 3, 20, 9), at(2025, 3, 25, 17), "resolved", at(2025, 4, 2, 9)
            ),
        ]
    )
    c = counts(unit)
    assert (c["pending.total"], c["pending.overdue"], c["pending.not_due"]) == (4, 2, 2)
    assert c["due"] == 2


def test_awaiting_supplement_is_not_due_unless_late_before_the_stop(unit, proc):
    build(
        [
            # clock stopped on the 20th with 5 days left: not due though due_at has passed
            Spec(
                unit,
                proc,
                at(2025, 3, 10, 9),
                at(2025, 3, 25, 17),
                waits=[Wait(at(2025, 3, 20, 9), None, at(2025, 3, 25, 17))],
            ),
            # already late when the clock stopped: overdue
            Spec(
                unit,
                proc,
                at(2025, 3, 1, 9),
                at(2025, 3, 15, 17),
                waits=[Wait(at(2025, 3, 20, 9), None, at(2025, 3, 15, 17))],
            ),
            # supplement arrived after the end: stopped at the end all the same
            Spec(
                unit,
                proc,
                at(2025, 3, 10, 9),
                at(2025, 4, 20, 17),
                waits=[
                    Wait(
                        at(2025, 3, 28, 9),
                        at(2025, 4, 3, 9),
                        at(2025, 4, 2, 17),
                        at(2025, 4, 20, 17),
                    )
                ],
            ),
        ]
    )
    c = counts(unit)
    assert c["pending.awaiting_supplement"] == 3
    assert (c["pending.not_due"], c["pending.overdue"]) == (2, 1)


def test_due_in_force_at_the_end_ignores_later_extensions(unit, proc):
    build(
        [
            # due on 28 March, late at the end of March; a supplement asked in April moved due_at
            Spec(
                unit,
                proc,
                at(2025, 3, 10, 9),
                at(2025, 4, 30, 17),
                waits=[
                    Wait(
                        at(2025, 4, 5, 9),
                        at(2025, 4, 10, 9),
                        at(2025, 3, 28, 17),
                        at(2025, 4, 30, 17),
                    )
                ],
            ),
            # a wait finished within the period: the due date after it counts
            Spec(
                unit,
                proc,
                at(2025, 3, 10, 9),
                at(2025, 4, 10, 17),
                waits=[
                    Wait(
                        at(2025, 3, 12, 9),
                        at(2025, 3, 20, 9),
                        at(2025, 3, 24, 17),
                        at(2025, 4, 10, 17),
                    )
                ],
            ),
        ]
    )
    c = counts(unit)
    assert (c["pending.overdue"], c["pending.not_due"], c["pending.awaiting_supplement"]) == (
        1,
        1,
        0,
    )


def test_one_way_is_counted_apart(unit, proc):
    build(
        [
            Spec(
                unit,
                proc,
                at(2025, 3, 10, 9),
                None,
                "filed",
                at(2025, 3, 10, 9, 5),
                channel="online",
                one_way=True,
            ),
            Spec(
                unit, proc, at(2025, 3, 11, 9), None, "filed", at(2025, 3, 11, 9, 5), one_way=True
            ),
            Spec(unit, proc, at(2025, 3, 12, 9), None, "", None, one_way=True),
        ]
    )
    c = counts(unit)
    assert (c["one_way.total"], c["one_way.online"]) == (3, 1)
    assert c["received.new"] == 0 and c["pending.total"] == 0 and c["received.total"] == 0


def test_delivered_whenever_resolved(unit, proc):
    build(
        [
            Spec(
                unit,
                proc,
                at(2025, 2, 3, 9),
                at(2025, 2, 10, 17),
                "resolved",
                at(2025, 2, 10, 9),
                delivered_at=at(2025, 3, 3, 9),
                delivery_channel="postal",
            ),
            Spec(
                unit,
                proc,
                at(2025, 3, 3, 9),
                at(2025, 3, 10, 17),
                "resolved",
                at(2025, 3, 10, 9),
                delivered_at=at(2025, 3, 11, 9),
                delivery_channel="counter",
            ),
            Spec(
                unit,
                proc,
                at(2025, 3, 3, 9),
                at(2025, 3, 10, 17),
                "resolved",
                at(2025, 3, 10, 9),
                delivered_at=at(2025, 4, 1, 9),
                delivery_channel="postal",
            ),
        ]
    )
    c = counts(unit)
    assert (c["delivered.total"], c["delivered.postal"]) == (2, 1)
    assert c["resolved.total"] == 2


def test_ratings_within_the_period(unit):
    rate(unit, "very_satisfied", at(2025, 3, 1, 0), 3)
    rate(unit, "satisfied", at(2025, 3, 31, 23, 59))
    rate(unit, "dissatisfied", at(2025, 4, 1, 0))
    c = counts(unit)
    assert (c["ratings.very_satisfied"], c["ratings.satisfied"], c["ratings.dissatisfied"]) == (
        3,
        1,
        0,
    )


def test_other_agencies_are_not_counted(unit, proc):
    other = agency("000.00.02.H98")
    build([Spec(other, proc, at(2025, 3, 3, 9))])
    assert nonzero(counts(unit)) == {}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # no test transaction around it: SET LOCAL must end
def test_statistics_queries_plan_for_the_period_without_jit():
    """Reports never run on a generic prepared plan (decisions.md #12) nor pay for JIT."""
    from django.db import connection

    from motcua.stats.counters import statistics_queries

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    with statistics_queries(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode'), current_setting('jit')")
        assert cursor.fetchone() == ("force_custom_plan", "off")
    with connection.cursor() as cursor:  # SET LOCAL: gone with the transaction
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        assert cursor.fetchone() == ("auto",)
