"""Benchmark: `motcua import dossiers` of 100,000 rows on PostgreSQL, a re-import, an export.

Run from the project root: ``.venv/bin/python benchmarks/bench_dossier_import.py [ROWS]``.
Creates a throwaway PostgreSQL database ``motcua_bench_import`` (server from
``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432``), migrates it, generates a
province (60 agencies, 200 procedures) and a dossier CSV file, imports it through
``import_dossiers`` and drops the database. Exits 1 below 20,000 rows/s for the first import.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import psycopg

TARGET_PER_SECOND = 20_000
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
DB = "motcua_bench_import"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
SEED = 20261123
HEADER = [
    "code",
    "agency_code",
    "procedure_code",
    "channel",
    "online_class",
    "received_at",
    "due_at",
    "outcome",
    "closed_at",
    "supplement_requested_at",
    "supplement_received_at",
    "delivered_at",
    "delivery_channel",
]


def recreate_database(*, drop_only: bool = False) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB}"')


def make_catalogue() -> tuple[list[str], dict[str, list[str]]]:
    from decimal import Decimal

    from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure, ProcedureAssignment

    province_level, _ = AgencyLevel.objects.get_or_create(code="province", defaults={"name": "P"})
    level, _ = AgencyLevel.objects.get_or_create(code="provincial_agency", defaults={"name": "S"})
    province = Agency.objects.create(code="000.00.00.H99", name="Tỉnh Thử", level=province_level)
    agencies = Agency.objects.bulk_create(
        [
            Agency(code=f"000.00.{i:02d}.H99", name=f"Sở {i}", level=level, parent=province)
            for i in range(1, 61)
        ]
    )
    field = Field.objects.create(name="Lĩnh vực thử")
    rng = random.Random(SEED)
    procedures = Procedure.objects.bulk_create(
        [
            Procedure(
                code=f"9.{i:06d}",
                name=f"Thủ tục {i}",
                field=field,
                processing_time=None if i % 25 == 0 else Decimal(rng.choice([1, 3, 5, 7, 10, 15])),
                one_way=i % 25 == 0,
                time_unit="working_hours" if i % 40 == 1 else "working_days",
                online_class=rng.choice(["partial", "full", "none"]),
            )
            for i in range(200)
        ]
    )
    by_agency: dict[str, list[str]] = {}
    assignments = []
    for n, procedure in enumerate(procedures):
        agency = agencies[n % len(agencies)]
        assignments.append(ProcedureAssignment(procedure=procedure, agency=agency))
        by_agency.setdefault(agency.code, []).append(procedure.code)
    ProcedureAssignment.objects.bulk_create(assignments)
    return [a.code for a in agencies], by_agency


def write_rows(path: Path, agencies: list[str], by_agency: dict[str, list[str]]) -> None:
    rng = random.Random(SEED)
    tz = dt.timezone(dt.timedelta(hours=7))
    start = dt.datetime(2021, 1, 4, 7, 30, tzinfo=tz)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for _ in range(ROWS):
            agency = rng.choice(agencies)
            procedure = rng.choice(by_agency[agency])
            one_way = int(procedure.split(".")[1]) % 25 == 0
            received = start + dt.timedelta(seconds=rng.randrange(0, 4 * 365 * 86400))
            received = received.replace(microsecond=0)
            outcome = rng.choices(
                ["pending", "resolved", "refused", "withdrawn", "stopped"], [10, 80, 4, 3, 3]
            )[0]
            closed = delivered = requested = resumed = ""
            if outcome != "pending":
                closed_at = received + dt.timedelta(hours=rng.randrange(1, 24 * 30))
                closed = closed_at.isoformat()
                if outcome == "resolved" and rng.random() < 0.7:
                    delivered = (closed_at + dt.timedelta(hours=rng.randrange(1, 96))).isoformat()
                if rng.random() < 0.1 and not one_way:
                    requested_at = received + (closed_at - received) / 3
                    requested = requested_at.isoformat()
                    resumed = (received + (closed_at - received) / 2).isoformat()
            channel = rng.choices(["direct", "online", "postal"], [45, 50, 5])[0]
            writer.writerow(
                [
                    "",
                    agency,
                    procedure,
                    channel,
                    "",
                    received.isoformat(),
                    "",
                    outcome,
                    closed,
                    requested,
                    resumed,
                    delivered,
                    "postal" if delivered and rng.random() < 0.1 else "",
                ]
            )


def backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend process, when the server is local
    (``/proc`` readable); None otherwise. Tells PostgreSQL's share of the work apart from
    Python's when the machine is loaded."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    recreate_database()
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.dossiers.interchange import export_dossiers, import_dossiers
    from motcua.dossiers.models import Dossier, DossierEvent, SupplementWait

    try:
        call_command("migrate", verbosity=0)
        agencies, by_agency = make_catalogue()
        folder = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
        path = folder / "dossiers.csv"
        write_rows(path, agencies, by_agency)

        load_before = os.getloadavg()[0]
        pg0 = backend_cpu_seconds()
        t0, c0 = time.perf_counter(), time.process_time()
        result = import_dossiers(path=path)
        first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        pg1 = backend_cpu_seconds()
        first_pg = None if pg0 is None or pg1 is None else pg1 - pg0
        t0 = time.perf_counter()
        again = import_dossiers(path=path)
        second = time.perf_counter() - t0
        t0 = time.perf_counter()
        with (folder / "export.csv").open("w", encoding="utf-8", newline="") as out:
            exported = export_dossiers(out=out)
        export_time = time.perf_counter() - t0
        t0 = time.perf_counter()
        round_trip = import_dossiers(path=folder / "export.csv")
        third = time.perf_counter() - t0
        counts = (Dossier.objects.count(), DossierEvent.objects.count())
        waits = SupplementWait.objects.count()
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(drop_only=True)

    rate = ROWS / first
    print(f"rows: {ROWS:,}; dossiers {counts[0]:,}, events {counts[1]:,}, waits {waits:,}")
    print(f"first import: {first:.2f} s -> {rate:,.0f} rows/s ({result})")
    print(f"  of which Python CPU time: {first_cpu:.2f} s ({ROWS / first_cpu:,.0f} rows/CPU-s)")
    if first_pg is not None:
        print(f"  PostgreSQL backend CPU time: {first_pg:.2f} s")
    print(
        f"  load average before / at the end: {load_before:.1f} / {os.getloadavg()[0]:.1f}", end=""
    )
    print(f" on {os.cpu_count()} CPUs")
    print(f"re-import: {second:.2f} s -> {ROWS / second:,.0f} rows/s ({again})")
    print(f"export: {export_time:.2f} s ({exported:,} rows)")
    print(f"import of the export: {third:.2f} s ({round_trip})")
    ok = rate >= TARGET_PER_SECOND
    print(f"target >= {TARGET_PER_SECOND:,} rows/s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
