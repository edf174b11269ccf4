"""The portal's limit on failed look-ups: per client address, per window, kept in the database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Rating
from motcua.portal import selectors, throttle, views
from motcua.portal.models import LookupFailure
from tests.dossiers.factories import local, received_dossier, staff

ID_NUMBER = "099111222333"
# 10:00 in Hà Nội is 03:00 UTC: a window boundary for every window length dividing an hour.
START = local(2026, 11, 24, 10, 0)
DOSSIER_TABLE = Dossier._meta.db_table
COUNTER_TABLE = LookupFailure._meta.db_table


@pytest.fixture(params=["with a replica", "primary only"])
def mode(request, monkeypatch):
    """The tests of the pages in both deployments: with a replica (the tests' settings have one)
    the count is read first on the primary; without (the usual one), the look-up's own statement
    returns nothing to a blocked address."""
    if request.param == "primary only":
        monkeypatch.setattr(views, "replica_configured", lambda: False)
    return request.param


@pytest.fixture
def dossier(db):
    return received_dossier(applicant_id_number=ID_NUMBER, applicant_name="Vũ Thị Yến")


@pytest.fixture
def limit(settings):
    settings.MOTCUA_PORTAL_MAX_FAILURES = 3
    settings.MOTCUA_PORTAL_WINDOW_SECONDS = 900
    return 3


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def lookup(client, code, id_number, address="203.0.113.7"):
    return client.post(
        reverse("portal:lookup"), {"code": code, "id_number": id_number}, REMOTE_ADDR=address
    )


def rate(client, code, id_number, address="203.0.113.7"):
    data = {"code": code, "id_number": id_number, "value": "very_satisfied"}
    return client.post(reverse("portal:rate"), data, REMOTE_ADDR=address)


def fail(client, dossier, times, address="203.0.113.7"):
    for _ in range(times):
        response = lookup(client, dossier.code, "000000000000", address)
        assert response.status_code == 200
        assert 'id="not-found"' in response.content.decode()


def counters() -> dict[str, int]:
    return dict(LookupFailure.objects.values_list("address", "count"))


@pytest.mark.django_db
def test_after_the_limit_a_lookup_is_refused_with_429_and_reads_no_dossier(
    client, dossier, limit, clock, mode
):
    fail(client, dossier, limit)
    # Even the right ID number is refused now, and no dossier is read: with a replica the
    # dossier table is not even named; without, the look-up's statement returns no row.
    with CaptureQueriesContext(connection) as queries:
        response = lookup(client, dossier.code, ID_NUMBER)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert COUNTER_TABLE in sql
    if mode == "with a replica":
        assert DOSSIER_TABLE not in sql
    else:
        assert selectors._read(dossier.code, "203.0.113.7") == []
        assert selectors._read(dossier.code, "203.0.113.8") != []  # another address is served
    body = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert 'id="throttled"' in body
    assert "vui lòng thử lại sau 15 phút" in body  # Vietnamese, the default language
    assert 'id="lookup-result"' not in body and dossier.applicant_name not in body
    assert f'value="{dossier.code}"' in body  # the form is still there, with the code
    # A refused look-up does not count (nothing was looked up).
    assert counters() == {"203.0.113.7": limit}


@pytest.mark.django_db
def test_the_wait_shown_is_what_remains_of_the_window(client, dossier, limit, clock, mode):
    clock.move_to(START + dt.timedelta(minutes=5))
    fail(client, dossier, limit)
    clock.move_to(START + dt.timedelta(minutes=14, seconds=1))
    response = lookup(client, dossier.code, ID_NUMBER)
    assert response.status_code == 429
    assert response["Retry-After"] == "59"
    assert "vui lòng thử lại sau 1 phút" in response.content.decode()


@pytest.mark.django_db
def test_the_message_reads_in_english_too(client, dossier, limit, clock, english, mode):
    fail(client, dossier, limit)
    clock.move_to(START + dt.timedelta(minutes=3, seconds=30))
    body = lookup(client, dossier.code, ID_NUMBER).content.decode()
    assert "please try again in 12 minutes." in body


@pytest.mark.django_db
def test_the_block_ends_with_the_window(client, dossier, limit, clock, mode):
    fail(client, dossier, limit)
    clock.move_to(START + dt.timedelta(seconds=899))
    assert lookup(client, dossier.code, ID_NUMBER).status_code == 429
    clock.move_to(START + dt.timedelta(seconds=900))
    response = lookup(client, dossier.code, ID_NUMBER)
    assert response.status_code == 200
    assert 'id="lookup-result"' in response.content.decode()
    # A new window counts from zero: limit - 1 more failures are still allowed.
    fail(client, dossier, limit - 1)
    assert lookup(client, dossier.code, ID_NUMBER).status_code == 200


@pytest.mark.django_db
def test_successful_lookups_do_not_count(client, dossier, limit, clock, mode):
    for _ in range(limit * 2):
        assert 'id="lookup-result"' in lookup(client, dossier.code, ID_NUMBER).content.decode()
    assert counters() == {}
    fail(client, dossier, limit - 1)
    assert lookup(client, dossier.code, ID_NUMBER).status_code == 200
    assert counters() == {"203.0.113.7": limit - 1}


@pytest.mark.django_db
def test_an_incomplete_form_does_not_count(client, dossier, limit, clock, mode):
    for _ in range(limit + 1):
        assert lookup(client, dossier.code, "").status_code == 200
    assert counters() == {}


@pytest.mark.django_db
def test_addresses_are_counted_separately(client, dossier, limit, clock, mode):
    fail(client, dossier, limit, address="203.0.113.7")
    fail(client, dossier, limit - 1, address="2001:db8::1")
    assert lookup(client, dossier.code, ID_NUMBER, address="203.0.113.7").status_code == 429
    assert lookup(client, dossier.code, ID_NUMBER, address="2001:db8::1").status_code == 200
    assert lookup(client, dossier.code, ID_NUMBER, address="198.51.100.2").status_code == 200
    assert counters() == {"203.0.113.7": limit, "2001:db8::1": limit - 1}


@pytest.mark.django_db
def test_the_page_itself_stays_open_while_lookups_are_refused(client, dossier, limit, clock, mode):
    fail(client, dossier, limit)
    response = client.get(reverse("portal:lookup"), {"code": dossier.code})
    assert response.status_code == 200


@pytest.mark.django_db
def test_failed_ratings_count_and_ratings_are_refused_after_the_limit(
    client, dossier, limit, clock, mode
):
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 23, 10, 0))
    for _ in range(limit):
        assert rate(client, dossier.code, "000000000000").status_code == 400
    assert counters() == {"203.0.113.7": limit}
    with CaptureQueriesContext(connection) as queries:
        response = rate(client, dossier.code, ID_NUMBER)
    assert response.status_code == 429
    assert 'id="throttled"' in response.content.decode()
    if mode == "with a replica":
        assert DOSSIER_TABLE not in " ".join(q["sql"] for q in queries.captured_queries)
    else:
        assert selectors._read(dossier.code, "203.0.113.7") == []
    assert not Rating.objects.filter(dossier=dossier).exists()
    # The look-up page shares the counter.
    assert lookup(client, dossier.code, ID_NUMBER).status_code == 429
    # Another address may still rate.
    assert rate(client, dossier.code, ID_NUMBER, address="198.51.100.2").status_code == 200
    assert Rating.objects.filter(dossier=dossier).count() == 1


@pytest.mark.django_db
def test_failed_lookups_block_the_rating_form(client, dossier, limit, clock, mode):
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 23, 10, 0))
    fail(client, dossier, limit)
    assert rate(client, dossier.code, ID_NUMBER).status_code == 429
    assert not Rating.objects.filter(dossier=dossier).exists()


@pytest.mark.django_db
def test_the_count_is_in_the_database_shared_by_every_client_and_process(
    dossier, limit, clock, mode
):
    # Separate clients (no shared cookie or session) stand for separate worker processes: the
    # only thing they share is the database row of the address and window.
    first, second = Client(), Client()
    fail(first, dossier, 2)
    fail(second, dossier, 1)
    row = LookupFailure.objects.get()
    assert (row.address, row.window_start, row.count) == (
        "203.0.113.7",
        dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC),
        3,
    )
    assert lookup(Client(), dossier.code, ID_NUMBER).status_code == 429


@pytest.mark.django_db
def test_rows_of_finished_windows_are_pruned_on_write(client, dossier, limit, clock, mode):
    fail(client, dossier, 2, address="203.0.113.7")
    fail(client, dossier, 1, address="198.51.100.2")
    clock.move_to(START + dt.timedelta(minutes=16))
    # Counting again in the current window touches nothing old...
    fail(client, dossier, 1, address="192.0.2.1")
    assert counters() == {"192.0.2.1": 1}
    # ...and later failures in the same window only increment.
    fail(client, dossier, 1, address="192.0.2.1")
    assert LookupFailure.objects.get().window_start == dt.datetime(
        2026, 11, 24, 3, 15, tzinfo=dt.UTC
    )
    assert counters() == {"192.0.2.1": 2}


@pytest.mark.django_db
def test_a_row_created_by_another_worker_meanwhile_is_incremented(limit, clock, monkeypatch):
    # Another worker inserts the window's row between this one's UPDATE (no row) and INSERT: the
    # INSERT hits the unique constraint, its savepoint is rolled back, and the UPDATE runs again.
    real = throttle._increment
    calls = []

    def raced(*, address, start):
        calls.append(address)
        if len(calls) == 1:
            LookupFailure.objects.create(address=address, window_start=start, count=1)
            return False
        return real(address=address, start=start)

    monkeypatch.setattr(throttle, "_increment", raced)
    throttle.lookup_failure_record(address="203.0.113.7")
    assert len(calls) == 2
    assert counters() == {"203.0.113.7": 2}
    assert throttle.lookup_failures(address="203.0.113.7") == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(limit):
    """Real concurrent writers, each on its own connection (threads here, processes in
    production). SQLite needs a file database for this (writers on the shared-cache in-memory
    test database get "table is locked" instead of waiting), so on the default in-memory test
    database the test runs itself again in a subprocess on a temporary file."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        _rerun_on_a_file_database("test_concurrent_failures_are_all_counted")
        return
    workers, each = 4, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work():
        try:
            barrier.wait()
            for _ in range(each):
                throttle.lookup_failure_record(address="203.0.113.7", at=START)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert throttle.lookup_failures(address="203.0.113.7", at=START) == workers * each
    assert LookupFailure.objects.count() == 1


def _rerun_on_a_file_database(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TEST_SQLITE_NAME": str(Path(tmp) / "throttle.sqlite3")}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "pytest", f"{__file__}::{name}", "-q"]
        result = subprocess.run(
            [*command, "-p", "no:cacheprovider", "--nomigrations"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
