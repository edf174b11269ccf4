"""Benchmark: outbound delivery to the national portal, messages/s (integration.md §1–2).

Run from the project root: ``.venv/bin/python benchmarks/bench_sync_outbound.py [DOSSIERS]``.
Creates a throwaway PostgreSQL database ``motcua_bench_sync`` (server from ``BENCH_PG_URL``,
default ``postgres://postgres@127.0.0.1:5432``), migrates it, starts the fake national portal of
the tests (``tests/integrations/fakes.py``, a real HTTP server) in its own process on 127.0.0.1,
receives DOSSIERS (default 3,000) dossiers and assigns each through the dossier services (each
writes a DongBoHoSoMC and a CapNhatTienDoHoSoMC: 4 messages per dossier), then times
``delivery.run(until_idle=True)`` — the loop of ``motcua sync --until-idle`` — until every
message is sent. Checks that the portal received every item with no ordering violation.
Exits 1 below 1,000 messages/s or on any mismatch.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

TARGET = 1_000
DOSSIERS = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000
DB = "motcua_bench_sync"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(*, drop_only: bool = False) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB}"')


def main() -> int:
    recreate_database()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DB}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MOTCUA_NATIONAL_URL": f"http://127.0.0.1:{port}",
        "MOTCUA_NATIONAL_USER": "motcua",
        "MOTCUA_NATIONAL_PASSWORD": "secret",
        "MOTCUA_NATIONAL_UNIT": "000.00.00.H99",
        "MOTCUA_EMAIL_NOTICES": "0",
        "MOTCUA_SYNC_BATCH": os.environ.get("MOTCUA_SYNC_BATCH", "500"),
    }
    peer = subprocess.Popen([sys.executable, "-m", "tests.integrations.fakes", str(port)], cwd=ROOT)
    try:
        subprocess.run([sys.executable, "-m", "motcua", "migrate", "-v", "0"], env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        from decimal import Decimal

        from django.utils import timezone

        from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure
        from motcua.dossiers import services
        from motcua.integrations import delivery
        from motcua.integrations.http import post_json
        from motcua.integrations.models import OutboxMessage

        level, _ = AgencyLevel.objects.get_or_create(
            code="provincial_agency", defaults={"name": "S"}
        )
        agency = Agency.objects.create(code="000.00.01.H97", name="Sở thử", level=level)
        procedure = Procedure.objects.create(
            code="7.000001", name="Thủ tục thử", field=Field.objects.create(name="Lĩnh vực"),
            processing_time=Decimal(5),
        )  # fmt: skip
        start = timezone.make_aware(dt.datetime(2026, 11, 23, 8, 0))
        t0 = time.perf_counter()
        for i in range(DOSSIERS):
            at = start + dt.timedelta(seconds=i)
            d = services.dossier_receive(
                actor=None, agency=agency, procedure=procedure, applicant_name=f"Người {i}", at=at
            )
            services.dossier_assign(dossier=d, actor=None, assignee=None, at=at)
        queued = OutboxMessage.objects.count()
        print(
            f"{DOSSIERS:,} dossiers with {queued:,} queued messages in {time.perf_counter() - t0:.1f} s"
        )
        t0 = time.perf_counter()
        code = delivery.run(until_idle=True)
        elapsed = time.perf_counter() - t0
        _status, stats = post_json(f"http://127.0.0.1:{port}/stats", {})
    finally:
        peer.terminate()
        peer.wait(10)
        from django.db import connections

        connections.close_all()
        recreate_database(drop_only=True)
    rate = queued / elapsed
    ok = code == 0 and stats["items"] >= queued and stats["violations"] == 0 and rate >= TARGET
    print(
        f"delivered {queued:,} messages in {elapsed:.2f} s -> {rate:,.0f} messages/s "
        f"(batch {env['MOTCUA_SYNC_BATCH']}, {os.environ.get('MOTCUA_SYNC_WORKERS', '4')} workers); "
        f"portal: {stats['items']:,} items, {stats['repeats']} repeats, "
        f"{stats['violations']} ordering violations, {stats['dossiers']:,} dossiers"
    )
    print(f"target >= {TARGET:,} messages/s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
