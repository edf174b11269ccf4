"""The daily summary (stats/summary.py) against the plain live counters: random histories,
random summarised and stale days, random periods (finished or counted up to an instant), by
agency and by field; and the command: equal to a recount, idempotent, stale days redone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from motcua.dossiers.models import Apology, Dossier, SupplementWait
from motcua.stats.counters import (
    counts_by_agency_periods,
    live_counts_by_agency_periods,
    sum_counts,
)
from motcua.stats.models import SUMMARY_KEYS, DailySummary, SummaryDay, field_name
from motcua.stats.periods import Period
from motcua.stats.summary import flow_counts, summarise
from tests.stats.helpers import Spec, at, build
from tests.stats.test_identities import BASE, DAYS, history, instant, make, minutes, tree  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = (BASE + dt.timedelta(days=DAYS + 60)).date()


def same(a: dict, b: dict) -> None:
    for key in set(a) | set(b):
        x, y = sum_counts([a.get(key, {})]), sum_counts([b.get(key, {})])
        assert x == y, (key, {k: (x[k], y[k]) for k in x if x[k] != y[k]})


def check_equal(periods: list[Period]) -> None:
    for group_by, ratings in (("agency_id", True), ("procedure__field_id", False)):
        kw = {"agency_ids": None, "periods": periods, "group_by": group_by, "ratings": ratings}
        for fast, plain in zip(
            counts_by_agency_periods(**kw), live_counts_by_agency_periods(**kw), strict=True
        ):
            same(fast, plain)


def check_coverage(period: Period) -> None:
    """The coverage of channels through the summary equals the live one (stats/coverage.py)."""
    from motcua.catalog.models import Agency, Procedure
    from motcua.stats.coverage import COVERAGE_KINDS, live_procedures_used, procedures_used

    everyone = set(Procedure.objects.values_list("pk", flat=True))
    for ids in (set(Agency.objects.values_list("pk", flat=True)), {Agency.objects.first().pk}):
        for kinds in (
            ("postal_received", "postal_delivered"),
            ("online_received",),
            COVERAGE_KINDS,
        ):
            live = live_procedures_used(agency_ids=ids, period=period, kinds=kinds)
            assert live <= everyone
            fast = procedures_used(agency_ids=ids, period=period, kinds=kinds, candidates=everyone)
            assert fast == live, (period, kinds)


@st.composite
def any_period(draw):
    start = BASE.date() + dt.timedelta(days=draw(st.integers(-5, DAYS + 5)))
    period = Period(start, start + dt.timedelta(days=draw(st.integers(0, 60))))
    if draw(st.booleans()):  # counted up to an instant inside it (or before it starts)
        return period.counted_until(instant(draw(minutes)))
    return period


@settings(
    # no shrinking: a failing example prints its draws (periods, changes) as found; shrinking
    # one took more than five minutes on the shared machine
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    max_examples=50,
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
        max_size=4,
    ),
)
def test_summary_equals_live_counts(tree, data, rows, ratings):  # noqa: F811
    agencies, proc = tree
    with transaction.atomic():
        make(agencies, proc, rows, ratings)
        lo = data.draw(st.integers(-3, DAYS))
        hi = data.draw(st.integers(lo, DAYS + 40))
        summarise(
            since=BASE.date() + dt.timedelta(days=lo),
            until=BASE.date() + dt.timedelta(days=hi),
            today=TODAY,
            stock_every_day=data.draw(st.booleans()),  # else the period ends and the last day
        )
        # changes after the summary: backdated closes, moved receptions, deletions, transfers
        ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
        for _ in range(data.draw(st.integers(0, 3))):
            if not ids:
                break
            dossier = Dossier.objects.get(pk=data.draw(st.sampled_from(ids)))
            change = data.draw(
                st.sampled_from(
                    ["close", "reopen", "move", "agency", "delete", "due", "wait", "resume"]
                )
            )
            if change == "delete":
                ids.remove(dossier.pk)
                SupplementWait.objects.filter(dossier=dossier).delete()
                Apology.objects.filter(dossier=dossier).delete()
                dossier.delete()
                continue
            if change == "close" and dossier.received_at and dossier.closed_at is None:
                dossier.closed_at = dossier.received_at + dt.timedelta(
                    hours=data.draw(st.integers(0, 500))
                )
                dossier.outcome = data.draw(st.sampled_from(["resolved", "refused", "stopped"]))
            elif change == "reopen" and dossier.closed_at is not None:
                dossier.closed_at, dossier.outcome = None, ""
                dossier.delivered_at, dossier.delivery_channel = None, ""
            elif change == "move" and dossier.received_at and dossier.closed_at is None:
                dossier.received_at -= dt.timedelta(hours=data.draw(st.integers(1, 200)))
            elif change == "agency":
                dossier.agency = data.draw(st.sampled_from(agencies))
            elif change == "due" and dossier.received_at:
                dossier.due_at = dossier.received_at + dt.timedelta(
                    hours=data.draw(st.integers(-50, 500))
                )
            elif change == "wait" and dossier.received_at:
                # a supplement asked: now or backdated, with the due in force or another
                t = dossier.received_at + dt.timedelta(hours=data.draw(st.integers(0, 900)))
                SupplementWait.objects.create(
                    dossier=dossier,
                    requested_at=t,
                    received_at=data.draw(
                        st.none() | st.just(t + dt.timedelta(hours=data.draw(st.integers(0, 90))))
                    ),
                    due_before=data.draw(
                        st.just(dossier.due_at)
                        | st.just(t + dt.timedelta(hours=data.draw(st.integers(-90, 90))))
                    ),
                )
            elif change == "resume":
                wait = SupplementWait.objects.filter(dossier=dossier).order_by("pk").last()
                if wait is not None:
                    back = data.draw(st.integers(0, 300))
                    wait.received_at = (
                        None if back == 0 else wait.requested_at + dt.timedelta(hours=back)
                    )
                    wait.save()
            dossier.save()
        assert SummaryDay.objects.filter(stale=False).count() <= max(0, hi - lo + 1)
        for _ in range(3):  # one period at a time, as reports ask
            period = data.draw(any_period())
            check_equal([period])
            check_coverage(period)
        transaction.set_rollback(True)


def recount(day: dt.date) -> dict[tuple, dict[str, int]]:
    return flow_counts(
        agency_ids=None,
        period=Period(day, day),
        groups=("agency_id", "procedure__field_id"),
        by_day=False,
    )


def stored(day: dt.date) -> dict[tuple, dict[str, int]]:
    return {
        (r.agency_id, r.field_id): {k: getattr(r, field_name(k)) for k in SUMMARY_KEYS}
        for r in DailySummary.objects.filter(day=day)
    }


@pytest.fixture
def province_parts():
    from tests.stats.helpers import agency, procedure

    root = agency("000.00.00.H97", name="Tỉnh")
    one = agency("000.00.01.H97", parent=root)
    p = procedure(code="8.000097", online_class="full")
    build(
        [
            Spec(one, p, at(2025, 3, 1, 9), at(2025, 3, 8, 17), "resolved", at(2025, 3, 3, 10)),
            Spec(one, p, at(2025, 3, 2, 23, 30), at(2025, 3, 9, 17), "", None, channel="online"),
            Spec(root, p, at(2025, 3, 3, 8), at(2025, 3, 4, 17), "refused", at(2025, 3, 5, 0, 10)),
        ]
    )
    return root, one, p


def test_command_equals_recount_is_idempotent_and_redoes_stale_days(province_parts, db):
    root, one, p = province_parts
    call_command("stats-summarise", "--until", "2025-03-10")
    days = list(SummaryDay.objects.order_by("day").values_list("day", flat=True))
    assert days[0] == dt.date(2025, 3, 1) and days[-1] == dt.date(2025, 3, 10)
    assert not SummaryDay.objects.filter(stale=True).exists()
    for day in days:  # the summary is the recount of each day, per agency and field
        assert stored(day) == recount(day), day
    from motcua.stats.coverage import coverage_by_day
    from motcua.stats.models import CoverageDay

    for day in days:  # and the coverage rows, per agency and procedure
        rows = {
            (r.agency_id, r.procedure_id, r.day): {
                k: getattr(r, k) for k in ("postal_received", "postal_delivered", "online_received")
            }
            for r in CoverageDay.objects.filter(day=day)
        }
        assert rows == coverage_by_day(agency_ids=[root.pk, one.pk], period=Period(day, day))
    assert CoverageDay.objects.filter(online_received=1).count() == 1
    assert stored(dt.date(2025, 3, 2))  # the 23:30 reception is on the 2nd, local time
    before = list(DailySummary.objects.order_by("pk").values())
    built = dict(SummaryDay.objects.values_list("day", "built_at"))
    call_command("stats-summarise", "--until", "2025-03-10")  # nothing to do the second time
    assert list(DailySummary.objects.order_by("pk").values()) == before
    assert dict(SummaryDay.objects.values_list("day", "built_at")) == built

    # a backdated close of the open dossier (on the 6th) makes the 6th stale, nothing else
    open_one = Dossier.objects.get(closed_at__isnull=True)
    open_one.closed_at, open_one.outcome = at(2025, 3, 6, 11), "resolved"
    open_one.save()
    assert list(SummaryDay.objects.filter(stale=True).values_list("day", flat=True)) == [
        dt.date(2025, 3, 6)
    ]
    march = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 10))
    check_equal([march])  # exact meanwhile: the stale day is counted live
    call_command("stats-summarise", "--until", "2025-03-10")
    assert not SummaryDay.objects.filter(stale=True).exists()
    assert stored(dt.date(2025, 3, 6)) == recount(dt.date(2025, 3, 6))
    assert stored(dt.date(2025, 3, 6))[(one.pk, p.field_id)]["resolved.total"] == 1
    check_equal([march])

    # moving the procedure to another field makes every day of its dossiers stale
    from tests.catalog.factories import FieldFactory

    p.field = FieldFactory()
    p.save()
    assert set(SummaryDay.objects.filter(stale=True).values_list("day", flat=True)) == {
        dt.date(2025, 3, d) for d in (1, 2, 3, 5, 6)
    }
    check_equal([march])
    call_command("stats-summarise", "--rebuild", "--since", "2025-03-01", "--until", "2025-03-10")
    for day in days:
        assert stored(day) == recount(day), day


def test_stock_snapshot_equals_recount_and_is_marked_by_backdated_changes(province_parts, db):
    from motcua.stats.models import STOCK_KEYS, StockDay, StockSnapshot
    from motcua.stats.stock import period_end_days, stock_counts
    from motcua.stats.summary import pending_counts

    root, one, p = province_parts
    call_command("stats-summarise", "--until", "2025-03-10")
    # the last day summarised and the month ends inside the range (none here but the 10th)
    assert list(StockDay.objects.values_list("day", flat=True)) == [dt.date(2025, 3, 10)]
    assert period_end_days(dt.date(2025, 1, 20), dt.date(2025, 3, 31)) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 14),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 31),
    ]
    march = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 10))
    for group_by in ("agency_id", "procedure__field_id"):
        snap = stock_counts(agency_ids=None, period=march, group_by=group_by)
        live = pending_counts(agency_ids=None, period=march, group_by=group_by)
        assert snap == {k: v for k, v in live.items() if any(v.values())}
    assert sum(r.pending_total for r in StockSnapshot.objects.all()) == 1  # the open one
    assert set(STOCK_KEYS) == {k for k in STOCK_KEYS if k.startswith("pending.")}

    open_one = Dossier.objects.get(closed_at__isnull=True)
    # closed now: it stays in every past stock, nothing is marked
    open_one.closed_at, open_one.outcome = dt.datetime.now(tz=dt.UTC), "resolved"
    open_one.save()
    assert not StockDay.objects.filter(stale=True).exists()
    # a supplement asked now, with the due in force: nothing in the past changes either
    SupplementWait.objects.create(
        dossier=open_one, requested_at=dt.datetime.now(tz=dt.UTC), due_before=open_one.due_at
    )
    assert not StockDay.objects.filter(stale=True).exists()
    # backdated to the 6th: the stock at the end of the 10th loses it
    open_one.closed_at = at(2025, 3, 6, 11)
    open_one.save()
    assert StockDay.objects.get(day=dt.date(2025, 3, 10)).stale
    assert stock_counts(agency_ids=None, period=march, group_by="agency_id") is None
    check_equal([march])  # exact meanwhile: counted live
    call_command("stats-summarise", "--until", "2025-03-10")
    assert not StockDay.objects.filter(stale=True).exists()
    assert stock_counts(agency_ids=None, period=march, group_by="agency_id") == {}
    check_equal([march])
