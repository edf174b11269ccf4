"""Benchmark: CPU per online filing with a 1 MB PDF, in process (no HTTP server): the WSGI
handler (``config.wsgi.application``, the whole middleware stack) called with the very request
bytes that ``bench_portal_http.py`` posts (multipart form, CSRF cookie and token, one 1 MB PDF).

Run from the project root: ``.venv/bin/python benchmarks/bench_portal_filing_cpu.py
[--seconds 3] [--profile] [--backend postgres|sqlite]``. It creates a throwaway database
(PostgreSQL ``motcua_bench_filing_cpu`` by default, server from ``BENCH_PG_URL``) with the HTTP
benchmark's fixture (one commune, one fully online procedure asking for one document), posts one
filing and prints its SQL statements, then files for ``--seconds`` and prints the CPU time per
filing of this process (``time.process_time``) and, on PostgreSQL, of the backend serving it
(``/proc/<pid>/stat``; the server must be on this machine). Every answer must be a 201 showing
the tracking code, and every 201 must have left one dossier, one submission and one file.
``--profile`` prints the costliest functions (cProfile; ``BENCH_SORT``, ``BENCH_TOP``).
``BENCH_ROOT=/path/to/checkout`` measures another checkout (its code, this script) for a
before/after ratio in the same run.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
HZ = os.sysconf("SC_CLK_TCK")
DB = "motcua_bench_filing_cpu"


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def _gc_timer() -> list:
    """[CPU seconds spent in the cyclic garbage collector, collections], kept up to date."""
    import gc

    spent: list = [0.0, 0]
    started = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            spent[0] += time.process_time() - started[0]
            spent[1] += 1

    gc.callbacks.append(callback)
    return spent


def _environ(path: str, body: bytes, boundary: str, token: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"csrftoken={token}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args()
    server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    folder = tempfile.mkdtemp(prefix="motcua-filing-cpu-")
    if args.backend == "postgres":
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB}"')
        url = f"{server}/{DB}"
    else:
        url = f"sqlite:///{folder}/bench.sqlite3"
    env = {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "MEDIA_ROOT": f"{folder}/media",
        "MOTCUA_PORTAL_MAX_FAILURES": "1000000",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    argv, sys.argv = sys.argv, sys.argv[:1]  # bench_reception_http reads its own argv
    import bench_portal_http as http

    sys.argv = argv
    http.ROOT = ROOT
    try:
        code, (agency_id, document_id) = http.prepare(env)
        return _run(args, code, agency_id, document_id)
    finally:
        from django.db import connections

        connections.close_all()
        if args.backend == "postgres":
            import psycopg

            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def _run(args, code: str, agency_id: int, document_id: int) -> int:
    import bench_portal_http as http
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.wsgi import application

    token = secrets.token_hex(16)
    body, boundary = http.filing_body(agency_id, document_id, token)
    path = f"/portal/procedures/{code}/file/"

    def post() -> bytes:
        status: list[str] = []
        chunks = application(_environ(path, body, boundary, token), lambda s, h: status.append(s))
        content = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if not status[0].startswith("201") or b'"tracking-code"' not in content:
            raise RuntimeError(f"not filed: {status[0]} {content[:2000]!r}")
        return content

    post()  # warm-up: the memo, templates
    with CaptureQueriesContext(connection) as queries:
        page = post()
    print(f"one filing: {len(queries)} SQL statements, a {len(page):,}-byte page")
    for q in queries.captured_queries:
        print("   ", q["sql"][:150])
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
        profiler.enable()
    gc_cpu = _gc_timer()
    n, load = 0, os.getloadavg()[0]
    started, cpu, db_cpu = time.perf_counter(), time.process_time(), _backend_cpu(pid)
    while time.perf_counter() - started < args.seconds:
        post()
        n += 1
    cpu, db_cpu = time.process_time() - cpu, _backend_cpu(pid) - db_cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            int(os.environ.get("BENCH_TOP", "40"))
        )
    from motcua.dossiers.models import Dossier, DossierFile
    from motcua.portal.models import OnlineSubmission

    counts = (
        Dossier.objects.count(),
        OnlineSubmission.objects.count(),
        DossierFile.objects.count(),
    )
    consistent = counts[0] == counts[1] == counts[2] == n + 2
    print(
        f"code: {ROOT}; {connection.vendor}; {n} filings of 1 MB in {args.seconds:.0f} s: "
        f"CPU per filing {cpu / n * 1000:.2f} ms in this process (of which the cyclic GC "
        f"{gc_cpu[0] / n * 1000:.2f} ms, {gc_cpu[1]} collections)"
        + (f", {db_cpu / n * 1000:.2f} ms in PostgreSQL" if pid else "")
        + f"; load average {load:.1f}; database: {counts[0]} dossiers, {counts[1]} submissions, "
        f"{counts[2]} files{'' if consistent else ' -- MISMATCH'}"
    )
    return 0 if consistent else 1


if __name__ == "__main__":
    sys.exit(main())
