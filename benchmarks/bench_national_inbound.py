"""Benchmark: a burst of online dossiers pushed by the national portal, and the sync lag.

Run from the project root: ``.venv/bin/python benchmarks/bench_national_inbound.py [PUSHES]``.
Creates a throwaway PostgreSQL database ``motcua_bench_inbound`` (server ``BENCH_PG_URL``,
default ``postgres://postgres@127.0.0.1:5432``), migrates it, creates 20 agencies each offering
one procedure online and a system account with the permission and a token; starts gunicorn
(``BENCH_WORKERS``, default 2 x CPUs + 1, sync workers), the fake national portal of the tests
(its own process) and ``motcua sync`` (the delivery loop, its own process). ``BENCH_CLIENTS``
(default 8) client processes then push PUSHES (default 10,000) dossiers to
``POST /api/v1/national/dossiers``, each with one small PDF, over keep-alive connections.
Every push writes the dossier, its SUBMIT and ATTACH events and four outbox messages; the loop
delivers them meanwhile. Reports pushes/s, p50/p95/p99 latency, and the sync lag (queued →
delivered) of every message. Checks that every 201 left one dossier, that a repeat push made
nothing new, and that every message was delivered. Exits 1 above 200 ms at p99, a lag above 5 s,
or on any error.
"""

from __future__ import annotations

import base64
import http.client
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reception_http import free_port, percentile, post_all, wait_until_up  # noqa: E402

TARGET_P99_MS = 200.0
TARGET_LAG_S = 5.0
PUSHES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
DB = "motcua_bench_inbound"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
CPUS = os.cpu_count() or 1
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * CPUS + 1)))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
AGENCIES = 20
ROOT = Path(__file__).resolve().parent.parent
PDF = base64.b64encode(b"%PDF-1.4\n" + b"0" * 600 + b"\n%%EOF\n").decode()


def recreate_database(*, drop_only: bool = False) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB}"')


def prepare(env: dict[str, str]) -> str:
    subprocess.run([sys.executable, "-m", "motcua", "migrate", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth.models import Permission
    from django.db import connections

    from motcua.accounts.models import User
    from motcua.accounts.tokens import api_token_create
    from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure

    level, _ = AgencyLevel.objects.get_or_create(code="provincial_agency", defaults={"name": "S"})
    field = Field.objects.create(name="Lĩnh vực thử")
    for i in range(AGENCIES):
        Agency.objects.create(code=f"000.00.{i:02d}.H97", name=f"Sở {i}", level=level)
        Procedure.objects.create(
            code=f"7.{i:06d}", name=f"Thủ tục {i}", field=field, processing_time=Decimal(5),
            online_class="full",
        )  # fmt: skip
    user = User.objects.create(username="dvcqg")
    user.user_permissions.add(Permission.objects.get(codename="add_nationaldossier"))
    _token, key = api_token_create(user=user, name="DVCQG")
    connections.close_all()
    return key


def push_body(seed: int, n: int) -> str:
    i = (seed + n) % AGENCIES
    return json.dumps(
        {
            "MaHoSoQG": f"G22.99-{seed:05d}-{n:06d}",
            "MaTTHC": f"7.{i:06d}",
            "MaCoQuan": f"000.00.{i:02d}.H97",
            "ChuHoSo": f"Người nộp {seed}-{n}",
            "LoaiDoiTuong": 1,
            "MaDoiTuong": f"{seed % 10000:04d}{n:08d}",
            "SoDienThoai": "0912345678",
            "Email": "",
            "DiaChi": "Số 1 Lê Lợi",
            "TrichYeuHoSo": "Đề nghị cấp phép",
            "NgayNopHoSo": "20261123090000",
            "HinhThucTraKQ": 0,
            "TaiLieuNop": [{"TenGiayTo": "Đơn", "TenTep": "don.pdf", "NoiDungBase64": PDF}],
        },
        ensure_ascii=False,
    ).encode()


def client(args: tuple[int, str, int, int]) -> tuple[list[float], int]:
    port, key, count, seed = args
    bodies = (push_body(seed, n) for n in range(count))
    return post_all(port, key, "/api/v1/national/dossiers", bodies)


def main() -> int:
    recreate_database()
    peer_port, port = free_port(), free_port()
    media = tempfile.mkdtemp(prefix="motcua-bench-media-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DB}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "MEDIA_ROOT": media,
        "MOTCUA_NATIONAL_URL": f"http://127.0.0.1:{peer_port}",
        "MOTCUA_NATIONAL_USER": "motcua",
        "MOTCUA_NATIONAL_PASSWORD": "secret",
        "MOTCUA_NATIONAL_UNIT": "000.00.00.H97",
        "MOTCUA_EMAIL_NOTICES": "0",
    }
    procs: list[subprocess.Popen] = []
    try:
        key = prepare(env)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.integrations.fakes", str(peer_port)], cwd=ROOT
            )
        )
        procs.append(
            subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind",
                 f"127.0.0.1:{port}", "--workers", str(WORKERS), "--preload",
                 "--log-level", "warning"],
                cwd=ROOT, env=env, start_new_session=True,
            )
        )  # fmt: skip
        loop = subprocess.Popen(
            [sys.executable, "-m", "motcua", "sync"], cwd=ROOT, env=env, start_new_session=True
        )
        procs.append(loop)
        wait_until_up(port)
        warm = [(port, key, 25, 90_000 + c) for c in range(CLIENTS)]
        with multiprocessing.Pool(CLIENTS) as pool:
            pool.map(client, warm)
            load_before = os.getloadavg()[0]
            share = PUSHES // CLIENTS
            jobs = [(port, key, share, 10_000 * (c + 1)) for c in range(CLIENTS)]
            t0 = time.perf_counter()
            results = pool.map(client, jobs)
            elapsed = time.perf_counter() - t0
        latencies = sorted(x for lat, _ in results for x in lat)
        errors = sum(e for _, e in results)
        # A repeat of an already received push creates nothing.
        repeat = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        repeat.request("POST", "/api/v1/national/dossiers", body=push_body(10_000, 0),
                       headers={"Authorization": f"Bearer {key}",
                                "Content-Type": "application/json"})  # fmt: skip
        repeat_status = repeat.getresponse().status
        deadline = time.monotonic() + 120
        with psycopg.connect(f"{SERVER}/{DB}", autocommit=True) as conn:
            while time.monotonic() < deadline:
                (waiting,) = conn.execute(
                    "SELECT count(*) FROM integrations_outboxmessage WHERE status <> 'sent'"
                ).fetchone()
                if not waiting:
                    break
                time.sleep(0.5)
            lags = sorted(
                r[0]
                for r in conn.execute(
                    "SELECT extract(epoch FROM sent_at - created_at) FROM "
                    "integrations_outboxmessage WHERE status = 'sent'"
                )
            )
            dossiers, refs, messages = conn.execute(
                "SELECT (SELECT count(*) FROM dossiers_dossier), "
                "(SELECT count(*) FROM integrations_nationaldossier), "
                "(SELECT count(*) FROM integrations_outboxmessage)"
            ).fetchone()
    finally:
        for proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                proc.terminate()
            proc.wait(timeout=30)
        recreate_database(drop_only=True)
    created = CLIENTS * 25 + len(latencies) - errors
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    lag = {p: float(lags[min(len(lags) - 1, int(p / 100 * len(lags)))]) for p in (50, 99)}
    max_lag = float(lags[-1]) if lags else float("inf")
    print(
        f"{len(latencies):,} pushes in {elapsed:.2f} s -> {len(latencies) / elapsed:,.0f}/s; "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms; errors {errors}; "
        f"repeat push answered {repeat_status}"
    )
    print(
        f"sync lag of {len(lags):,}/{messages:,} messages: p50 {lag[50]:.2f} s, "
        f"p99 {lag[99]:.2f} s, max {max_lag:.2f} s"
    )
    print(
        f"database: {dossiers:,} dossiers, {refs:,} national references (expected {created:,}); "
        f"gunicorn sync {WORKERS} workers, {CLIENTS} client processes, {CPUS} CPUs, "
        f"load average before {load_before:.1f}"
    )
    ok = (
        errors == 0
        and repeat_status == 200
        and dossiers == refs == created
        and len(lags) == messages
        and p99 <= TARGET_P99_MS
        and max_lag <= TARGET_LAG_S
    )
    print(
        f"targets p99 <= {TARGET_P99_MS:.0f} ms, lag <= {TARGET_LAG_S:.0f} s: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
