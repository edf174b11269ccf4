"""Benchmark: CPU per portal look-up, in process (no HTTP server): a short loop of
``POST /portal/`` through Django's test client, on a throwaway SQLite file (or PostgreSQL).

Run from the project root: ``.venv/bin/python benchmarks/bench_portal_lookup_cpu.py
[--seconds 2] [--profile] [--backend sqlite|postgres]``. It migrates a temporary database, makes
one dossier with a realistic history (received, assigned, a supplement asked and received, an
apology, resolved, delivered by post) and one online submission, then posts look-ups (the
dossier's code and ID number; the submission's tracking code and secret) for ``--seconds`` and
prints the CPU time per request (``time.process_time``), requests per CPU-second and the SQL
statements of one look-up. Every answer must be 200 and show the dossier. ``--profile`` prints
the 25 costliest functions (cProfile). The HTTP benchmark is ``bench_portal_http.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# BENCH_ROOT: measure another checkout (e.g. the main branch, for a before/after ratio).
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _data() -> list[dict[str, str]]:
    import datetime as dt

    from motcua.catalog.choices import OnlineClass
    from motcua.catalog.models import ProcedureAssignment, RequiredDocument
    from motcua.dossiers import services
    from motcua.portal.services import online_filing_submit
    from tests.catalog.factories import AgencyFactory, ProcedureFactory
    from tests.dossiers.factories import local, received_dossier, staff

    agency = AgencyFactory(name="UBND xã Mường Lát")
    procedure = ProcedureFactory(
        name="Đăng ký hộ kinh doanh", online_class=OnlineClass.FULL, postal_return=True
    )
    ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    RequiredDocument.objects.create(
        procedure=procedure, position=1, name="Giấy đề nghị", mandatory=False
    )
    at = local(2026, 11, 23, 9)
    d = received_dossier(agency=agency, procedure=procedure, at=at)
    s = staff(d)
    hour = dt.timedelta(hours=1)
    services.dossier_assign(dossier=d, actor=s, assignee=s, at=at + hour)
    services.dossier_supplement_request(
        dossier=d, actor=s, reason="thiếu bản sao", at=at + 2 * hour
    )
    services.dossier_supplement_receive(dossier=d, actor=s, at=at + 3 * hour)
    services.dossier_apologize(
        dossier=d, actor=s, new_due_at=local(2026, 12, 30, 9), reason="chờ xác minh",
        at=at + 4 * hour,
    )  # fmt: skip
    services.dossier_resolve(dossier=d, actor=s, at=at + 5 * hour)
    services.dossier_deliver(dossier=d, actor=s, delivery_channel="counter", at=at + 6 * hour)
    _filed, submission, secret = online_filing_submit(
        procedure=procedure,
        agency=agency,
        applicant={"applicant_name": "Trần Thị B", "applicant_id_number": "001090000002"},
        delivery_channel="counter",
        files={},
    )
    return [
        {"code": d.code, "id_number": d.applicant_id_number},
        {"code": submission.reference, "id_number": secret},
    ]


def _loop(forms: list[dict[str, str]], seconds: float, profile: bool) -> None:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=False)

    def post(form: dict[str, str]):  # as a browser sends the form
        kind = "application/x-www-form-urlencoded"
        return client.post("/portal/", urlencode(form), content_type=kind)

    for form in forms:  # warm-up, and the statements of one look-up
        with CaptureQueriesContext(connection) as queries:
            response = post(form)
        assert response.status_code == 200 and b'id="lookup-result"' in response.content
        print(f"{form['code']}: {len(queries)} SQL statements, {len(response.content)} bytes")
        for q in queries.captured_queries:
            print("   ", q["sql"][:160])
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    n, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        response = post(forms[n % len(forms)])
        assert response.status_code == 200
        n += 1
    cpu = time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            int(os.environ.get("BENCH_TOP", "25"))
        )
    print(f"{n} look-ups, {cpu / n * 1000:.2f} ms CPU each, {n / cpu:.0f} per CPU-second")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.backend == "postgres":
        import psycopg

        server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        name = "motcua_bench_lookup_cpu"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        _setup(server.rsplit("/", 1)[0] + "/" + name)
    else:
        folder = tempfile.mkdtemp(prefix="motcua-lookup-")
        _setup(f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="motcua-lookup-media-"))
    _loop(_data(), args.seconds, args.profile)


if __name__ == "__main__":
    main()
