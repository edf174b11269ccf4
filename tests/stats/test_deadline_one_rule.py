"""One deadline rule: the page's status, the list filter and the report's counters agree.

Random resolved dossiers (due instants missing or near local and UTC midnights) are classified
three ways — ``deadlines.deadline_status`` in Python, ``deadlines.deadline_filter`` in SQL, the
``resolved.*`` counters of ``stats.counters`` — and the three must give the same answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.choices import DeadlineStatus, Outcome
from motcua.dossiers.deadlines import RESOLVED_STATUSES, deadline_filter, deadline_status
from motcua.dossiers.models import Dossier
from motcua.stats.counters import counts_by_agency
from motcua.stats.periods import Period
from tests.stats.helpers import Spec, agency, at, build, procedure

BASE = at(2025, 3, 3, 0)
MINUTES = 4 * 24 * 60
# minutes after BASE; 17:00 local is 00:00 UTC, where a UTC date and a local date differ
instants = st.integers(0, MINUTES).map(lambda m: BASE + dt.timedelta(minutes=m))
dossiers = st.lists(st.tuples(instants, st.none() | instants), min_size=1, max_size=12)


@pytest.fixture
def place():
    return agency("000.00.31.H98"), procedure(code="8.000031")


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(dossiers)
def test_status_filter_and_counters_agree(place, rows):
    unit, proc = place
    Dossier.objects.all().delete()
    received = BASE - dt.timedelta(days=3)
    build(
        Spec(unit, proc, received, due_at=due, outcome=Outcome.RESOLVED, closed_at=closed)
        for closed, due in rows
    )
    python = {d.pk: deadline_status(d)[0] for d in Dossier.objects.all()}
    sql = {
        status: set(deadline_filter(Dossier.objects.all(), status).values_list("pk", flat=True))
        for status in RESOLVED_STATUSES
    }
    for status in RESOLVED_STATUSES:
        assert sql[status] == {pk for pk, s in python.items() if s == status}
    period = Period(BASE.date() - dt.timedelta(days=1), BASE.date() + dt.timedelta(days=5))
    counts = counts_by_agency(agency_ids=[unit.pk], period=period)[unit.pk]
    assert counts["resolved.early"] == len(sql[DeadlineStatus.EARLY])
    assert counts["resolved.on_time"] == len(sql[DeadlineStatus.ON_TIME])
    assert counts["resolved.late"] == len(sql[DeadlineStatus.LATE])


@pytest.mark.django_db
def test_resolved_without_due_date_is_on_time_everywhere(place):
    unit, proc = place
    (dossier,) = build(
        [Spec(unit, proc, at(2025, 3, 1, 9), outcome=Outcome.RESOLVED, closed_at=at(2025, 3, 2, 9))]
    )
    assert deadline_status(dossier)[0] == DeadlineStatus.ON_TIME
    on_time = deadline_filter(Dossier.objects.all(), DeadlineStatus.ON_TIME)
    assert list(on_time.values_list("pk", flat=True)) == [dossier.pk]
