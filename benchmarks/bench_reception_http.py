"""Benchmark: dossier receptions over HTTP (gunicorn + PostgreSQL), requests/s and latency.

Run from the project root: ``.venv/bin/python benchmarks/bench_reception_http.py [REQUESTS]``.
Creates a throwaway PostgreSQL database ``motcua_bench_http`` (server from ``BENCH_PG_URL``,
default ``postgres://postgres@127.0.0.1:5432``), migrates it, creates 20 agencies with a
procedure each and an official with an API token, starts gunicorn on 127.0.0.1 (``--workers``
from ``BENCH_WORKERS``, default 2 x CPUs + 1; worker class from ``BENCH_WORKER_CLASS``, default
``sync``: the kernel hands each new connection to an idle worker, which keeps the latency tail
short; ``gthread`` keeps connections alive but binds each to one worker), and posts
``POST /api/v1/dossiers/`` receptions over keep-alive connections. The load comes from ``wrk``
(Debian package ``wrk``, a C load generator with a Lua script that makes each body different)
when it is installed: ``BENCH_CONNECTIONS`` (default 16) connections for ``BENCH_SECONDS``
(default 20) seconds after a 6-second warm-up (each worker's first requests fill its memos). Without wrk, ``BENCH_CLIENTS`` (default 8) Python
client processes post ``REQUESTS`` (default 5,000) receptions after 200 warm-up requests; they
take a share of the same two cores. Afterwards the database is checked: as many dossiers and
``receive`` events as 201 responses, codes distinct. Reports requests/s and the p50/p95/p99
latency; exits 1 when below 500 requests/s, above 100 ms at p99, or on any error.

``BENCH_SYNC=1`` adds the national portal's synchronisation to the same load (integration.md,
issue 14: "the sync lag under the reception benchmark's load stays below 5 s"): the fake portal
of the tests runs in its own process, gunicorn queues DongBoHoSoMC + CapNhatTienDoHoSoMC with
every reception, and ``motcua sync`` (its own process) delivers them meanwhile. After the load
the script waits (up to 120 s) for the outbox to empty and reports the lag (queued → delivered)
of every message; it then also exits 1 when a message waited more than 5 s or was not delivered.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

TARGET_PER_SECOND = 500
TARGET_P99_MS = 100.0
REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
WARM_UP = 200
DB = "motcua_bench_http"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
CPUS = os.cpu_count() or 1
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * CPUS + 1)))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
AGENCIES = 20
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WRK = shutil.which("wrk")
SYNC = os.environ.get("BENCH_SYNC", "") not in ("", "0")
TARGET_LAG_S = 5.0

# wrk script: every request a different applicant, agencies in turn; counts non-201 answers.
WRK_SCRIPT = """
local counter = 0
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end
function init(args)
  key = args[1]
  bad = 0
end
function request()
  counter = counter + 1
  local i = counter % AGENCY_COUNT
  local body = string.format(
    '{"agency_code":"000.00.%02d.H97","procedure_code":"7.%06d","channel":"direct",' ..
    '"applicant_name":"Nguoi nop %d-%d","applicant_id_number":"%04d%08d"}',
    i, i, thread_id, counter, thread_id, counter)
  return wrk.format("POST", "/api/v1/dossiers/", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status ~= 201 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local notcreated = 0
  for _, thread in ipairs(threads) do notcreated = notcreated + thread:get("bad") end
  io.write(string.format("RESULT %d %f %f %f %f %d %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, notcreated,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
""".replace("AGENCY_COUNT", str(AGENCIES))
ROOT = Path(__file__).resolve().parent.parent


def recreate_database(*, drop_only: bool = False) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB}"')


def prepare(env: dict[str, str]) -> str:
    """Migrate, create the catalogue and an official; returns the API key."""
    subprocess.run([str(ROOT / ".venv/bin/motcua"), "migrate", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from decimal import Decimal

    from django.db import connections

    from motcua.accounts.models import Membership, User
    from motcua.accounts.tokens import api_token_create
    from motcua.catalog.choices import Role
    from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure, ProcedureAssignment

    level, _ = AgencyLevel.objects.get_or_create(code="provincial_agency", defaults={"name": "S"})
    field = Field.objects.create(name="Lĩnh vực thử")
    user = User.objects.create(username="bench", is_superuser=False)
    for i in range(AGENCIES):
        agency = Agency.objects.create(code=f"000.00.{i:02d}.H97", name=f"Sở {i}", level=level)
        procedure = Procedure.objects.create(
            code=f"7.{i:06d}", name=f"Thủ tục {i}", field=field, processing_time=Decimal(5)
        )
        ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
        Membership.objects.create(user=user, agency=agency, role=Role.COUNTER_OFFICER)
    _token, key = api_token_create(user=user, name="bench")
    connections.close_all()
    return key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def post_all(port: int, key: str, path: str, bodies) -> tuple[list[float], int]:
    """POSTs each JSON body on one keep-alive connection; returns latencies (s) and the number
    of answers that were not 201 (the other HTTP benchmarks use it too)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    latencies: list[float] = []
    errors = 0
    for body in bodies:
        t0 = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 201
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        latencies.append(time.perf_counter() - t0)
        errors += not ok
    conn.close()
    return latencies, errors


def client(args: tuple[int, str, int, int]) -> tuple[list[float], int]:
    """Posts ``count`` receptions on one keep-alive connection; returns latencies (s), errors."""
    port, key, count, seed = args
    bodies = (
        json.dumps(
            {
                "agency_code": f"000.00.{(seed + n) % AGENCIES:02d}.H97",
                "procedure_code": f"7.{(seed + n) % AGENCIES:06d}",
                "channel": "direct",
                "applicant_name": f"Người nộp {seed}-{n}",
                # a 12-digit citizen ID (province 001); seeds of 5 digits made 13-digit numbers
                # read as tax numbers with a bad check digit (422)
                "applicant_id_number": f"0010{seed % 100:02d}{n:06d}",
            }
        )
        for n in range(count)
    )
    return post_all(port, key, "/api/v1/dossiers/", bodies)


def run(port: int, key: str, total: int) -> tuple[float, list[float], int]:
    share = total // CLIENTS
    jobs = [(port, key, share, 10_000 * (c + 1) + total) for c in range(CLIENTS)]
    with multiprocessing.Pool(CLIENTS) as pool:
        t0 = time.perf_counter()
        results = pool.map(client, jobs)
        elapsed = time.perf_counter() - t0
    latencies = sorted(x for lat, _ in results for x in lat)
    return elapsed, latencies, sum(err for _, err in results)


def run_wrk(port: int, key: str, seconds: int, script: Path) -> dict[str, float]:
    """One wrk run; returns requests, seconds, p50/p95/p99 (ms) and errors."""
    threads = min(2, CONNECTIONS)
    out = subprocess.run(
        [
            WRK,
            "-t",
            str(threads),
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
            "--",
            key,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, duration, p50, p95, p99, bad, socket_errors = line.split()[1:]
    return {
        "requests": int(requests),
        "seconds": float(duration),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(bad) + int(socket_errors),
    }


def check_database(created: int) -> str:
    """Every 201 left one dossier and one receive event; codes are distinct."""
    with psycopg.connect(f"{SERVER}/{DB}") as conn:
        dossiers, codes, events = conn.execute(
            "SELECT count(*), count(DISTINCT code), "
            "(SELECT count(*) FROM dossiers_dossierevent WHERE type = 'receive') "
            "FROM dossiers_dossier"
        ).fetchone()
    ok = dossiers == codes == events and dossiers >= created
    return (
        f"database: {dossiers:,} dossiers, {codes:,} distinct codes, {events:,} receive events"
        + ("" if ok else " -- MISMATCH")
    )


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def sync_lag(timeout: float = 120.0) -> tuple[str, bool]:
    """Wait until the outbox is empty, then the lag of every message (queued → delivered)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(f"{SERVER}/{DB}", autocommit=True) as conn:
        while time.monotonic() < deadline:
            (waiting,) = conn.execute(
                "SELECT count(*) FROM integrations_outboxmessage WHERE status <> 'sent'"
            ).fetchone()
            if not waiting:
                break
            time.sleep(0.5)
        lags = sorted(
            float(row[0])
            for row in conn.execute(
                "SELECT extract(epoch FROM sent_at - created_at) FROM integrations_outboxmessage "
                "WHERE status = 'sent'"
            )
        )
        (messages,) = conn.execute("SELECT count(*) FROM integrations_outboxmessage").fetchone()
    if not lags:
        return f"sync lag: none of {messages:,} messages delivered", False
    p50, p99 = (lags[min(len(lags) - 1, int(p / 100 * len(lags)))] for p in (50, 99))
    ok = len(lags) == messages and lags[-1] <= TARGET_LAG_S
    return (
        f"sync lag of {len(lags):,}/{messages:,} messages: p50 {p50:.2f} s, p99 {p99:.2f} s, "
        f"max {lags[-1]:.2f} s (target <= {TARGET_LAG_S:.0f} s: {'met' if ok else 'NOT met'})"
    ), ok


def start_sync(env: dict[str, str]) -> list[subprocess.Popen]:
    """The fake national portal and the delivery loop, each in its own process."""
    peer_port = free_port()
    env.update(
        MOTCUA_NATIONAL_URL=f"http://127.0.0.1:{peer_port}",
        MOTCUA_NATIONAL_USER="motcua",
        MOTCUA_NATIONAL_PASSWORD="secret",
        MOTCUA_NATIONAL_UNIT="000.00.00.H97",
        MOTCUA_EMAIL_NOTICES="0",
    )
    peer = subprocess.Popen(
        [sys.executable, "-m", "tests.integrations.fakes", str(peer_port)],
        cwd=ROOT,
        start_new_session=True,
    )
    loop = subprocess.Popen(
        [sys.executable, "-m", "motcua", "sync"], cwd=ROOT, env=env, start_new_session=True
    )
    return [peer, loop]


def main() -> int:
    recreate_database()
    env = dict(os.environ, DATABASE_URL=f"{SERVER}/{DB}", DEBUG="0", DB_CONN_MAX_AGE="600")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # DEBUG=0 needs a real key: the server refuses to start on the built-in one.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    server = None
    helpers: list[subprocess.Popen] = []
    lag_text, lag_ok = "", True
    try:
        key = prepare(env)
        if SYNC:
            helpers = start_sync(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--preload",
                *(["--worker-tmp-dir", "/dev/shm"] if Path("/dev/shm").is_dir() else []),
                "--worker-class",
                WORKER_CLASS,
                *(["--threads", str(THREADS)] if WORKER_CLASS == "gthread" else []),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_until_up(port)
        if WRK:
            with tempfile.TemporaryDirectory() as tmp:
                script = Path(tmp) / "reception.lua"
                script.write_text(WRK_SCRIPT)
                warm = run_wrk(port, key, 6, script)
                load_before = os.getloadavg()[0]
                result = run_wrk(port, key, SECONDS, script)
            done, elapsed = result["requests"], result["seconds"]
            p50, p95, p99, errors = result["p50"], result["p95"], result["p99"], result["errors"]
            client = f"wrk, {CONNECTIONS} connections, {SECONDS} s"
            created = warm["requests"] - warm["errors"] + done - errors
        else:
            run(port, key, WARM_UP)
            load_before = os.getloadavg()[0]
            elapsed, latencies, errors = run(port, key, REQUESTS)
            done = len(latencies)
            p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
            client = f"{CLIENTS} Python client processes"
            created = WARM_UP + done - errors
        checked = check_database(created)
        if SYNC:
            lag_text, lag_ok = sync_lag()
    finally:
        for proc in [*helpers, *([server] if server is not None else [])]:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                proc.terminate()
            proc.wait(timeout=30)
        recreate_database(drop_only=True)

    rate = done / elapsed
    print(
        f"{done:,} receptions in {elapsed:.2f} s -> {rate:,.0f} req/s; "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms; errors {errors}"
    )
    print(
        f"gunicorn {WORKER_CLASS} {WORKERS} workers"
        f"{f' x {THREADS} threads' if WORKER_CLASS == 'gthread' else ''}, {client}, "
        f"{CPUS} CPUs, load average before {load_before:.1f}"
    )
    print(checked)
    if SYNC:
        print(lag_text)
    errors += "MISMATCH" in checked
    ok = rate >= TARGET_PER_SECOND and p99 <= TARGET_P99_MS and errors == 0 and lag_ok
    print(
        f"targets >= {TARGET_PER_SECOND} req/s, p99 <= {TARGET_P99_MS:.0f} ms: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
