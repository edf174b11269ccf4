"""The receiving units' own work (Decree 118/2025) and hand-overs: hand-computed histories
where communes receive for provincial departments, and the identities left unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.errors import MotcuaError
from motcua.dossiers.models import Dossier
from motcua.stats.assembly import build_report
from motcua.stats.counters import counts_by_agency
from motcua.stats.identities import check_identities
from motcua.stats.periods import Period
from motcua.stats.work import work_of
from motcua.stats.work_counters import province_office_ids, sum_work, work_counts_by_agency
from tests.stats.helpers import Spec, agency, at, build, handover, procedure

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture
def communes():
    """Province P: department D (under agency S), communes X and Y."""
    root = agency("P", name="Tỉnh")
    s = agency("S", parent=root, name="Sở")
    d = agency("D", parent=s, level="department", name="Phòng")
    x = agency("X", parent=root, level="commune", name="Xã X")
    y = agency("Y", parent=root, level="commune", name="Xã Y")
    return root, s, d, x, y, procedure(), procedure(one_way=True, processing_time=None)


def test_communes_receiving_for_departments(communes):
    root, s, d, x, y, proc, one_way = communes
    r = at(2025, 3, 3, 9)
    dossiers = build(
        [
            # X receives two for D (one at the counter, one by post), Y one online for S.
            Spec(d, proc, r, receiving_unit=x),
            Spec(d, proc, r, channel="postal", receiving_unit=x),
            Spec(s, proc, r, channel="online", receiving_unit=y),
            # received by D itself: not "for others"
            Spec(d, proc, r, receiving_unit=d),
            # X received for D in February, result handed over by post in March
            Spec(
                d,
                proc,
                at(2025, 2, 20, 9),
                at(2025, 2, 27, 17),
                "resolved",
                at(2025, 2, 26, 9),
                delivered_at=at(2025, 3, 2, 9),
                delivery_channel="postal",
                receiving_unit=x,
            ),
            # X receives for Y in April: outside the period
            Spec(y, proc, at(2025, 4, 1, 9), receiving_unit=x),
            # one-way dossiers are left out, as from every counter
            Spec(d, one_way, r, None, "filed", r, one_way=True, receiving_unit=x),
        ]
    )
    # hand-overs: D → Y sent in March, accepted in April; S → P (the province) sent and
    # accepted in March; Y → D sent in February, accepted in March.
    handover(dossiers[0], d, y, at(2025, 3, 5, 9), at(2025, 4, 1, 9))
    handover(dossiers[2], s, root, at(2025, 3, 6, 9), at(2025, 3, 7, 9))
    handover(dossiers[3], y, d, at(2025, 2, 27, 9), at(2025, 3, 2, 9))

    own = work_counts_by_agency(agency_ids=None, period=MARCH)
    assert own[x.pk]["received_for_others.total"] == 2
    assert own[x.pk]["received_for_others.by_channel.direct"] == 1
    assert own[x.pk]["received_for_others.by_channel.postal"] == 1
    assert own[x.pk]["delivered_for_others.total"] == 1
    assert own[x.pk]["delivered_for_others.by_channel.postal"] == 1
    assert own[y.pk]["received_for_others.by_channel.online"] == 1
    assert own[d.pk]["received_for_others.total"] == 0
    assert own[d.pk]["transferred.sent"] == 1
    assert own[d.pk]["transferred.sent_to_province_office"] == 0
    assert own[d.pk]["transferred.received"] == 1
    assert own[s.pk]["transferred.sent_to_province_office"] == 1
    assert own[root.pk]["transferred.received"] == 1
    assert own[y.pk]["transferred.received"] == 0  # accepted in April

    report = build_report(unit=root, period=MARCH, children=True, compare=False)
    assert report["received_for_others"]["total"] == 3
    assert report["delivered_for_others"]["by_channel"]["postal"] == 1
    assert report["transferred"] == {"sent": 2, "sent_to_province_office": 1, "received": 2}
    by_code = {c["unit"]["code"]: c for c in report["children"]}
    assert by_code["S"]["transferred"]["sent"] == 2  # S's own and its department D's
    assert by_code["X"]["received_for_others"]["by_channel"] == {
        "direct": 1,
        "online": 0,
        "postal": 1,
    }
    # the parent's figures are the children's sums plus its own
    for key, value in work_of(report).items():
        kids = sum(work_of(c)[key] for c in report["children"])
        assert value == kids + own.get(root.pk, {}).get(key, 0), key
    # "received" still follows the handling agency
    assert by_code["X"]["received"]["new"] == 0
    assert by_code["S"]["received"]["new"] == 4
    assert check_identities(report) == []


def test_province_office_setting(communes, settings):
    root, s, *_ = communes
    assert province_office_ids() == {root.pk}
    settings.MOTCUA_PROVINCE_OFFICE_CODE = "S"
    assert province_office_ids() == {s.pk}
    settings.MOTCUA_PROVINCE_OFFICE_CODE = "S, NOPE"
    with pytest.raises(MotcuaError, match="NOPE"):
        province_office_ids()


minutes = st.integers(0, 60 * 24 * 60)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 4),  # handling agency
            st.integers(0, 4),  # receiving unit
            minutes,
            st.sampled_from(["direct", "online", "postal"]),
            st.none() | st.integers(0, 20 * 24 * 60),  # resolved after
            st.sampled_from(["counter", "postal", "online"]),
        ),
        max_size=20,
    ),
    start=st.integers(0, 40),
    length=st.integers(1, 40),
)
def test_receiving_unit_changes_no_counter(communes, rows, start, length):
    """The counters of §1 (and so the identities) do not depend on who received a dossier;
    the work counters of a parent are the sums over its subtree."""
    root, s, d, x, y, proc, _one_way = communes
    units = [root, s, d, x, y]
    base = at(2025, 2, 1, 0)
    period = Period(
        base.date() + dt.timedelta(days=start), base.date() + dt.timedelta(days=start + length)
    )
    with transaction.atomic():
        specs = []
        for handling, receiving, m, channel, after, delivery in rows:
            rec = base + dt.timedelta(minutes=m)
            closed = None if after is None else rec + dt.timedelta(minutes=after)
            specs.append(
                Spec(
                    units[handling],
                    proc,
                    rec,
                    rec + dt.timedelta(days=7),
                    "resolved" if closed else "",
                    closed,
                    channel=channel,
                    delivered_at=closed,
                    delivery_channel=delivery if closed else "",
                    receiving_unit=units[receiving],
                )
            )
        build(specs)
        with_units = counts_by_agency(agency_ids=None, period=period)
        work = work_counts_by_agency(agency_ids=None, period=period)
        total = sum_work(work.values())
        expected = sum(
            1
            for h, r, m, *_ in rows
            if h != r
            and period.start_instant <= base + dt.timedelta(minutes=m) < period.end_instant
        )
        assert total["received_for_others.total"] == expected
        report = build_report(unit=root, period=period, children=True, compare=False)
        assert check_identities(report) == []
        assert work_of(report) == total  # the root's subtree is every agency
        Dossier.objects.update(receiving_unit=None)
        assert counts_by_agency(agency_ids=None, period=period) == with_units
        transaction.set_rollback(True)


def test_narrative_and_dashboard_mention_the_work(communes, client, settings):
    from django.urls import reverse

    from motcua.accounts.models import Membership, User
    from motcua.catalog.choices import Role
    from motcua.stats.reports.narrative import work_sentence

    root, s, d, x, y, proc, _ = communes
    dossiers = build(
        [Spec(d, proc, at(2025, 3, 3, 9), receiving_unit=x, channel="online")] * 1
        + [Spec(d, proc, at(2025, 3, 4, 9), receiving_unit=y)]
    )
    handover(dossiers[0], d, root, at(2025, 3, 5, 9), at(2025, 3, 6, 9))
    report = build_report(unit=root, period=MARCH, children=True, compare=False)
    text = work_sentence(report)
    assert text is not None
    assert "tiếp nhận 02 hồ sơ thuộc thẩm quyền giải quyết của cơ quan khác" in text
    assert "trực tuyến 01" in text and "trực tiếp 01" in text
    assert "chuyển Văn phòng Ủy ban nhân dân tỉnh 01 hồ sơ" in text
    empty = build_report(
        unit=root, period=Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31)), compare=False
    )
    assert work_sentence(empty) is None

    user = User.objects.create_user("m", password="x")
    Membership.objects.create(user=user, agency=root, role=Role.MONITOR)
    client.force_login(user)
    response = client.get(
        reverse("stats:dashboard"),
        {"unit": "P", "kind": "range", "start": "2025-03-01", "end": "2025-03-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    rows = dict(response.context["work"])
    assert list(rows.values())[0] == 2  # received for other agencies
    assert 'id="work-counters"' in response.content.decode()


def test_configured_province_office_counts_and_checks(communes, settings):
    root, s, d, x, y, proc, _ = communes
    [dossier] = build([Spec(d, proc, at(2025, 3, 3, 9), receiving_unit=x)])
    handover(dossier, d, s, at(2025, 3, 5, 9))
    handover(dossier, s, root, at(2025, 3, 6, 9))
    assert (
        work_counts_by_agency(agency_ids=None, period=MARCH)[s.pk][
            "transferred.sent_to_province_office"
        ]
        == 1
    )
    settings.MOTCUA_PROVINCE_OFFICE_CODE = "S"
    own = work_counts_by_agency(agency_ids=None, period=MARCH)
    assert own[d.pk]["transferred.sent_to_province_office"] == 1
    assert own[s.pk]["transferred.sent_to_province_office"] == 0
    settings.MOTCUA_PROVINCE_OFFICE_CODE = "GONE"
    with pytest.raises(MotcuaError, match="GONE"):
        work_counts_by_agency(agency_ids=None, period=MARCH)
