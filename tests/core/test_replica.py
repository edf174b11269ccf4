"""The replica router: which reads go to the ``replica`` alias, and when it is skipped.

The alias is a second connection to the same test database (like a TEST MIRROR), so the
routing is real while the data is the same; the lag and down logic is driven by fake clocks
and measures.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.catalog.models import Agency
from motcua.core import replica
from motcua.core.replica import (
    COOKIE,
    PRIMARY,
    REPLICA,
    LagTracker,
    ReplicaHealth,
    ReplicaPinMiddleware,
    on_replica,
    parse_lsn,
    reads_from_primary,
    reads_from_replica,
    replica_reads,
)
from motcua.dossiers.models import Dossier
from tests.dossiers.factories import received_dossier

# Committed rows, so that the second connection sees them.
BOTH = pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])


@pytest.fixture
def mirror(settings):
    """The ``replica`` alias (tests/conftest.py), the router installed, a fresh check."""
    settings.MOTCUA_READ_SOURCE_HEADER = True
    settings.DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
    settings.MOTCUA_REPLICA_CHECK_SECONDS = 3
    settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 10
    replica.health.reset()
    replica.health.measure = None
    yield
    replica.health.reset()


@BOTH
def test_reads_go_to_the_replica_only_when_asked(mirror):
    assert Dossier.objects.all().db == PRIMARY
    with reads_from_replica():
        assert Dossier.objects.all().db == REPLICA
        with reads_from_primary():
            assert Dossier.objects.all().db == PRIMARY
    assert Dossier.objects.all().db == PRIMARY


@BOTH
def test_writes_memoised_tables_and_transactions_stay_on_the_primary(mirror):
    with reads_from_replica():
        assert Agency.objects.all().db == PRIMARY  # catalogue memo keyed by the primary
        assert Session.objects.all().db == PRIMARY  # decides about the request itself
        with transaction.atomic():
            assert Dossier.objects.all().db == PRIMARY
        dossier = received_dossier()
        assert dossier._state.db == PRIMARY


@BOTH
def test_a_replica_read_returns_the_rows(mirror):
    dossier = received_dossier()
    with reads_from_replica(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert list(Dossier.objects.values_list("code", flat=True)) == [dossier.code]
    assert len(on_replica.captured_queries) >= 1


@BOTH
def test_a_decorated_function_reads_the_replica(mirror):
    @reads_from_replica()
    def which() -> str:
        return Dossier.objects.all().db

    assert which() == REPLICA
    assert Dossier.objects.all().db == PRIMARY


@BOTH
def test_an_unusable_replica_is_skipped_until_the_next_check(mirror, settings):
    clock = [100.0]
    calls = []

    def down(tracker, now):
        calls.append(now)
        raise DatabaseError("connection refused")

    replica.health.clock = lambda: clock[0]
    replica.health.measure = down
    try:
        with reads_from_replica():
            assert Dossier.objects.all().db == PRIMARY
            assert Dossier.objects.all().db == PRIMARY
            assert calls == [100.0]  # checked once per interval, not per query
            replica.health.measure = lambda tracker, now: 0.5
            clock[0] += settings.MOTCUA_REPLICA_CHECK_SECONDS
            assert Dossier.objects.all().db == REPLICA  # back after the next check
    finally:
        replica.health.clock = time.monotonic


@BOTH
def test_the_portal_look_up_reads_the_replica(mirror, client: Client):
    dossier = received_dossier()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.post(
            reverse("portal:lookup"),
            {"code": dossier.code, "id_number": dossier.applicant_id_number},
        )
    assert response.status_code == 200
    assert dossier.code in response.content.decode()
    assert any("dossiers_dossier" in q["sql"] for q in on_replica.captured_queries)


# --- the pin after a write ---------------------------------------------------------------


def _through_middleware(request, body):
    seen = {}

    def view(req):
        seen["db"] = body()
        if seen["db"] == REPLICA:
            with reads_from_replica():
                list(Dossier.objects.all())  # a query that really runs on the replica
        return HttpResponse("ok")

    response = ReplicaPinMiddleware(view)(request)
    assert response[replica.SOURCE_HEADER] == {PRIMARY: "primary", REPLICA: "replica"}[seen["db"]]
    return seen["db"], response


@BOTH
def test_a_request_that_writes_reads_the_primary_and_pins_the_browser(mirror, settings):
    settings.MOTCUA_PRIMARY_AFTER_WRITE_SECONDS = 30

    def write_then_read():
        received_dossier()
        with reads_from_replica():
            return Dossier.objects.all().db

    db, response = _through_middleware(RequestFactory().post("/x"), write_then_read)
    assert db == PRIMARY
    assert response.cookies[COOKIE]["max-age"] == 30
    assert float(response.cookies[COOKIE].value) > time.time() + 25

    def read():
        with reads_from_replica():
            return Dossier.objects.all().db

    pinned = RequestFactory().get("/y")
    pinned.COOKIES[COOKIE] = str(time.time() + 10)
    assert _through_middleware(pinned, read)[0] == PRIMARY
    expired = RequestFactory().get("/z")
    expired.COOKIES[COOKIE] = str(time.time() - 1)
    db, response = _through_middleware(expired, read)
    assert db == REPLICA
    assert COOKIE not in response.cookies  # a request that only read sets nothing


@BOTH
def test_the_health_checks_own_statements_are_not_counted_as_a_replica_read(mirror, settings):
    """The read-source header says where the request's data came from: a check that runs its
    statements on a lagging replica, then sends the read to the primary, is a primary read (the
    cluster's partition test reads this header)."""

    def lagging(tracker, now):
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
        return settings.MOTCUA_REPLICA_MAX_LAG_SECONDS + 1

    replica.health.measure = lagging

    def read():
        with reads_from_replica():
            return Dossier.objects.all().db

    db, response = _through_middleware(RequestFactory().get("/report"), read)
    assert db == PRIMARY
    assert response[replica.SOURCE_HEADER] == "primary"
    assert replica.health.lag == settings.MOTCUA_REPLICA_MAX_LAG_SECONDS + 1


# --- lag -----------------------------------------------------------------------------------


def test_parse_lsn_orders_positions():
    assert parse_lsn("0/0") == 0
    assert parse_lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert parse_lsn("1/0") > parse_lsn("0/FFFFFFFF")


def test_lag_is_the_age_of_the_oldest_unreplayed_primary_position():
    tracker = LagTracker()
    assert tracker.observe(primary_lsn=100, replayed_lsn=100, now=0.0) == 0.0  # caught up
    assert tracker.observe(primary_lsn=200, replayed_lsn=100, now=3.0) == 0.0  # just seen
    assert tracker.observe(primary_lsn=300, replayed_lsn=100, now=6.0) == 3.0
    assert tracker.observe(primary_lsn=400, replayed_lsn=250, now=9.0) == 3.0  # 300 seen at 6
    assert tracker.observe(primary_lsn=400, replayed_lsn=400, now=12.0) == 0.0
    assert tracker.samples == []


def test_an_idle_primary_shows_no_lag():
    tracker = LagTracker()
    for second in range(0, 60, 3):
        assert tracker.observe(primary_lsn=500, replayed_lsn=500, now=float(second)) == 0.0


def test_health_marks_a_lagging_replica_unusable_and_caches_the_answer(settings):
    settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 10
    settings.MOTCUA_REPLICA_CHECK_SECONDS = 3
    clock = [0.0]
    lags = iter([2.0, 11.0, 9.0])
    calls = []

    def measure(tracker, now):
        calls.append(now)
        return next(lags)

    health = ReplicaHealth(measure=measure, clock=lambda: clock[0])
    assert health.is_usable() and health.lag == 2.0
    clock[0] = 2.9
    assert health.is_usable() and len(calls) == 1  # cached
    clock[0] = 3.0
    assert not health.is_usable() and health.lag == 11.0
    clock[0] = 6.0
    assert health.is_usable() and health.lag == 9.0


def test_health_marks_a_failing_replica_down(settings):
    settings.MOTCUA_REPLICA_CHECK_SECONDS = 3

    def refused(tracker, now):
        raise DatabaseError("could not connect to server")

    health = ReplicaHealth(measure=refused, clock=lambda: 0.0)
    assert not health.is_usable()
    assert health.lag is None


@BOTH
def test_a_replica_dying_mid_read_is_marked_down_and_the_read_runs_on_the_primary(mirror):
    answers = iter([0.0])

    def measure(tracker, now):
        try:
            return next(answers)  # usable at the first check
        except StopIteration:
            raise DatabaseError("server closed the connection unexpectedly") from None

    replica.health.measure = measure
    calls = []

    def report() -> str:
        db = Dossier.objects.all().db
        calls.append(db)
        if db == REPLICA:
            raise DatabaseError("server closed the connection unexpectedly")
        return db

    assert on_replica(report) == PRIMARY
    assert calls == [REPLICA, PRIMARY]
    assert not replica.health.usable
    assert replica_reads(lambda: Dossier.objects.all().db)() == PRIMARY  # until the next check


@BOTH
def test_an_error_that_is_not_the_replicas_is_raised(mirror):
    replica.health.measure = lambda tracker, now: 0.0

    def broken():
        raise DatabaseError("syntax error")

    with pytest.raises(DatabaseError, match="syntax"):
        on_replica(broken)


def test_apps_register_their_primary_only_tables():
    from motcua.core.replica import _primary_only_models

    # The portal registers its look-up throttle itself (portal/apps.py).
    assert "portal.lookupfailure" in _primary_only_models()
