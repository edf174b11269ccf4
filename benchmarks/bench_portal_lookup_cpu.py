"""Benchmark: CPU per portal look-up, in process (no HTTP server): a short loop of
``POST /portal/`` through the WSGI application gunicorn serves (``config.wsgi.application``,
called with the request a browser sends: the form, its CSRF token and the ``csrftoken`` cookie),
on a throwaway SQLite file (or PostgreSQL).

Run from the project root: ``.venv/bin/python benchmarks/bench_portal_lookup_cpu.py
[--seconds 2] [--profile] [--backend sqlite|postgres]``. It migrates a temporary database, makes
one dossier with a realistic history (received, assigned, a supplement asked and received, an
apology, resolved, delivered by post) and one online submission, then posts look-ups (the
dossier's code and ID number; the submission's tracking code and secret) for ``--seconds`` and
prints the CPU time per request (``time.process_time``), requests per CPU-second and the SQL
statements of one look-up. Every answer must be 200 and show the dossier. ``--profile`` prints
the 25 costliest functions (cProfile, timed in CPU time: waiting for PostgreSQL is not
counted; ``BENCH_SORT=tottime`` and ``BENCH_TOP=60`` change the listing; ``BENCH_PROFILE_WALL=1``
times it by the wall clock, cheaper to read, which counts the waits for PostgreSQL too). ``--rounds N`` measures N rounds of ``--seconds`` each
and prints their best and median (steadier on a shared machine). The HTTP benchmark is
``bench_portal_http.py``. ``--compare`` alternates, round by round in one process, the served
application (the fast path, portal/fastpath.py) and its lean handler alone (Django's handler
with the lean chain, as before the fast path): the steadiest before/after on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
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
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(50))  # DEBUG=0 needs one
    if database_url.startswith("postgres"):
        os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # as bench_portal_http.py serves it
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


def _loop(
    forms: list[dict[str, str]], seconds: float, profile: bool, rounds: int, compare: bool = False
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.wsgi import application as served
    from tests.wsgi_environ import browser_environ

    token = secrets.token_hex(16)  # 32 characters, as Django's own CSRF secret
    application = served

    def post(form: dict[str, str]) -> tuple[str, bytes]:
        status: list[str] = []
        environ = browser_environ(
            form={"csrfmiddlewaretoken": token, **form},
            cookies={"csrftoken": token},
            address="127.0.0.1",
            host="127.0.0.1",
        )
        answer = application(environ, lambda s, h, e=None: status.append(s))
        try:
            return status[0], b"".join(answer)
        finally:
            answer.close()  # request_finished, as gunicorn does

    for form in forms:  # warm-up, and the statements of one look-up
        post(form)
        with CaptureQueriesContext(connection) as queries:
            status, body = post(form)
        assert status.startswith("200") and b'id="lookup-result"' in body, status
        print(f"{form['code']}: {len(queries)} SQL statements, {len(body)} bytes")
        for q in queries.captured_queries:
            print("   ", q["sql"][:160])
    profiler = None
    if profile:
        import cProfile

        # CPU time, not wall time: a wait for PostgreSQL's answer is not the worker's work.
        clock = time.perf_counter if os.environ.get("BENCH_PROFILE_WALL") else time.process_time
        profiler = cProfile.Profile(clock)
        profiler.enable()
    per_request: list[float] = []
    total = 0

    def one_round() -> tuple[float, int]:
        n, started, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - started < seconds:
            status, _body = post(forms[n % len(forms)])
            assert status.startswith("200"), status
            n += 1
        return (time.process_time() - cpu) / n, n

    if compare:  # the served application and its lean handler, round by round, one process
        handlers = {"served (fast path)": served, "lean handler": served.lean}
        figures: dict[str, list[float]] = {name: [] for name in handlers}
        for _ in range(rounds):
            for name, handler in handlers.items():
                application = handler
                figures[name].append(one_round()[0])
        for name, values in figures.items():
            print(
                f"{name}: {statistics.median(values) * 1000:.3f} ms CPU per look-up (median of "
                f"{rounds}; best {min(values) * 1000:.3f} ms)"
            )
        ratio = min(figures["served (fast path)"]) / min(figures["lean handler"])
        print(f"best against best: {ratio:.2f}; load average {os.getloadavg()[0]:.1f}")
        return
    for _ in range(rounds):
        cpu, n = one_round()
        per_request.append(cpu)
        total += n
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            int(os.environ.get("BENCH_TOP", "25"))
        )
    best, median = min(per_request), statistics.median(per_request)
    print(
        f"{total} look-ups in {rounds} round(s): {median * 1000:.3f} ms CPU each (median; best "
        f"{best * 1000:.3f} ms), {1 / median:.0f} per CPU-second; load average "
        f"{os.getloadavg()[0]:.1f}; code: {ROOT}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    if args.backend == "postgres":
        import psycopg

        server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        name = os.environ.get("BENCH_DB", "motcua_bench_lookup_cpu")
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        _setup(server.rsplit("/", 1)[0] + "/" + name)
    else:
        folder = tempfile.mkdtemp(prefix="motcua-lookup-")
        _setup(f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="motcua-lookup-media-"))
    _loop(_data(), args.seconds, args.profile, max(1, args.rounds), args.compare)


if __name__ == "__main__":
    main()
