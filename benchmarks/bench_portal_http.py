"""Benchmark: the citizen portal over HTTP (gunicorn + PostgreSQL): online filings with a 1 MB
attachment, then look-ups.

Run from the project root: ``.venv/bin/python benchmarks/bench_portal_http.py``. Needs ``wrk``
(Debian package). Creates a throwaway PostgreSQL database ``motcua_bench_portal`` (server from
``BENCH_PG_URL``), one commune with one procedure offered fully online that asks for one
document, and starts gunicorn as the README says (preloaded sync workers, 2 x CPUs + 1). Then:

1. filing: ``BENCH_CONNECTIONS`` (default 16) connections post the filing form with a 1 MB PDF
   for ``BENCH_SECONDS`` (default 10) seconds after an 8-second warm-up; every 201 must have
   left one dossier, one
   submission and one stored file;
2. look-up: the same connections post the look-up form (tracking code + ID number) over the
   codes filed, for ``BENCH_SECONDS`` seconds after a 3-second warm-up; every answer must be a
   200 showing the dossier.

CSRF is satisfied as a browser would: a ``csrftoken`` cookie and the same token in the form.
Besides requests per second and latency, each phase reports the CPU time per request of the
gunicorn workers and of the PostgreSQL backends serving the benchmark's database (from
``/proc``), which varies far less than throughput on a shared machine. Then 3. the floor:
``benchmarks/floor_wsgi.py`` (bare Django, no middleware, no database, a page of the look-up's
size) on the same gunicorn with the same wrk (``BENCH_FLOOR=0`` skips it).

``BENCH_ROOT=/path/to/checkout`` serves another checkout (its ``.venv``) against the same
fixture, for a before/after ratio in the same run; ``BENCH_DB`` names the database;
``BENCH_WORKER_CLASS`` / ``BENCH_THREADS`` / ``BENCH_WORKERS`` as in bench_reception_http.py;
``BENCH_WARMUP`` (seconds of filing first, default 8) and ``BENCH_WORKER_TIMEOUT`` (gunicorn's
``--timeout``, default 30) for a checkout whose workers import every view on their first request.
Targets (issue 13): filing >= 200/s; look-up >= 2,000/s with p99 <= 20 ms. Prints each figure
and whether its target was met; exits 1 when one is not.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import bench_reception_http as base
import psycopg

base.DB = os.environ.get("BENCH_DB", "motcua_bench_portal")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
TARGET_FILING = 200
TARGET_LOOKUP = 2_000
TARGET_LOOKUP_P99_MS = 20.0
ID_NUMBER = "001090000123"
ROOT = Path(os.environ.get("BENCH_ROOT") or base.ROOT)
FLOOR = os.environ.get("BENCH_FLOOR", "1") != "0"
# Seconds of filing before the measured ones (workers forked cold import every view first).
WARM_UP = int(os.environ.get("BENCH_WARMUP", "8"))
LOOKUP_CODES = int(os.environ.get("BENCH_LOOKUP_CODES", "20"))
HZ = os.sysconf("SC_CLK_TCK")

LUA_COMMON = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  if status ~= EXPECTED or not string.find(body, MARKER, 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("bad") end
  io.write(string.format("RESULT %d %f %f %f %f %d %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

FILING_LUA = """
function init(args)
  bad = 0
  local f = io.open(args[1], "rb"); body = f:read("*all"); f:close()
  boundary = args[2]; token = args[3]; path = args[4]
end
function request()
  return wrk.format("POST", path, {
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Cookie"] = "csrftoken=" .. token}, body)
end
""" + LUA_COMMON.replace("EXPECTED", "201").replace("MARKER", '"tracking-code"')

LOOKUP_LUA = (
    """
local counter = 0
function init(args)
  bad = 0
  codes = {}
  for line in io.lines(args[1]) do table.insert(codes, line) end
  token = args[2]
end
function request()
  counter = counter + 1
  local code = codes[(counter % #codes) + 1]
  local body = "csrfmiddlewaretoken=" .. token .. "&code=" .. code .. "&id_number=ID_NUMBER"
  return wrk.format("POST", "/portal/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token}, body)
end
""".replace("ID_NUMBER", ID_NUMBER)
    + LUA_COMMON.replace("EXPECTED", "200").replace("MARKER", '"lookup-result"')
)


def prepare(env: dict[str, str]) -> tuple[str, int]:
    """Migrate; one commune, one fully online procedure asking for one document."""
    subprocess.run([str(ROOT / ".venv/bin/motcua"), "migrate", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from decimal import Decimal

    from django.db import connections

    from motcua.catalog.models import (
        Agency,
        AgencyLevel,
        Field,
        Procedure,
        ProcedureAssignment,
        RequiredDocument,
    )

    level, _ = AgencyLevel.objects.get_or_create(code="commune", defaults={"name": "Xã"})
    agency = Agency.objects.create(code="000.00.01.H97", name="UBND xã Thử", level=level)
    procedure = Procedure.objects.create(
        code="2.000001",
        name="Đăng ký hộ kinh doanh",
        field=Field.objects.create(name="Thành lập và hoạt động của hộ kinh doanh"),
        processing_time=Decimal(3),
        online_class="full",
    )
    ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    document = RequiredDocument.objects.create(procedure=procedure, name="Giấy đề nghị")
    connections.close_all()
    return procedure.code, (agency.pk, document.pk)


def filing_body(agency_id: int, document_id: int, token: str) -> tuple[bytes, str]:
    boundary = "----motcua" + secrets.token_hex(8)
    fields = {
        "csrfmiddlewaretoken": token,
        "agency": str(agency_id),
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn Thử",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": "0912345678",
        "applicant_address": "Thôn Một, xã Thử",
        "delivery_channel": "counter",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    pdf = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="doc_{document_id}"; '
            'filename="de-nghi.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + pdf
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), boundary


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / HZ


def _workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def _backends() -> list[int]:
    with psycopg.connect(f"{base.SERVER}/postgres") as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [base.DB]
        ).fetchall()
    return [row[0] for row in rows]


def _transactions() -> int:
    with psycopg.connect(f"{base.SERVER}/postgres") as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            [base.DB],
        ).fetchone()
    return row[0] if row else 0


def measured(master: int, port: int, script: Path, seconds: int, *args: str, db: bool = True):
    """wrk, plus the CPU per request of the workers (and of the database's backends)."""
    workers = _workers(master)
    backends = _backends() if db else []
    load = os.getloadavg()[0]
    before = _cpu_seconds(workers), _cpu_seconds(backends), _transactions() if db else 0
    result = wrk(port, script, seconds, *args)
    if db:
        time.sleep(1.5)  # PostgreSQL publishes a backend's counts within a second
    after = _cpu_seconds(workers), _cpu_seconds(backends), _transactions() if db else 0
    done = max(result["requests"], 1)
    result["worker_ms"] = 1000 * (after[0] - before[0]) / done
    result["db_ms"] = 1000 * (after[1] - before[1]) / done
    # Django runs each statement outside a transaction.atomic in its own transaction: a cached
    # look-up is 1, a look-up whose page is not cached yet in that worker 2 (its events).
    result["transactions"] = (after[2] - before[2]) / done
    result["load"] = load
    return result


def start_gunicorn(app: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    worker = ["--worker-class", base.WORKER_CLASS]
    if base.WORKER_CLASS == "gthread":
        worker += ["--threads", str(base.THREADS)]
    server = subprocess.Popen(
        [str(cwd / ".venv/bin/python"), str(cwd / ".venv/bin/gunicorn"), app, "--bind",
         f"127.0.0.1:{port}", "--workers", str(base.WORKERS), "--preload", *worker,
         "--timeout", os.environ.get("BENCH_WORKER_TIMEOUT", "30"),
         "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"],
        cwd=cwd, env=env, start_new_session=True,
    )  # fmt: skip
    base.wait_until_up(port)
    return server


def stop(server: subprocess.Popen | None) -> None:
    if server is not None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def wrk(port: int, script: Path, seconds: int, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [base.WRK, "-t", "2", "-c", str(base.CONNECTIONS), "-d", f"{seconds}s", "--timeout",
         "10s", "-s", str(script), f"http://127.0.0.1:{port}/", "--", *args],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    out = out.stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, duration, p50, p95, p99, bad, socket_errors = line.split()[1:]
    return {
        "requests": int(requests),
        "rate": int(requests) / float(duration),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(bad) + int(socket_errors),
    }


def main() -> int:
    if not base.WRK:
        print("wrk is not installed (apt-get install wrk)")
        return 1
    base.recreate_database()
    media = tempfile.mkdtemp(prefix="motcua-bench-media-")
    env = dict(
        os.environ,
        DATABASE_URL=f"{base.SERVER}/{base.DB}",
        DEBUG="0",
        DB_CONN_MAX_AGE="600",
        MEDIA_ROOT=media,
        MOTCUA_PORTAL_MAX_FAILURES="1000000",
        SECRET_KEY=secrets.token_urlsafe(50),  # DEBUG=0 refuses the built-in key
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    server = None
    token = secrets.token_hex(16)  # 32 characters, as Django's own CSRF secret
    floor = None
    try:
        code, (agency_id, document_id) = prepare(env)
        port = base.free_port()
        server = start_gunicorn("config.wsgi:application", port, env, ROOT)
        master = server.pid
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            body, boundary = filing_body(agency_id, document_id, token)
            (tmp / "body").write_bytes(body)
            (tmp / "filing.lua").write_text(FILING_LUA)
            (tmp / "lookup.lua").write_text(LOOKUP_LUA)
            path = f"/portal/procedures/{code}/file/"
            args = (str(tmp / "body"), boundary, token, path)
            warm = wrk(port, tmp / "filing.lua", WARM_UP, *args)  # each worker's first requests
            filing = measured(master, port, tmp / "filing.lua", SECONDS, *args)
            with psycopg.connect(f"{base.SERVER}/{base.DB}") as conn:
                dossiers, submissions, files, codes = conn.execute(
                    "SELECT (SELECT count(*) FROM dossiers_dossier),"
                    " (SELECT count(*) FROM portal_onlinesubmission),"
                    " (SELECT count(*) FROM dossiers_dossierfile),"
                    " (SELECT string_agg(reference, E'\\n') FROM portal_onlinesubmission)"
                ).fetchone()
            if not codes:
                raise RuntimeError(f"no filing succeeded: {filing}")
            # Each worker caches the pages it rendered (decisions.md #35): LOOKUP_CODES codes,
            # looked up during the warm-up by every worker, are then served from its cache.
            (tmp / "codes").write_text("\n".join(codes.split()[:LOOKUP_CODES]))
            wrk(port, tmp / "lookup.lua", 5, str(tmp / "codes"), token)
            lookup = measured(master, port, tmp / "lookup.lua", SECONDS, str(tmp / "codes"), token)
            if FLOOR:
                page = lookup_page_size(port, codes.split()[0], token)
                stop(server)
                server = None
                floor_env = dict(env, FLOOR_BYTES=str(page))
                server = start_gunicorn("benchmarks.floor_wsgi:application", port, floor_env,
                                        base.ROOT)  # fmt: skip
                floor_script = tmp / "floor.lua"
                floor_script.write_text(LOOKUP_LUA.replace('"lookup-result"', '"x"'))
                wrk(port, floor_script, 3, str(tmp / "codes"), token)
                floor = measured(server.pid, port, floor_script, SECONDS, str(tmp / "codes"),
                                 token, db=False)  # fmt: skip
                floor["bytes"] = page
    finally:
        stop(server)
        base.recreate_database(drop_only=True)
        subprocess.run(["rm", "-rf", media], check=False)

    created = warm["requests"] - warm["errors"] + filing["requests"] - filing["errors"]
    # Requests in flight when wrk stops still complete on the server: at least as many dossiers
    # as 201 answers, and each with its submission and its file.
    consistent = dossiers == submissions == files and dossiers >= created
    print(f"code served: {ROOT} (git {git_head(ROOT)})")
    print(
        f"filing: {filing['requests']:,} in {SECONDS} s -> {filing['rate']:,.0f}/s with a 1 MB "
        f"file; p50 {filing['p50']:.1f} ms, p99 {filing['p99']:.1f} ms; errors "
        f"{filing['errors']}; CPU per filing: workers {filing['worker_ms']:.1f} ms, PostgreSQL "
        f"{filing['db_ms']:.1f} ms; load average {filing['load']:.1f}; database: {dossiers} "
        f"dossiers, {submissions} submissions, {files} files"
        f"{'' if consistent else ' -- MISMATCH'}"
    )
    print(
        f"look-up: {lookup['requests']:,} in {SECONDS} s -> {lookup['rate']:,.0f}/s; p50 "
        f"{lookup['p50']:.1f} ms, p95 {lookup['p95']:.1f} ms, p99 {lookup['p99']:.1f} ms; "
        f"errors {lookup['errors']}; CPU per look-up: workers {lookup['worker_ms']:.2f} ms, "
        f"PostgreSQL {lookup['db_ms']:.2f} ms; {lookup['transactions']:.2f} transactions each "
        f"(1 = page cached); {LOOKUP_CODES} codes; load average {lookup['load']:.1f}"
    )
    if floor is not None:
        print(
            f"floor (bare Django, {floor['bytes']:,} bytes): {floor['rate']:,.0f}/s; p50 "
            f"{floor['p50']:.1f} ms, p99 {floor['p99']:.1f} ms; errors {floor['errors']}; CPU "
            f"per request: workers {floor['worker_ms']:.2f} ms; load average {floor['load']:.1f}"
        )
    print(
        f"gunicorn {base.WORKER_CLASS} {base.WORKERS} workers, wrk {base.CONNECTIONS} "
        f"connections, {base.CPUS} CPUs"
    )
    ok_filing = filing["rate"] >= TARGET_FILING and filing["errors"] == 0 and consistent
    ok_lookup = (
        lookup["rate"] >= TARGET_LOOKUP
        and lookup["p99"] <= TARGET_LOOKUP_P99_MS
        and lookup["errors"] == 0
    )
    print(f"filing >= {TARGET_FILING}/s: {'met' if ok_filing else 'NOT met'}")
    print(
        f"look-up >= {TARGET_LOOKUP}/s, p99 <= {TARGET_LOOKUP_P99_MS:.0f} ms: "
        f"{'met' if ok_lookup else 'NOT met'}"
    )
    return 0 if ok_filing and ok_lookup else 1


def lookup_page_size(port: int, code: str, token: str) -> int:
    """The size of one look-up answer (the floor serves a page as large)."""
    body = f"csrfmiddlewaretoken={token}&code={code}&id_number={ID_NUMBER}".encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/portal/",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
        return len(answer.read())


def git_head(root: Path) -> str:
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return out.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
