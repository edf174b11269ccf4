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
from pathlib import Path

import bench_reception_http as base
import psycopg

base.DB = os.environ.get("BENCH_DB", "motcua_bench_portal")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
TARGET_FILING = 200
TARGET_LOOKUP = 2_000
TARGET_LOOKUP_P99_MS = 20.0
ID_NUMBER = "001090000123"
ROOT = base.ROOT

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
    try:
        code, (agency_id, document_id) = prepare(env)
        port = base.free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", str(base.WORKERS), "--preload",
             "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        base.wait_until_up(port)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            body, boundary = filing_body(agency_id, document_id, token)
            (tmp / "body").write_bytes(body)
            (tmp / "filing.lua").write_text(FILING_LUA)
            (tmp / "lookup.lua").write_text(LOOKUP_LUA)
            path = f"/portal/procedures/{code}/file/"
            args = (str(tmp / "body"), boundary, token, path)
            warm = wrk(port, tmp / "filing.lua", 8, *args)  # each worker's first requests import
            filing = wrk(port, tmp / "filing.lua", SECONDS, *args)
            with psycopg.connect(f"{base.SERVER}/{base.DB}") as conn:
                dossiers, submissions, files, codes = conn.execute(
                    "SELECT (SELECT count(*) FROM dossiers_dossier),"
                    " (SELECT count(*) FROM portal_onlinesubmission),"
                    " (SELECT count(*) FROM dossiers_dossierfile),"
                    " (SELECT string_agg(reference, E'\\n') FROM portal_onlinesubmission)"
                ).fetchone()
            if not codes:
                raise RuntimeError(f"no filing succeeded: {filing}")
            (tmp / "codes").write_text(codes)
            wrk(port, tmp / "lookup.lua", 3, str(tmp / "codes"), token)
            load = os.getloadavg()[0]
            lookup = wrk(port, tmp / "lookup.lua", SECONDS, str(tmp / "codes"), token)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        base.recreate_database(drop_only=True)
        subprocess.run(["rm", "-rf", media], check=False)

    created = warm["requests"] - warm["errors"] + filing["requests"] - filing["errors"]
    # Requests in flight when wrk stops still complete on the server: at least as many dossiers
    # as 201 answers, and each with its submission and its file.
    consistent = dossiers == submissions == files and dossiers >= created
    print(
        f"filing: {filing['requests']:,} in {SECONDS} s -> {filing['rate']:,.0f}/s with a 1 MB "
        f"file; p50 {filing['p50']:.1f} ms, p99 {filing['p99']:.1f} ms; errors "
        f"{filing['errors']}; database: {dossiers} dossiers, {submissions} submissions, "
        f"{files} files{'' if consistent else ' -- MISMATCH'}"
    )
    print(
        f"look-up: {lookup['requests']:,} in {SECONDS} s -> {lookup['rate']:,.0f}/s; p50 "
        f"{lookup['p50']:.1f} ms, p95 {lookup['p95']:.1f} ms, p99 {lookup['p99']:.1f} ms; "
        f"errors {lookup['errors']}"
    )
    print(
        f"gunicorn sync {base.WORKERS} workers, wrk {base.CONNECTIONS} connections, "
        f"{base.CPUS} CPUs, load average before the look-ups {load:.1f}"
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


if __name__ == "__main__":
    sys.exit(main())
