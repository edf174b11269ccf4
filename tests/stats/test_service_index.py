"""The Decision 766 index on a small fixture, each criterion computed by hand; properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.control.models import Posting, PublicationDecision
from motcua.core.errors import NotFound, PermissionDenied
from motcua.dossiers.models import Dossier, Rating
from motcua.integrations.models import OutboxMessage
from motcua.integrations.selectors import realtime_sync_by_agency
from motcua.stats.periods import Period
from motcua.stats.service_index.criteria import CRITERIA, check_table
from motcua.stats.service_index.scoring import (
    compute_index,
    criterion_losses,
    flat_scores,
    monthly_trend,
    points,
)
from tests.stats.helpers import Spec, agency, at, build, procedure

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
# A national portal "configured" (only whether it is matters here: nothing is sent).
NATIONAL = "http://127.0.0.1:9"


@pytest.fixture
def small():
    return build_small()


def build_small():
    """P → A (provincial agency), B (commune). Hand-counted in the tests below."""
    root = agency("P", name="Tỉnh")
    a = agency("A", parent=root, name="Sở A")
    b = agency("B", parent=root, level="commune", name="Xã B")
    online = procedure(code="9.000001", online_class="full")
    offline = procedure(code="9.000002", online_class="none")
    partial = procedure(code="9.000003", online_class="partial")
    retired = procedure(code="9.000004", online_class="none", is_active=False)
    one_way = procedure(code="9.000005", one_way=True, processing_time=None)
    for proc, unit in ((online, a), (offline, a), (one_way, a), (offline, b), (partial, b)):
        proc.assignments.create(agency=unit)
    retired.assignments.create(agency=b)
    d = build(
        [
            # A: early (online), on time, late, overdue at the end
            Spec(a, online, at(2025, 3, 3, 9), at(2025, 3, 10, 17), "resolved", at(2025, 3, 7, 9),
                 channel="online", online_class="full", code="A-1"),
            Spec(a, online, at(2025, 3, 4, 9), at(2025, 3, 11, 17), "resolved",
                 at(2025, 3, 11, 15), online_class="full", code="A-2"),
            Spec(a, online, at(2025, 3, 5, 9), at(2025, 3, 12, 17), "resolved",
                 at(2025, 3, 14, 9), online_class="full", code="A-3"),
            Spec(a, offline, at(2025, 3, 20, 9), at(2025, 3, 25, 17), code="A-4"),
            # B: early online but rated dissatisfied, pending not due (post), on time
            Spec(b, partial, at(2025, 3, 6, 9), at(2025, 3, 20, 17), "resolved",
                 at(2025, 3, 18, 9), channel="online", online_class="partial", code="B-5"),
            Spec(b, partial, at(2025, 3, 25, 9), at(2025, 4, 8, 17), channel="postal",
                 online_class="partial", code="B-6"),
            Spec(b, offline, at(2025, 3, 10, 9), at(2025, 3, 17, 17), "resolved",
                 at(2025, 3, 17, 10), code="B-7"),
        ]
    )  # fmt: skip
    Rating.objects.create(agency=b, dossier=d[4], value="dissatisfied", at=at(2025, 3, 19, 9))
    Rating.objects.create(agency=b, dossier=d[6], value="very_satisfied", at=at(2025, 3, 19, 9))
    # A's publication decisions: one posted the day before it takes effect, one two days late,
    # one taking effect in April (outside the period).
    on_time = PublicationDecision.objects.create(
        number="1/QĐ", issued_on=dt.date(2025, 3, 1), effective_from=dt.date(2025, 3, 10), agency=a
    )
    late = PublicationDecision.objects.create(
        number="2/QĐ", issued_on=dt.date(2025, 3, 1), effective_from=dt.date(2025, 3, 20), agency=a
    )
    april = PublicationDecision.objects.create(
        number="3/QĐ", issued_on=dt.date(2025, 3, 1), effective_from=dt.date(2025, 4, 5), agency=a
    )
    for decision, day in ((on_time, 9), (late, 22), (april, 30)):
        Posting.objects.create(
            procedure=online,
            agency=a,
            channel="website",
            posted_on=dt.date(2025, 3, day),
            decision=decision,
        )
    return root, a, b


def test_table_is_consistent():
    assert check_table() == []
    assert sum(c.max_points for c in CRITERIA) == 100


def test_each_criterion_by_hand(small):
    root, a, b = small
    index = compute_index(unit=root, period=MARCH, children=True)
    by_code = {c["code"]: c for c in index["criteria"]}
    # 1.1: A's decisions taking effect in March: 2, posted by then: 1 → 4 × 1/2
    assert (by_code["1.1"]["numerator"], by_code["1.1"]["denominator"]) == (1, 2)
    # 2.1: resolved A-1 A-2 A-3 B-5 B-7, early or on time all but A-3 → 10 × 4/5
    assert (by_code["2.1"]["numerator"], by_code["2.1"]["denominator"]) == (4, 5)
    # 2.2: pending at the end A-4 (overdue), B-6 (not due) → 10 × 1/2
    assert (by_code["2.2"]["numerator"], by_code["2.2"]["denominator"]) == (1, 2)
    # 3.1: procedures in force assigned (one-way and retired left out): A online, A offline,
    # B offline, B partial → 6 × 2/4
    assert (by_code["3.1"]["numerator"], by_code["3.1"]["denominator"]) == (2, 4)
    # 3.2: new dossiers of online procedures A-1 A-2 A-3 B-5 B-6; online A-1 B-5 → 6 × 2/5
    assert (by_code["3.2"]["numerator"], by_code["3.2"]["denominator"]) == (2, 5)
    # 5.3: resolved 5, lost A-3 (late) and B-5 (dissatisfied) → 6 × 3/5
    assert (by_code["5.3"]["numerator"], by_code["5.3"]["denominator"]) == (3, 5)
    assert flat_scores(index) == {
        "1.1": 2.0,
        "1.2": None,  # no national portal configured
        "1.3": None,
        "2.1": 8.0,
        "2.2": 5.0,
        "3.1": 3.0,
        "3.2": 2.4,
        "4.1": None,
        "5.1": None,  # measured, but no petition in the fixture
        "5.2": None,
        "5.3": 3.6,
        "6.1": None,
        "6.2": None,
        "6.3": None,
    }
    # measured max 4 + 10 + 10 + 6 + 6 + 6 = 42; 2 + 8 + 5 + 3 + 2,4 + 3,6 = 24 points
    # → 24/42 = 57,14 of 100
    assert index["score"] == {"points": 24.0, "max": 42.0, "full_max": 100, "scaled": 57.14}
    groups = {g["code"]: g for g in index["groups"]}
    assert groups["timeliness"]["points"] == 13.0
    assert groups["payment"]["points"] is None and groups["payment"]["measured_max"] == 0
    assert groups["transparency"]["measured_max"] == 4.0
    # children: A 6,67 + 0 + 2 + 2 + 4 + 3 = 17,67 of 42 (1.1: 4 × 1/2); B (no decision: 1.1 not measured)
    # 10 + 10 + 3 + 3 + 3 = 29 of 38
    ranked = [(r["rank"], r["unit"]["code"], r["score"]["points"], r["score"]["max"],
               r["score"]["scaled"]) for r in index["children"]]  # fmt: skip
    assert ranked == [(1, "B", 29.0, 38.0, 76.32), (2, "A", 17.67, 42.0, 42.07)]


def test_losses_list_the_dossiers(small, django_user_model):
    root, a, b = small
    lost = criterion_losses(unit=root, period=MARCH, code="5.3")
    assert lost["count"] == 2
    assert [r["code"] for r in lost["rows"]] == ["A-3", "B-5"]
    assert [r["code"] for r in criterion_losses(unit=root, period=MARCH, code="2.2")["rows"]] == [
        "A-4"
    ]
    assert [r["code"] for r in criterion_losses(unit=a, period=MARCH, code="3.2")["rows"]] == [
        "A-2",
        "A-3",
    ]
    assert [r["code"] for r in criterion_losses(unit=root, period=MARCH, code="1.1")["rows"]] == [
        "2/QĐ"
    ]
    assert [r["code"] for r in criterion_losses(unit=b, period=MARCH, code="3.1")["rows"]] == [
        "9.000002"
    ]
    assert criterion_losses(unit=root, period=MARCH, code="4.1")["measured"] is False
    with pytest.raises(NotFound):
        criterion_losses(unit=root, period=MARCH, code="9.9")
    # scoped: an official of B sees neither A nor the province
    from motcua.accounts.models import Membership
    from motcua.catalog.choices import Role

    user = django_user_model.objects.create_user("b", password="x")
    Membership.objects.create(user=user, agency=b, role=Role.MONITOR)
    with pytest.raises(PermissionDenied):
        criterion_losses(unit=a, period=MARCH, code="2.1", user=user)
    with pytest.raises(PermissionDenied):
        compute_index(unit=root, period=MARCH, user=user)
    assert compute_index(unit=b, period=MARCH, user=user)["score"]["points"] == 29.0


def test_trend_by_calendar_month(small):
    root, _a, _b = small
    trend = monthly_trend(unit=root, end=dt.date(2025, 4, 10), months=3)
    assert [t["period"] for t in trend] == ["2025-02", "2025-03", "2025-04"]
    assert trend[0]["scaled"] is not None  # the procedures offered online are always counted
    assert trend[1]["scaled"] == 57.14  # March, as in test_each_criterion_by_hand


@given(
    max_points=st.integers(1, 22),
    den=st.integers(1, 10_000),
    data=st.data(),
)
def test_points_within_bounds(max_points, den, data):
    num = data.draw(st.integers(0, den))
    value = points(max_points, num, den)
    assert Decimal(0) <= value <= max_points
    with pytest.raises(ValueError):
        points(max_points, den + 1, den)


minutes = st.integers(0, 50 * 24 * 60)


@st.composite
def dossier(draw):
    return (
        draw(st.integers(0, 1)),  # agency A or B
        draw(minutes),  # received
        draw(st.integers(0, 15 * 24 * 60)),  # legal time
        draw(st.none() | st.integers(0, 25 * 24 * 60)),  # resolved after
        draw(st.sampled_from(["direct", "online", "postal"])),
        draw(st.sampled_from(["none", "partial", "full"])),
        draw(st.booleans()),  # rated dissatisfied
        draw(
            st.none() | st.integers(0, 600)
        ),  # seconds until the portal had its status (None: never)
    )


def make(units, proc, rows):
    base = at(2025, 2, 15, 0)
    specs, dissatisfied, lags = [], [], []
    for i, (unit, rec, legal, after, channel, klass, unhappy, lag) in enumerate(rows):
        received = base + dt.timedelta(minutes=rec)
        lags.append((received, lag))  # the reception's status message, queued then
        closed = None if after is None else received + dt.timedelta(minutes=after)
        specs.append(
            Spec(
                units[unit],
                proc,
                received,
                received + dt.timedelta(minutes=legal),
                "resolved" if closed else "",
                closed,
                channel=channel,
                online_class=klass,
            )
        )
        if unhappy:
            dissatisfied.append(i)
    created = build(specs)
    Rating.objects.bulk_create(
        Rating(agency=created[i].agency, dossier=created[i], value="dissatisfied", at=base)
        for i in dissatisfied
    )
    OutboxMessage.objects.bulk_create(
        status_message(d, queued, None if lag is None else queued + dt.timedelta(seconds=lag))
        for d, (queued, lag) in zip(created, lags, strict=True)
    )


def status_message(dossier, queued, sent, *, status=None, kind="DongBoHoSoMC", peer="national"):
    """A message of the outbox as the delivery loop leaves it: sent at ``sent`` or waiting."""
    return OutboxMessage(
        peer=peer,
        kind=kind,
        dossier=dossier,
        created_at=queued,
        next_attempt_at=queued,
        sent_at=sent,
        status=status or ("pending" if sent is None else "sent"),
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(dossier(), max_size=15), extra=st.integers(0, 20 * 24 * 60))
def test_scores_bounded_measured_only_and_monotone(small, settings, rows, extra):
    settings.MOTCUA_NATIONAL_URL = NATIONAL  # 1.2 measured from the outbox rows of ``make``
    root, a, b = small
    proc = procedure(online_class="partial")
    with transaction.atomic():
        make([a, b], proc, rows)
        before = compute_index(unit=root, period=MARCH, children=True)
        # 1.2 is measured exactly when a status message was queued in March (at a reception)
        in_march = any(
            MARCH.start_instant
            <= at(2025, 2, 15, 0) + dt.timedelta(minutes=r[1])
            < MARCH.end_instant
            for r in rows
        )
        assert next(c for c in before["criteria"] if c["code"] == "1.2")["measured"] == in_march
        for section in [before, *before["children"]]:
            measured = [c for c in section["criteria"] if c["measured"]]
            for c in section["criteria"]:
                if c["measured"]:
                    assert 0 <= c["points"] <= c["max_points"]
                else:
                    assert c["points"] is None
            # the unit's score uses only the measured criteria
            assert section["score"]["max"] == sum(c["max_points"] for c in measured)
            assert section["score"]["points"] == pytest.approx(
                sum(c["points"] for c in measured) if measured else None
            )
            if section["score"]["scaled"] is not None:
                assert 0 <= section["score"]["scaled"] <= 100
            for g in section["groups"]:
                if g["points"] is not None:
                    assert 0 <= g["points"] <= g["measured_max"] <= g["max_points"]
        # adding a dossier resolved early or on time never lowers timeliness
        received = at(2025, 3, 2, 8) + dt.timedelta(minutes=extra)
        build([Spec(a, proc, received, received + dt.timedelta(days=3), "resolved",
                    received + dt.timedelta(days=1))])  # fmt: skip
        after = compute_index(unit=root, period=MARCH)
        old = next(g for g in before["groups"] if g["code"] == "timeliness")
        new = next(g for g in after["groups"] if g["code"] == "timeliness")
        assert new["points"] >= (old["points"] or 0)
        assert new["scaled"] >= (old["scaled"] or 0)
        old_c = next(c for c in before["criteria"] if c["code"] == "2.1")
        new_c = next(c for c in after["criteria"] if c["code"] == "2.1")
        assert new_c["points"] >= (old_c["points"] or 0)
        transaction.set_rollback(True)


def test_petitions_answered_on_time_by_hand(small):
    from motcua.accounts.models import Membership, User
    from motcua.catalog.choices import Role
    from motcua.petitions import services as petitions
    from motcua.petitions.models import Petition

    root, a, b = small
    leader = User.objects.create(username="lanhdao-a")
    Membership.objects.create(user=leader, agency=a, role=Role.LEADER)

    def petition(received):
        p, _secret = petitions.petition_submit(
            agency=a, about="agency", name="N", phone="0912345678", title="T", content="C",
            at=received,
        )  # fmt: skip
        return p

    on_time = petition(at(2025, 3, 3, 9))
    petitions.petition_answer(petition=on_time, actor=leader, answer="x", at=at(2025, 3, 5, 9))
    late = petition(at(2025, 2, 3, 9))  # due in February, answered in March: late
    petitions.petition_answer(petition=late, actor=leader, answer="x", at=at(2025, 3, 4, 9))
    petition(at(2025, 3, 3, 10))  # open past its due date (about 17 March) at the end of March
    petition(at(2025, 3, 28, 9))  # open, not yet due: not counted
    index = compute_index(unit=root, period=MARCH, children=True)
    by_code = {c["code"]: c for c in index["criteria"]}
    # 5.1: answered in March 2 (1 on time) + open overdue 1 → 6 × 1/3
    assert (by_code["5.1"]["numerator"], by_code["5.1"]["denominator"]) == (1, 3)
    assert flat_scores(index)["5.1"] == 2.0
    losses = criterion_losses(unit=root, period=MARCH, code="5.1")
    assert losses["count"] == 2
    assert {r["code"] for r in losses["rows"]} == {
        late.code,
        Petition.objects.get(received_at=at(2025, 3, 3, 10)).code,
    }


def sync_fixture(a, b):
    """Status messages to the national portal for the small fixture's dossiers (hand-counted in
    ``test_realtime_sync_by_hand``)."""
    d = {x.code: x for x in Dossier.objects.filter(agency__in=[a, b])}
    s = dt.timedelta(seconds=1)
    rows = [
        # two changes, the portal had them after 5 s and 30 s (the second one queued in
        # the last seconds of March, sent in April: counted in March) → in real time
        status_message(d["A-1"], at(2025, 3, 3, 9), at(2025, 3, 3, 9) + 5 * s),
        status_message(d["A-1"], at(2025, 3, 31, 23, 59, 50), at(2025, 4, 1, 0, 0, 20)),
        # 61 s → late
        status_message(d["A-2"], at(2025, 3, 4, 9), at(2025, 3, 4, 9) + 61 * s),
        # 60 s exactly in March → in time; its late message of February is not March's
        status_message(d["A-3"], at(2025, 3, 5, 9), at(2025, 3, 5, 9) + 60 * s),
        status_message(d["A-3"], at(2025, 2, 27, 9), at(2025, 2, 27, 10)),
        # still waiting since March → late
        status_message(d["A-4"], at(2025, 3, 20, 9), None),
        # B-5: status in 2 s; a late progress message and a late SMS do not count
        status_message(d["B-5"], at(2025, 3, 6, 9), at(2025, 3, 6, 9) + 2 * s),
        status_message(d["B-5"], at(2025, 3, 6, 9), at(2025, 3, 6, 11), kind="CapNhatTienDoHoSoMC"),
        status_message(d["B-5"], at(2025, 3, 6, 9), at(2025, 3, 6, 11), peer="sms", kind="sms"),
        # B-6: refused by the portal, parked → late
        status_message(d["B-6"], at(2025, 3, 25, 9), None, status="failed"),
        # B-7: nothing sent to the national portal in March → not counted
        status_message(d["B-7"], at(2025, 4, 2, 9), at(2025, 4, 2, 10)),
    ]
    OutboxMessage.objects.bulk_create(rows)


def test_realtime_sync_by_hand(small, settings):
    root, a, b = small
    sync_fixture(a, b)
    before = compute_index(unit=root, period=MARCH)  # no national portal configured
    settings.MOTCUA_NATIONAL_URL = NATIONAL
    index = compute_index(unit=root, period=MARCH, children=True)
    c12 = next(c for c in index["criteria"] if c["code"] == "1.2")
    # dossiers with a status message in March: A-1 A-2 A-3 A-4 B-5 B-6; in real time A-1 A-3
    # B-5 → 7 × 3/6
    assert (c12["numerator"], c12["denominator"], c12["rate"], c12["points"]) == (3, 6, 50.0, 3.5)
    assert c12["measured"] is True
    # the maximum grows by 1.2's 7 points, the total by its 3,5
    assert index["score"]["max"] == before["score"]["max"] + 7
    assert index["score"]["points"] == before["score"]["points"] + 3.5
    kids = {r["unit"]["code"]: r for r in index["children"]}
    by_kid = {
        code: next((c["numerator"], c["denominator"]) for c in r["criteria"] if c["code"] == "1.2")
        for code, r in kids.items()
    }
    assert by_kid == {"A": (2, 4), "B": (1, 2)}
    lost = criterion_losses(unit=root, period=MARCH, code="1.2")
    assert (lost["measured"], lost["count"]) == (True, 3)
    assert [r["code"] for r in lost["rows"]] == ["A-2", "A-4", "B-6"]
    assert [r["code"] for r in criterion_losses(unit=b, period=MARCH, code="1.2")["rows"]] == [
        "B-6"
    ]


def test_realtime_sync_not_measured_without_a_national_portal(small, settings):
    root, a, b = small
    sync_fixture(a, b)
    settings.MOTCUA_NATIONAL_URL = ""
    index = compute_index(unit=root, period=MARCH, children=True)
    for section in [index, *index["children"]]:
        c12 = next(c for c in section["criteria"] if c["code"] == "1.2")
        assert (c12["measured"], c12["points"], c12["numerator"]) == (False, None, None)
        assert "national portal" in c12["reason"] or "Cổng" in c12["reason"]
        measured = [c for c in section["criteria"] if c["measured"]]
        assert section["score"]["max"] == sum(c["max_points"] for c in measured)
    transparency = next(g for g in index["groups"] if g["code"] == "transparency")
    assert transparency["measured_max"] == 4.0  # 1.1 only: 1.2 is out of the maximum, not 0
    lost = criterion_losses(unit=root, period=MARCH, code="1.2")
    assert (lost["measured"], lost["count"], lost["rows"]) == (False, 0, [])


def test_a_status_message_still_waiting_is_late_only_after_the_limit(small, settings):
    _root, a, _b = small
    d = Dossier.objects.get(code="A-1")
    queued = at(2025, 3, 3, 9)
    OutboxMessage.objects.bulk_create([status_message(d, queued, None)])
    ids, start, end = {a.pk}, MARCH.start_instant, MARCH.end_instant
    s = dt.timedelta(seconds=1)
    assert realtime_sync_by_agency(agency_ids=ids, start=start, end=end, now=queued + 59 * s) == {
        a.pk: (1, 1)
    }
    assert realtime_sync_by_agency(agency_ids=ids, start=start, end=end, now=queued + 61 * s) == {
        a.pk: (0, 1)
    }
