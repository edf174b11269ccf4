"""Codes under concurrent receptions: distinct and gapless, per agency per day.

PostgreSQL: 8 writers × 500 receptions through ``dossier_receive`` give 4,000 codes
0001…4000. SQLite: a smaller run (4 × 50). Each writer thread has its own connection.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierCodeSequence, DossierEvent
from motcua.dossiers.services import reception
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, local, staff

AT = local(2026, 11, 23, 9, 0)


def receive_concurrently(*, writers: int, each: int) -> tuple[list[str], list[BaseException]]:
    agency = AgencyFactory(code="000.00.02.H23")
    procedure = ProcedureFactory(processing_time=Decimal(5))
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(writers)
    # made before the threads start: staff() creates the user, then its memberships, and a
    # writer that read the user between the two was refused (a race of the test, not the code)
    actor = staff(agency.pk)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                d = services.dossier_receive(
                    actor=actor,
                    agency=agency.pk,
                    procedure=procedure.pk,
                    applicant_name=f"Writer {n} #{i}",
                    at=AT,
                )
                with lock:
                    codes.append(d.code)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes, errors


def assert_gapless(codes: list[str], total: int) -> None:
    expected = [f"000.00.02.H23-261123-{n:04d}" for n in range(1, total + 1)]
    assert sorted(codes) == expected
    assert sorted(Dossier.objects.values_list("code", flat=True)) == expected
    assert DossierEvent.objects.count() == total
    assert DossierCodeSequence.objects.get().last == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_8_writers_500_receptions_each():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    codes, errors = receive_concurrently(writers=8, each=500)
    assert errors == []
    assert_gapless(codes, 8 * 500)


def _sqlite_in_memory() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_sqlite_4_writers_50_receptions_each():
    """Needs a file database: writers on a shared-cache in-memory database get "table is
    locked" instead of waiting. With the default in-memory test database the test runs itself
    again in a subprocess on a temporary file (TEST_SQLITE_NAME)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant")
    if _sqlite_in_memory():
        _rerun_on_a_file_database("test_sqlite_4_writers_50_receptions_each")
        return
    codes, errors = receive_concurrently(writers=4, each=50)
    assert errors == []
    assert_gapless(codes, 4 * 50)


def _rerun_on_a_file_database(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TEST_SQLITE_NAME": str(Path(tmp) / "codes.sqlite3")}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                f"{__file__}::{name}",
                "-q",
                "-p",
                "no:cacheprovider",
                "--nomigrations",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_failed_reception_gives_its_number_back(monkeypatch):
    agency = AgencyFactory(code="X")
    procedure = ProcedureFactory()
    first = services.dossier_receive(
        actor=staff(agency), agency=agency, procedure=procedure, applicant_name="A", at=AT
    )

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(reception, "_make_checklist", broken)  # fails after the allocation
        with pytest.raises(RuntimeError):
            services.dossier_receive(
                actor=staff(agency), agency=agency, procedure=procedure, applicant_name="B", at=AT
            )
    third = services.dossier_receive(
        actor=staff(agency), agency=agency, procedure=procedure, applicant_name="C", at=AT
    )
    assert (first.code, third.code) == ("X-261123-0001", "X-261123-0002")
    assert Dossier.objects.count() == DossierEvent.objects.count() == 2
