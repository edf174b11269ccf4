"""Petition counters: by hand on a small history, and against a plain recount on random ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.petitions import services
from motcua.petitions.choices import PetitionAbout
from motcua.petitions.models import Petition
from motcua.stats.periods import month_period
from motcua.stats.petitions import check_identity, petition_counts, petition_counts_by_agency

pytestmark = pytest.mark.django_db

NOVEMBER = month_period(2026, 11, cutoff=0)  # calendar month: 1-30 November


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def petition(world, received, answered=None, publish=False, agency=None):
    p, _ = services.petition_submit(
        agency=agency or world["agency"],
        about=PetitionAbout.AGENCY,
        name="Phạm D",
        email="d@example.vn",
        title="Góp ý",
        content="Nội dung",
        consent_publish=True,
        at=received,
    )
    if answered is not None:
        services.petition_answer(petition=p, actor=world["leader"], answer="Trả lời", at=answered)
        if publish:
            services.petition_publish(petition=p, actor=world["leader"], at=answered)
    return Petition.objects.get(pk=p.pk)


def test_counts_by_hand(world):
    # Carried over: received in October, answered in November on time.
    a = petition(world, at(2026, 10, 28, 9), answered=at(2026, 11, 2, 9), publish=True)
    # Carried over and answered before November: not counted anywhere but nowhere pending.
    petition(world, at(2026, 10, 1, 9), answered=at(2026, 10, 5, 9))
    # Received in November, answered late in November.
    b = petition(world, at(2026, 11, 3, 9))
    services.petition_answer(
        petition=b, actor=world["leader"], answer="x", at=b.due_at + dt.timedelta(hours=1)
    )
    # Received in November, still open at the end, overdue by then.
    petition(world, at(2026, 11, 5, 9))
    # Received in November, answered in December: pending at the end of November, not overdue.
    petition(world, at(2026, 11, 27, 9), answered=at(2026, 12, 1, 9))
    # Another agency's petition is not counted.
    petition(world, at(2026, 11, 5, 9), agency=world["other"])
    assert a.answered_on_time
    counts = petition_counts(
        agency_ids=[world["agency"].pk], period=NOVEMBER, now=at(2026, 12, 15, 0)
    )
    assert counts == {
        "carried_over": 1,
        "received": 3,
        "answered": {"total": 2, "on_time": 1, "late": 1},
        "pending": {"total": 2, "overdue": 1},
        "published": 1,
    }
    assert check_identity(counts) == []
    ids = [world["agency"].pk, world["other"].pk]
    by_agency = petition_counts_by_agency(agency_ids=ids, period=NOVEMBER, now=at(2026, 12, 15, 0))
    for agency_id in ids:
        alone = petition_counts(agency_ids=[agency_id], period=NOVEMBER, now=at(2026, 12, 15, 0))
        assert by_agency[agency_id] == alone


def test_an_unfinished_period_counts_overdue_only_up_to_now(world):
    p = petition(world, at(2026, 11, 5, 9))
    before_due = p.due_at - dt.timedelta(hours=1)
    counts = petition_counts(agency_ids=[world["agency"].pk], period=NOVEMBER, now=before_due)
    assert counts["pending"] == {"total": 1, "overdue": 0}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=24 * 90),  # received, hours after 1 October
            st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 40)),  # answer delay
        ),
        max_size=12,
    )
)
def test_counts_equal_a_plain_recount_and_the_identity_holds(world, history):
    base = at(2026, 10, 1, 0)
    now = at(2026, 12, 10, 0)
    with transaction.atomic():
        rows = []
        for received_h, delay_h in history:
            received = base + dt.timedelta(hours=received_h)
            answered = None if delay_h is None else received + dt.timedelta(hours=delay_h)
            rows.append(petition(world, received, answered))
        counts = petition_counts(agency_ids=[world["agency"].pk], period=NOVEMBER, now=now)
        start, end = NOVEMBER.start_instant, NOVEMBER.end_instant

        def answered_in(p):
            return p.answered_at is not None and start <= p.answered_at < end

        def open_at(p, t):
            return p.received_at < t and (p.answered_at is None or p.answered_at >= t)

        assert counts["carried_over"] == sum(open_at(p, start) for p in rows)
        assert counts["received"] == sum(start <= p.received_at < end for p in rows)
        assert counts["answered"]["total"] == sum(answered_in(p) for p in rows)
        assert counts["answered"]["on_time"] == sum(
            answered_in(p) and p.answered_at <= p.due_at for p in rows
        )
        assert counts["pending"]["total"] == sum(open_at(p, end) for p in rows)
        assert counts["pending"]["overdue"] == sum(
            open_at(p, end) and p.due_at < min(end, now) for p in rows
        )
        assert check_identity(counts) == []
        transaction.set_rollback(True)


def test_the_report_carries_the_petitions_of_the_unit_and_each_child(world):
    from motcua.stats.assembly import consolidated_report
    from tests.catalog.factories import AgencyFactory

    province = AgencyFactory(name="UBND tỉnh")
    for key in ("agency", "other"):
        world[key].parent = province
        world[key].save()
    petition(world, at(2026, 11, 3, 9), answered=at(2026, 11, 4, 9))
    petition(world, at(2026, 11, 5, 9), agency=world["other"])
    report = consolidated_report(unit=province, period=NOVEMBER, children=True)
    assert report["petitions"]["received"] == 2
    assert report["petitions"]["answered"] == {"total": 1, "on_time": 1, "late": 0}
    children = {c["unit"]["code"]: c["petitions"] for c in report["children"]}
    assert children[world["agency"].code]["answered"]["total"] == 1
    assert children[world["other"].code]["received"] == 1
    assert children[world["other"].code]["pending"]["total"] == 1
    assert check_identity(report["petitions"]) == []


def test_the_dashboard_shows_the_petitions(world, client):
    petition(world, at(2026, 11, 3, 9), answered=at(2026, 11, 4, 9))
    client.force_login(world["leader"])
    body = client.get("/stats/", {"unit": world["agency"].code, "period": "2026-11"}).content
    assert b'id="petition-counters"' in body
