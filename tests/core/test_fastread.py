"""``value_rows`` (core/fastread.py) runs a ``values_list`` query set's SQL with psycopg's own
timestamp loader on PostgreSQL: the same rows as ``list(qs)``, for any instants PostgreSQL and
Python both hold, for plain reads, a window filter's sub-query and an empty result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.fastread import value_rows
from motcua.dossiers.models import Dossier
from tests.stats.helpers import Spec, agency, build, procedure

pytestmark = pytest.mark.django_db

instants = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC)
)


@pytest.fixture
def place():
    return agency("P"), procedure()


def _same(a: list[tuple], b: list[tuple]) -> None:
    assert a == b
    offsets = [[v.utcoffset() for v in row if isinstance(v, dt.datetime)] for row in a]
    assert offsets == [[v.utcoffset() for v in row if isinstance(v, dt.datetime)] for row in b]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    times=st.lists(st.tuples(instants, st.none() | instants), max_size=12), cut=st.integers(1, 3)
)
def test_value_rows_are_the_query_sets_rows(place, times, cut):
    unit, proc = place
    with transaction.atomic():
        build([Spec(unit, proc, received, due, note="x") for received, due in times])
        mine = Dossier.objects.filter(agency=unit).order_by("pk")
        plain = mine.values_list("pk", "agency_id", "code", "received_at", "due_at", "note")
        _same(value_rows(plain), list(plain))
        ranked = (
            mine.annotate(rank=Window(RowNumber(), order_by=[F("due_at").asc(), F("pk").asc()]))
            .filter(rank__lte=cut)
            .order_by()
            .values_list("pk", "received_at", "due_at")
        )
        _same(sorted(value_rows(ranked)), sorted(ranked))
        none = mine.filter(pk__in=[]).values_list("pk", "received_at")
        assert value_rows(none) == list(none) == []
        transaction.set_rollback(True)
