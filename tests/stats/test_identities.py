"""Random histories: the six identities of statistics.md §2 hold for random units and periods,
and the fast grouped path equals the slow reference, counter by counter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.selectors import agency_children_map, agency_subtree_ids
from motcua.stats.assembly import build_report
from motcua.stats.counters import (
    ALL_COUNTERS,
    counts_by_agency,
    counts_by_agency_periods,
    sum_counts,
)
from motcua.stats.identities import check_identities, get, identity_problems
from motcua.stats.periods import Period
from tests.stats.helpers import Spec, Wait, agency, at, build, procedure, rate
from tests.stats.reference import load, reference_counts

pytestmark = pytest.mark.django_db

BASE = at(2025, 1, 1, 0)
DAYS = 90
OUTCOMES = ["", "resolved", "resolved", "refused", "withdrawn", "stopped"]


@pytest.fixture
def tree():
    """province → two agencies → (two departments under the first)."""
    root = agency("P", name="Tỉnh")
    a = agency("A", parent=root)
    b = agency("B", parent=root)
    a1 = agency("A1", parent=a, level="department")
    a2 = agency("A2", parent=a, level="department")
    return [root, a, b, a1, a2], procedure()


minutes = st.integers(min_value=0, max_value=DAYS * 24 * 60)
spans = st.integers(min_value=0, max_value=40 * 24 * 60)


def instant(m: int) -> dt.datetime:
    return BASE + dt.timedelta(minutes=m)


@st.composite
def history(draw, n_agencies: int):
    received = draw(minutes)
    closed_after = draw(st.none() | spans)
    outcome = draw(st.sampled_from(OUTCOMES)) if closed_after is not None else ""
    if not outcome:
        closed_after = None
    waits = []
    t = received
    for _ in range(draw(st.integers(0, 2))):
        t += draw(spans)
        back = draw(st.none() | spans)
        due_shift = draw(st.integers(-10 * 24 * 60, 10 * 24 * 60))
        waits.append(
            Wait(
                instant(t),
                None if back is None else instant(t + back),
                instant(t + due_shift),
                instant(t + due_shift + draw(spans)),
            )
        )
        if back is None:
            break
        t += back
    delivered = draw(st.none() | spans) if outcome == "resolved" else None
    return {
        "agency": draw(st.integers(0, n_agencies - 1)),
        "received": draw(st.none() | st.just(received)) if draw(st.booleans()) else received,
        "due": draw(st.none() | st.integers(-5 * 24 * 60, 30 * 24 * 60)),
        "outcome": outcome,
        "closed_after": closed_after,
        "channel": draw(st.sampled_from(["direct", "online", "postal"])),
        "online_class": draw(st.sampled_from(["none", "level3", "level4", "partial", "full"])),
        "one_way": draw(st.booleans()) and draw(st.booleans()),
        "delivered_after": delivered,
        "delivery_channel": draw(st.sampled_from(["counter", "postal", "online"])),
        "waits": waits,
    }


@st.composite
def periods(draw):
    start = draw(st.integers(0, DAYS))
    length = draw(st.integers(1, 45))
    s = BASE.date() + dt.timedelta(days=start)
    return Period(s, s + dt.timedelta(days=length - 1))


def make(agencies, proc, rows, ratings):
    specs = []
    for r in rows:
        received = r["received"]
        rec = None if received is None else instant(received)
        closed = None
        if rec is not None and r["closed_after"] is not None:
            closed = rec + dt.timedelta(minutes=r["closed_after"])
        specs.append(
            Spec(
                agencies[r["agency"]],
                proc,
                rec,
                None if rec is None or r["due"] is None else rec + dt.timedelta(minutes=r["due"]),
                r["outcome"] if closed else "",
                closed,
                channel=r["channel"],
                online_class=r["online_class"],
                one_way=r["one_way"],
                delivered_at=None
                if closed is None or r["delivered_after"] is None
                else closed + dt.timedelta(minutes=r["delivered_after"]),
                delivery_channel=r["delivery_channel"] if r["delivered_after"] is not None else "",
                waits=r["waits"] if rec is not None else [],
            )
        )
    build(specs)
    for i, value, m in ratings:
        rate(agencies[i], value, instant(m))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    rows=st.lists(history(5), max_size=25),
    ratings=st.lists(
        st.tuples(
            st.integers(0, 4),
            st.sampled_from(["very_satisfied", "satisfied", "dissatisfied"]),
            minutes,
        ),
        max_size=5,
    ),
)
def test_identities_and_reference(tree, data, rows, ratings):
    agencies, proc = tree
    with transaction.atomic():
        make(agencies, proc, rows, ratings)
        period = data.draw(periods())
        after = Period(
            period.next_start(),
            period.next_start() + dt.timedelta(days=data.draw(st.integers(0, 30))),
        )
        children = agency_children_map()
        own = counts_by_agency(agency_ids=None, period=period)
        own_next = counts_by_agency(agency_ids=None, period=after)
        # two periods in one scan give the same counters as one query per period
        both = counts_by_agency_periods(agency_ids=None, periods=[period, after])
        for single, multi in zip((own, own_next), both, strict=True):
            for agency_id in set(single) | set(multi):
                assert sum_counts([single.get(agency_id, {})]) == sum_counts(
                    [multi.get(agency_id, {})]
                )
        ref_data = load()
        for unit in agencies:
            ids = agency_subtree_ids(roots=[unit.pk], children=children)
            c = sum_counts(own[i] for i in ids if i in own)
            assert identity_problems(c) == []  # identities 1–4
            nxt = sum_counts(own_next[i] for i in ids if i in own_next)
            assert c["pending.total"] == nxt["received.carried_over"]  # identity 5
            kids = children.get(unit.pk, [])
            if kids:  # identity 6
                parts = [own.get(unit.pk, {})] + [
                    sum_counts(
                        own[i] for i in agency_subtree_ids(roots=[k], children=children) if i in own
                    )
                    for k in kids
                ]
                assert sum_counts(parts) == c
            ref = reference_counts(ref_data, ids, period.start, period.end)
            for key in ALL_COUNTERS:
                assert c[key] == ref.get(key, 0), (unit.code, key)
        unit = data.draw(st.sampled_from(agencies))
        report = build_report(unit=unit, period=period, children=True, compare=False)
        assert check_identities(report) == []
        # Every dossier has one procedure, so one field: the per-field rows add up to the unit.
        for key in ALL_COUNTERS:
            if key.startswith("ratings."):
                continue  # ratings are given per agency, not per field
            assert sum(get(row, key) for row in report["by_field"]) == get(report, key), key
        transaction.set_rollback(True)
