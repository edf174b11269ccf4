"""Benchmark: the event hash chain — its cost per reception, and ``audit verify`` throughput.

Run from the project root: ``.venv/bin/python benchmarks/bench_audit.py [--events N]``;
``--part cost`` runs only the reception A/B (chain on/off) on both backends, ``--part verify``
only the verify part; ``--rounds`` / ``--per-round`` size the A/B; ``--database`` names the
PostgreSQL database it creates and drops (default ``motcua_bench_audit``).

1. Cost per reception (SQLite temporary file and the PostgreSQL database):
   ``services.dossier_receive`` timed in rounds of 300, alternating the real chain with the
   hash replaced by a constant (same process, same database; which goes first alternates),
   and ``hash_of`` alone on a reception's event.
2. Verify (PostgreSQL): N events (default 1,000,000; 4 per dossier, payloads like the
   services' of ~250 bytes) written by COPY with their chained hashes, then
   ``verify()`` over all of them, timed; must report nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 6
PER_ROUND = 300


def _setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _catalogue():
    from decimal import Decimal

    from django.core.management import call_command

    from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure

    call_command("migrate", verbosity=0)
    level = AgencyLevel.objects.get_or_create(code="bench", defaults={"name": "Bench"})[0]
    agency = Agency.objects.create(code="000.00.98.H23", name="Bench agency", level=level)
    field = Field.objects.create(name="Bench field")
    procedure = Procedure.objects.create(
        code="BENCH.A", name="Bench procedure", field=field, processing_time=Decimal(10)
    )
    return agency, procedure


def reception_cost(label: str) -> None:
    from django.utils import timezone

    from motcua.dossiers import services
    from motcua.dossiers.audit import hash_of
    from motcua.dossiers.permissions import DEMO
    from motcua.dossiers.services import common

    agency, procedure = _catalogue()
    at = timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0))

    def run(count: int) -> float:
        started = time.perf_counter()
        for i in range(count):
            services.dossier_receive(
                actor=DEMO,
                agency=agency.pk,
                procedure=procedure.pk,
                applicant_name=f"Người nộp {i}",
                applicant_id_number=f"{i:012d}",
                at=at,
            )
        return (time.perf_counter() - started) / count * 1000

    run(min(50, PER_ROUND))  # warm-up
    real = common.hash_of
    with_chain, without = [], []
    for round_ in range(ROUNDS):  # alternate which goes first: the machine's load drifts
        for chained in (True, False) if round_ % 2 == 0 else (False, True):
            common.hash_of = real if chained else (lambda event, previous: "0" * 64)
            try:
                (with_chain if chained else without).append(run(PER_ROUND))
            finally:
                common.hash_of = real
    event = services.dossier_receive(
        actor=DEMO, agency=agency.pk, procedure=procedure.pk, applicant_name="X", at=at
    ).events.get()
    n = max(100, min(20000, 60 * PER_ROUND))
    started = time.perf_counter()
    for _ in range(n):
        hash_of(event, "")
    alone = (time.perf_counter() - started) / n * 1e6
    a, b = statistics.median(with_chain), statistics.median(without)
    print(
        f"{label}: reception {a:.3f} ms with the chain, {b:.3f} ms without (median of "
        f"{ROUNDS} rounds of {PER_ROUND}): {100 * (a - b) / b:+.1f}%; hash_of alone "
        f"{alone:.1f} µs; load average {os.getloadavg()[0]:.1f}"
    )


def verify_throughput(total: int) -> None:
    from django.db import connection, transaction

    from motcua.dossiers.audit import GENESIS, event_hash
    from motcua.dossiers.interchange.bulkwrite import insert_rows
    from motcua.dossiers.interchange.pgstream import reserve_ids
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.ops.auditchain import verify

    agency, procedure = _catalogue()
    per = 4
    dossiers = total // per
    steps = [("", "received", "receive"), ("received", "in_process", "assign")]
    steps += [("in_process", "resolved", "resolve"), ("resolved", "delivered", "deliver")]
    base = dt.datetime(2025, 1, 2, 2, 0, tzinfo=dt.UTC)
    started = time.perf_counter()
    chunk = 25_000
    for start in range(0, dossiers, chunk):
        count = min(chunk, dossiers - start)
        with transaction.atomic():
            ids = reserve_ids(Dossier, count)
            rows, events = [], []
            for k, pk in enumerate(ids):
                n = start + k
                received = base + dt.timedelta(minutes=n % 500_000)
                rows.append(
                    {
                        "id": pk,
                        "code": f"B-{n:09d}",
                        "agency_id": agency.pk,
                        "procedure_id": procedure.pk,
                        "channel": "direct",
                        "state": "delivered",
                        "received_at": received,
                    }
                )
                previous = GENESIS
                for seq, (before, after, kind) in enumerate(steps, start=1):
                    at = received + dt.timedelta(days=seq)
                    payload = {
                        "code": f"B-{n:09d}",
                        "agency_id": agency.pk,
                        "note": "Hồ sơ đầy đủ, đã kiểm tra thành phần",
                        "due_at": (received + dt.timedelta(days=10)).isoformat(),
                        "processing_time": "10",
                        "time_unit": "working_days",
                    }
                    previous = event_hash(
                        dossier_id=pk,
                        seq=seq,
                        type=kind,
                        at=at,
                        actor_id=None,
                        from_state=before,
                        to_state=after,
                        payload=payload,
                        previous=previous,
                    )
                    events.append(
                        {
                            "dossier_id": pk,
                            "seq": seq,
                            "type": kind,
                            "at": at,
                            "from_state": before,
                            "to_state": after,
                            "payload": payload,
                            "hash": previous,
                        }
                    )
            insert_rows(Dossier, rows)
            insert_rows(DossierEvent, events)
    written = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"verify: wrote {dossiers * per:,} events of {dossiers:,} dossiers in {written:.0f} s")
    cpu = time.process_time()
    started = time.perf_counter()
    problems = sum(1 for _ in verify())
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    rate = dossiers * per / seconds
    print(
        f"verify: {dossiers * per:,} events in {seconds:.1f} s = {rate:,.0f} events/s "
        f"({cpu:.1f} s of Python CPU); problems: {problems}; "
        f"load average {os.getloadavg()[0]:.1f}; 10M events at this rate: "
        f"{10_000_000 / rate / 60:.1f} min"
    )
    assert problems == 0


def main() -> int:
    global ROUNDS, PER_ROUND
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--part", choices=["cost", "cost-sqlite", "cost-postgres", "verify"])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="A/B rounds (each: on, off)")
    parser.add_argument("--per-round", type=int, default=PER_ROUND, help="receptions per round")
    parser.add_argument("--database", default="motcua_bench_audit", help="PostgreSQL database")
    args = parser.parse_args()
    ROUNDS, PER_ROUND = max(2, args.rounds), max(1, args.per_round)
    if args.part == "cost-sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            _setup_django(f"sqlite:///{tmp}/bench.sqlite3")
            reception_cost("SQLite")
        return 0
    if args.part in ("cost-postgres", "verify"):
        import psycopg

        admin_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        admin = psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True)
        name = psycopg.sql.Identifier(args.database)
        drop = psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
        admin.execute(drop)
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))
        try:
            _setup_django(admin_url.rsplit("/", 1)[0] + "/" + args.database)
            if args.part == "cost-postgres":
                reception_cost("PostgreSQL")
            else:
                verify_throughput(args.events)
        finally:
            from django.db import connections

            connections.close_all()
            admin.execute(drop)
        return 0
    import subprocess

    parts = ["cost-sqlite", "cost-postgres"]
    if args.part is None:
        parts.append("verify")
    for part in parts:
        command = [sys.executable, __file__, "--part", part, "--events", str(args.events)]
        command += ["--rounds", str(ROUNDS), "--per-round", str(PER_ROUND)]
        command += ["--database", args.database]
        subprocess.run(command, cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
