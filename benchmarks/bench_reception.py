"""Benchmark: dossier receptions per second through ``services.dossier_receive``.

Run from the project root: ``.venv/bin/python benchmarks/bench_reception.py``.
Each backend runs in its own process on a throwaway database:
- SQLite: a temporary file (WAL, BEGIN IMMEDIATE, as deployed);
- PostgreSQL: database ``motcua_bench`` created and dropped on the server of
  ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``); skipped when the
  server cannot be reached.
Two figures per backend: one writer, then 4 writer processes receiving at the same agency on
the same day (every reception allocates the next code under the sequence lock). The codes are
checked to be gapless. Exits non-zero when one writer is below TARGET_PER_SECOND.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND = 25
SEQUENTIAL = 1000
WRITERS = 4
EACH = 250
OFFICER = "bench-counter"


def _setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _receive_many(agency_id: int, procedure_id: int, count: int, day: int) -> float:
    """Receive ``count`` dossiers; returns the elapsed seconds."""
    import datetime as dt

    from django.db import connections
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.dossiers import services

    officer = User.objects.get(username=OFFICER)  # a counter officer of the agency
    at = timezone.make_aware(dt.datetime(2026, 11, day, 9, 0))
    started = time.perf_counter()
    for i in range(count):
        services.dossier_receive(
            actor=officer,
            agency=agency_id,
            procedure=procedure_id,
            applicant_name=f"Người nộp {i}",
            applicant_id_number=f"{i:012d}",
            at=at,
        )
    elapsed = time.perf_counter() - started
    connections.close_all()
    return elapsed


def _worker(args: tuple[int, int, int, int]) -> float:
    return _receive_many(*args)


def run_backend(label: str, database_url: str) -> float:
    """Migrate, then time the receptions; returns receptions per second for one writer."""
    _setup_django(database_url)
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connections

    from motcua.accounts.models import Membership, User
    from motcua.catalog.choices import Role
    from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure
    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    level = AgencyLevel.objects.get_or_create(code="bench", defaults={"name": "Bench"})[0]
    agency = Agency.objects.create(code="000.00.99.H23", name="Bench agency", level=level)
    field = Field.objects.create(name="Bench field")
    procedure = Procedure.objects.create(
        code="BENCH.1", name="Bench procedure", field=field, processing_time=Decimal(10)
    )
    officer = User.objects.create(username=OFFICER)
    Membership.objects.create(user=officer, agency=agency, role=Role.COUNTER_OFFICER)
    _receive_many(agency.pk, procedure.pk, 20, 20)  # warm-up (calendar, connections)

    cpu = time.process_time()
    seconds = _receive_many(agency.pk, procedure.pk, SEQUENTIAL, 23)
    cpu_ms = (time.process_time() - cpu) * 1000 / SEQUENTIAL
    one = SEQUENTIAL / seconds
    print(
        f"{label}: 1 writer    {SEQUENTIAL} receptions in {seconds:.2f} s = {one:.0f}/s "
        f"({cpu_ms:.1f} ms of Python CPU each; load average {os.getloadavg()[0]:.1f})"
    )

    connections.close_all()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(WRITERS) as pool:
        pool.map(_worker, [(agency.pk, procedure.pk, EACH, 24)] * WRITERS)
    seconds = time.perf_counter() - started
    total = WRITERS * EACH
    many = total / seconds
    print(f"{label}: {WRITERS} writers   {total} receptions in {seconds:.2f} s = {many:.0f}/s")

    for day, count in ((23, SEQUENTIAL), (24, total)):
        codes = sorted(
            Dossier.objects.filter(code__contains=f"-2611{day}-").values_list("code", flat=True)
        )
        expected = [f"000.00.99.H23-2611{day}-{n:04d}" for n in range(1, count + 1)]
        assert codes == expected, f"codes of 2026-11-{day} are not gapless"
    print(f"{label}: codes checked: distinct and gapless")
    connections.close_all()
    return one


def child(backend: str) -> int:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            one = run_backend("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
        return 0 if one >= TARGET_PER_SECOND else 1
    admin_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    import psycopg

    try:
        admin = psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped ({exc.__class__.__name__}: server not reachable)")
        return 0
    admin.execute("DROP DATABASE IF EXISTS motcua_bench")
    admin.execute("CREATE DATABASE motcua_bench")
    try:
        url = admin_url.rsplit("/", 1)[0] + "/motcua_bench"
        one = run_backend("PostgreSQL", url)
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute("DROP DATABASE IF EXISTS motcua_bench WITH (FORCE)")
        admin.close()
    return 0 if one >= TARGET_PER_SECOND else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.backend:
        return child(args.backend)
    status = 0
    for backend in ("sqlite", "postgres"):
        result = subprocess.run(
            [sys.executable, __file__, "--backend", backend], cwd=ROOT, check=False
        )
        status = status or result.returncode
    print(f"target: {TARGET_PER_SECOND} receptions/s for one writer")
    return status


if __name__ == "__main__":
    sys.exit(main())
