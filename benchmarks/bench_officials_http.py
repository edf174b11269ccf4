"""Benchmark: the officials' pages over HTTP (gunicorn + PostgreSQL) on the demo database.

Run from the project root: ``.venv/bin/python benchmarks/bench_officials_http.py``.
Creates a throwaway PostgreSQL database ``motcua_bench_officials`` (server from
``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432``), migrates it and builds the
demo province into it (``motcua demo --dossiers BENCH_DEMO_DOSSIERS``, default 30,000, the
demo's own default), signs the demo accounts in (sessions written directly), starts gunicorn as
the README says (preloaded sync workers, ``BENCH_WORKERS``, default 2 x CPUs + 1) and measures,
one group after the other, for ``BENCH_SECONDS`` (default 10) seconds each after a warm-up
(``BENCH_WARM_UP`` seconds, default 2, and at least 6 requests per worker), with ``BENCH_CLIENTS`` (default 1) keep-alive client processes:

- ``home``: ``GET /`` for every working account of the demo, in turn;
- ``worklists``: ``GET /dossiers/?list=NAME`` for every list each account is shown, and the
  unfiltered list;
- ``dossier``: ``GET /dossiers/CODE/`` over the dossiers of the leader's agency (and of the
  Center for its counter officer);
- ``reception``: the counter form and the procedure picker (``cap phep``);
- ``action``: ``POST /dossiers/CODE/actions/assign/`` by the leader over the open dossiers of
  the agency in turn (each answer must be the redirect to the dossier page, and as many
  ``assign`` events written as POSTs made).

Every answer is checked (status and a marker of the page). With one client the latency is the
server's time plus a loop-back round trip: the issue's "server time". Targets (issue 11): pages
p95 <= 300 ms, action POST p95 <= 150 ms. Prints each group's p50/p95/p99 and whether its target
was met; exits 1 when one is not or on any error. ``BENCH_KEEP_DB=1`` keeps the database (and
reuses it when it exists: the demo build is then skipped).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import bench_reception_http as base
import psycopg

base.DB = "motcua_bench_officials"
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARM_UP = float(os.environ.get("BENCH_WARM_UP", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "1"))
DEMO_DOSSIERS = int(os.environ.get("BENCH_DEMO_DOSSIERS", "30000"))
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
TARGET_PAGE_P95_MS = 300.0
TARGET_ACTION_P95_MS = 150.0
ROOT = base.ROOT
ACCOUNTS = ("tiepnhan", "chuyenvien", "lanhdao", "canboxa", "giamsat", "admin")
CSRF = secrets.token_hex(16)  # 32 characters: a valid unmasked token, as cookie and form field


def database_exists() -> bool:
    with psycopg.connect(f"{base.SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base.DB]).fetchone()
    return row is not None


def prepare(env: dict[str, str], *, build: bool) -> dict:
    """Migrate and build the demo (unless reused); sign the accounts in; list the requests."""
    motcua = str(ROOT / ".venv/bin/motcua")
    if build:
        subprocess.run([motcua, "migrate", "-v", "0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [motcua, "demo", "--dossiers", str(DEMO_DOSSIERS)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo built in {time.perf_counter() - started:.0f} s", flush=True)
        # Statistics for every table, as a running deployment has them: autovacuum never analyses
        # a table of fewer than 50 rows (the demo's 42 agencies), and without statistics the
        # planner takes the agency table for 50 rows and joins it by nested loops.
        with psycopg.connect(f"{base.SERVER}/{base.DB}", autocommit=True) as conn:
            conn.execute("ANALYZE")
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections

    from motcua.accounts.models import User
    from motcua.accounts.selectors import user_agency_ids
    from motcua.dossiers.choices import DossierState
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.worklists import worklists_for

    cookies: dict[str, str] = {}
    lists: list[tuple[str, str]] = []
    for name in ACCOUNTS:
        user = User.objects.get(username=name)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[name] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={CSRF}"
        lists.append((name, "/dossiers/"))
        lists += [(name, f"/dossiers/?list={w.name}") for w in worklists_for(user)]
    lead = User.objects.get(username="lanhdao")
    counter = User.objects.get(username="tiepnhan")
    specialist = User.objects.get(username="chuyenvien")

    def codes(user: User, **filters) -> list[str]:
        ids = user_agency_ids(user=user)
        qs = Dossier.objects.filter(code__isnull=False, **filters)
        if ids is not None:
            qs = qs.filter(agency_id__in=ids)
        return list(qs.order_by("-received_at").values_list("code", flat=True)[:200])

    pages = [("lanhdao", f"/dossiers/{c}/") for c in codes(lead)]
    pages += [("tiepnhan", f"/dossiers/{c}/") for c in codes(counter)[:50]]
    open_codes = codes(lead, state__in=[DossierState.RECEIVED, DossierState.IN_PROCESS])
    connections.close_all()
    if not pages or not open_codes:
        raise RuntimeError("the demo has no dossier for the leader's agency")
    return {
        "cookies": cookies,
        "groups": {
            "home": ([(n, "/") for n in ACCOUNTS], 'id="card-'),
            "worklists": (lists, 'id="worklist-tabs"'),
            "dossier": (pages, 'id="dossier-code"'),
            "reception": (
                [
                    ("tiepnhan", "/dossiers/new/"),
                    ("tiepnhan", "/dossiers/new/procedures/?q=cap+phep"),
                    ("canboxa", "/dossiers/new/procedures/?q=dang+ky"),
                ],
                "procedure",
            ),
        },
        "action": [f"/dossiers/{c}/actions/assign/" for c in open_codes],
        "assignee": specialist.pk,
    }


def measure(args: tuple) -> tuple[list[float], int, int]:
    """Requests for ``seconds`` on one keep-alive connection, starting at ``offset`` in the
    list; returns the latencies (s), the number of bad answers and of requests made."""
    port, plan, kind, seconds, offset, minimum = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    bad = 0
    n = offset
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or n - offset < minimum:
        if kind == "action":
            path = plan["action"][n % len(plan["action"])]
            body = f"csrfmiddlewaretoken={CSRF}&assign-assignee={plan['assignee']}&assign-note="
            headers = {
                "Cookie": plan["cookies"]["lanhdao"],
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/",
            }
            method, expected, marker = "POST", 302, None
        else:
            requests, marker = plan["groups"][kind]
            user, path = requests[n % len(requests)]
            headers, body, method, expected = {"Cookie": plan["cookies"][user]}, None, "GET", 200
        n += 1
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            ok = response.status == expected
            if ok and marker is not None:
                ok = marker.encode() in content
            if ok and kind == "action":
                ok = response.getheader("Location", "").endswith(path.split("actions/")[0])
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        latencies.append(time.perf_counter() - t0)
        bad += not ok
    conn.close()
    return latencies, bad, n - offset


def run_group(
    port: int, plan: dict, kind: str, seconds: float, minimum: int = 0
) -> tuple[list[float], int, int]:
    jobs = [(port, plan, kind, seconds, 97 * c, minimum) for c in range(CLIENTS)]
    if CLIENTS == 1:
        results = [measure(jobs[0])]
    else:
        with multiprocessing.Pool(CLIENTS) as pool:
            results = pool.map(measure, jobs)
    latencies = sorted(x for lat, _bad, _n in results for x in lat)
    return latencies, sum(bad for _lat, bad, _n in results), sum(n for _lat, _bad, n in results)


def assign_events() -> int:
    with psycopg.connect(f"{base.SERVER}/{base.DB}") as conn:
        return conn.execute(
            "SELECT count(*) FROM dossiers_dossierevent WHERE type = 'assign'"
        ).fetchone()[0]


def main() -> int:
    reuse = KEEP_DB and database_exists()
    if not reuse:
        base.recreate_database()
    env = dict(
        os.environ,
        DATABASE_URL=f"{base.SERVER}/{base.DB}",
        DEBUG="0",
        DB_CONN_MAX_AGE="600",
        LOG_LEVEL="ERROR",
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG=0 refuses the built-in key
    server = None
    results: dict[str, tuple[list[float], int]] = {}
    try:
        plan = prepare(env, build=not reuse)
        port = base.free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(base.WORKERS),
                "--preload",
                *(["--worker-tmp-dir", "/dev/shm"] if Path("/dev/shm").is_dir() else []),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base.wait_until_up(port)
        load_before = os.getloadavg()[0]
        for kind in ("home", "worklists", "dossier", "reception", "action"):
            before = assign_events()
            # Warm-up: each worker's first requests import, compile templates, fill its memos;
            # sync workers take a new connection per request, so ask enough for all of them.
            warm = 6 * base.WORKERS
            _lat, bad_warm, made_warm = run_group(port, plan, kind, WARM_UP, warm)
            latencies, bad, made = run_group(port, plan, kind, SECONDS)
            if kind == "action":  # an error also redirects to the page: count the events
                written = assign_events() - before
                bad += made_warm + made - bad_warm - bad - written
            results[kind] = (latencies, bad)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not KEEP_DB:
            base.recreate_database(drop_only=True)

    print(
        f"demo {DEMO_DOSSIERS:,} dossiers; gunicorn sync {base.WORKERS} workers, {CLIENTS} "
        f"client(s), {SECONDS:g} s per group, {base.CPUS} CPUs, load before {load_before:.1f}"
    )
    ok = True
    for kind, (latencies, bad) in results.items():
        target = TARGET_ACTION_P95_MS if kind == "action" else TARGET_PAGE_P95_MS
        if not latencies:
            print(f"{kind:10} no request made")
            ok = False
            continue
        p50, p95, p99 = (base.percentile(latencies, p) for p in (50, 95, 99))
        met = p95 <= target and bad == 0
        ok &= met
        print(
            f"{kind:10} {len(latencies):6,} requests  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
            f"p99 {p99:6.1f} ms  bad {bad}  target p95 <= {target:.0f} ms: "
            f"{'met' if met else 'NOT met'}"
        )
    print(f"targets: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
