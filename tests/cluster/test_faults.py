"""Fault tests on the namespace cluster (scripts/cluster-up.sh): an app host killed under load,
the primary killed and the replica promoted, the replica stopped, the replica partitioned.

Run as root with ``MOTCUA_CLUSTER_TESTS=1``; they start the cluster once for the module and
stop it at the end. ``MOTCUA_CLUSTER_LOAD_SECONDS`` (default 60) is the length of the load of
the app-host test (the primary test runs half of it, at least 30 s). Each test prints its
counts: acknowledged, present, duplicates, missing. Order matters (the failover test is last:
after it pg2 is the primary and pg1, rebuilt, its replica).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        os.environ.get("MOTCUA_CLUSTER_TESTS") != "1" or os.geteuid() != 0,
        reason="cluster tests: MOTCUA_CLUSTER_TESTS=1, as root",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("MOTCUA_CLUSTER_STATE", "/tmp/motcua-cluster"))
LOAD_SECONDS = float(os.environ.get("MOTCUA_CLUSTER_LOAD_SECONDS", "60"))
CLIENTS = 8
AGENCY = "000.00.77.H99"
PROCEDURE = "9.000077"
LB = "http://10.77.0.10"


def sh(*args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def ctl(*args: str) -> str:
    return sh(str(ROOT / "scripts/cluster/ctl.sh"), *args)


@pytest.fixture(scope="module")
def cluster():
    reuse = os.environ.get("MOTCUA_CLUSTER_REUSE") == "1" and (STATE / "cluster.env").exists()
    if not reuse:
        sh(str(ROOT / "scripts/cluster-down.sh"))
        try:
            sh(str(ROOT / "scripts/cluster-up.sh"))
        except BaseException:
            subprocess.run([str(ROOT / "scripts/cluster-down.sh")], check=False)
            raise
    key = (STATE / "api_key").read_text().strip()
    yield key
    if not reuse:
        subprocess.run(
            [str(ROOT / "scripts/cluster-down.sh")],
            env={**os.environ, "KEEP_STATE": os.environ.get("KEEP_STATE", "0")},
            check=False,
        )


def http(method: str, path: str, key: str, body=None, headers=None, timeout=10, base: str = LB):
    import httpx

    return httpx.request(
        method,
        base + path,
        json=body,
        headers={"Authorization": f"Bearer {key}", **(headers or {})},
        timeout=timeout,
    )


@dataclass
class Load:
    """8 clients receiving dossiers through the balancer; each retries a failed reception
    with its Idempotency-Key until it is acknowledged (or 120 s passed)."""

    key: str
    tag: str
    base: str = LB
    acknowledged: dict[str, str] = field(default_factory=dict)  # applicant name → code
    failures: Counter = field(default_factory=Counter)
    retries: int = 0
    replayed: int = 0
    given_up: list[str] = field(default_factory=list)
    first_ack_after: dict[float, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def client(self, n: int) -> None:
        i = 0
        while not self.stop.is_set():
            i += 1
            name = f"{self.tag}-c{n}-{i}"
            self.receive(name, str(uuid.uuid4()))

    def receive(self, name: str, idem: str) -> None:
        body = {
            "agency_code": AGENCY,
            "procedure_code": PROCEDURE,
            "channel": "direct",
            "applicant_name": name,
        }
        started = time.monotonic()
        attempt = 0
        while time.monotonic() - started < 120:
            attempt += 1
            try:
                r = http(
                    "POST",
                    "/api/v1/dossiers/",
                    self.key,
                    body,
                    {"Idempotency-Key": idem},
                    base=self.base,
                )
            except Exception as exc:  # noqa: BLE001 - timeouts, resets: retry
                outcome = type(exc).__name__
            else:
                if r.status_code == 201:
                    with self.lock:
                        self.acknowledged[name] = r.json()["code"]
                        self.retries += attempt - 1
                        self.replayed += r.headers.get("Idempotent-Replayed") == "true"
                    return
                outcome = f"HTTP {r.status_code}"
                if 400 <= r.status_code < 500:
                    with self.lock:
                        self.failures[f"{outcome} {r.text[:120]}"] += 1
                        self.given_up.append(name)
                    return
            with self.lock:
                self.failures[outcome] += 1
            time.sleep(min(0.2 * attempt, 2.0))
        with self.lock:
            self.given_up.append(name)

    def run(self, seconds: float, events: list[tuple[float, callable]]) -> float:
        threads = [
            threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(CLIENTS)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for at, action in sorted(events, key=lambda e: e[0]):
            time.sleep(max(0.0, started + at - time.monotonic()))
            action()
        time.sleep(max(0.0, started + seconds - time.monotonic()))
        self.stop.set()
        for t in threads:
            t.join(timeout=180)
        return time.monotonic() - started


def database_rows(tag: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(applicant name, code) of this load's dossiers, and every code of the agency, read on
    whichever server is the primary now (the multi-host URL)."""
    import psycopg

    url = (STATE / "cluster.env").read_text().split("MOTCUA_CLUSTER_PRIMARY_URL=")[1].split()[0]
    with psycopg.connect(url, connect_timeout=5) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT applicant_name, code FROM dossiers_dossier WHERE applicant_name LIKE %s",
            (f"{tag}-%",),
        )
        rows = cur.fetchall()
        cur.execute(
            "SELECT d.code FROM dossiers_dossier d JOIN catalog_agency a ON a.id = d.agency_id "
            "WHERE a.code = %s",
            (AGENCY,),
        )
        codes = [row[0] for row in cur.fetchall()]
    return rows, codes


def gaps(codes: list[str]) -> list[str]:
    """Missing numbers in each agency-day series of codes (…-YYMMDD-NNNN)."""
    series: dict[str, list[int]] = {}
    for code in codes:
        prefix, _dash, number = code.rpartition("-")
        series.setdefault(prefix, []).append(int(number))
    missing = []
    for prefix, numbers in series.items():
        expected = set(range(1, max(numbers) + 1))
        missing += [f"{prefix}-{n:04d}" for n in sorted(expected - set(numbers))]
        assert len(numbers) == len(set(numbers)), f"{prefix}: a code given twice"
    return missing


def check_and_print(title: str, load: Load, elapsed: float, extra: dict | None = None) -> dict:
    rows, codes = database_rows(load.tag)
    by_name = Counter(name for name, _code in rows)
    present = {name for name in load.acknowledged if by_name[name] >= 1}
    counts = {
        "acknowledged": len(load.acknowledged),
        "present": len(present),
        "duplicates": sum(n - 1 for n in by_name.values() if n > 1),
        "missing": len(load.acknowledged) - len(present),
        "rows_of_this_run": len(rows),
        "unacknowledged_in_db": len(set(by_name) - set(load.acknowledged)),
        "given_up": len(load.given_up),
        "retries": load.retries,
        "replayed_answers": load.replayed,
        "code_gaps": len(gaps(codes)),
        "seconds": round(elapsed, 1),
        "receptions_per_s": round(len(load.acknowledged) / elapsed, 1),
        "failures_seen": dict(load.failures.most_common(6)),
        **(extra or {}),
    }
    print(f"\n=== {title} ===\n" + json.dumps(counts, indent=1, ensure_ascii=False))
    codes_in_db = dict(rows)
    wrong = [n for n, code in load.acknowledged.items() if codes_in_db.get(n) != code]
    assert wrong == [], f"acknowledged codes differ in the database: {wrong[:5]}"
    return counts


def assert_exactly_once(counts: dict) -> None:
    assert counts["acknowledged"] > 0
    assert counts["missing"] == 0
    assert counts["duplicates"] == 0
    assert counts["code_gaps"] == 0
    assert counts["given_up"] == 0


def report_source(key: str) -> tuple[int, str]:
    r = http("GET", f"/api/v1/reports/?unit={AGENCY}&period=2026", key)
    return r.status_code, r.headers.get("X-Motcua-Reads", "")


def test_1_kill_an_app_host_under_load(cluster):
    load = Load(cluster, f"app-{uuid.uuid4().hex[:6]}")
    killed: list[str] = []
    elapsed = load.run(
        LOAD_SECONDS,
        [
            (LOAD_SECONDS / 3, lambda: killed.append(ctl("app-kill", "1"))),
            (2 * LOAD_SECONDS / 3, lambda: killed.append(ctl("app-start", "1") or "app1 up")),
        ],
    )
    counts = check_and_print(
        f"kill -9 app1 at {LOAD_SECONDS / 3:.0f} s, restarted at {2 * LOAD_SECONDS / 3:.0f} s",
        load,
        elapsed,
        {"actions": killed},
    )
    assert_exactly_once(counts)


def test_2_throughput_two_app_hosts_against_one(cluster):
    """The same 8 clients for the same time: straight to app1, then through the balancer to
    app1 + app2 (same run, same machine)."""
    seconds = float(os.environ.get("MOTCUA_CLUSTER_THROUGHPUT_SECONDS", "20"))
    one = Load(cluster, f"one-{uuid.uuid4().hex[:6]}", base="http://10.77.0.21:8000")
    one.run(seconds, [])
    one_rate = len(one.acknowledged) / seconds
    two = Load(cluster, f"two-{uuid.uuid4().hex[:6]}")
    two.run(seconds, [])
    two_rate = len(two.acknowledged) / seconds
    counts = check_and_print("throughput: one app host", one, seconds)
    assert_exactly_once(counts)
    counts = check_and_print(
        "throughput: two app hosts behind HAProxy",
        two,
        seconds,
        {"ratio_two_hosts_to_one": round(two_rate / one_rate, 2)},
    )
    assert_exactly_once(counts)


def test_3_stopped_replica_reports_fall_back_to_the_primary(cluster):
    before = [report_source(cluster) for _ in range(5)]
    assert all(status == 200 for status, _ in before)
    assert before[-1][1] == "replica"
    ctl("pg-stop", "2")
    try:
        during = []
        for _ in range(20):
            during.append(report_source(cluster))
            time.sleep(0.25)
    finally:
        ctl("pg-start", "2")
    time.sleep(5)  # the replica catches up; the next check (2 s) takes it back
    after = [report_source(cluster) for _ in range(5)]
    counts = {
        "before": Counter(s for _, s in before),
        "replica_stopped": Counter(f"{c} {s}" for c, s in during),
        "restarted": Counter(s for _, s in after),
    }
    print("\n=== replica stopped ===\n" + json.dumps(counts, indent=1, default=dict))
    assert all(status == 200 for status, _ in during)
    assert {s for _, s in during} == {"primary"}
    assert after[-1][1] == "replica"


def test_4_partitioned_replica_lag_is_detected_and_reads_move(cluster):
    pg1 = ["ip", "netns", "exec", "mcs-pg1", "runuser", "-u", "postgres", "--", "psql"]
    psql = [*pg1, "-h", "10.77.0.11", "-U", "postgres", "-d", "motcua", "-qAtc"]
    sh(*psql, "CREATE TABLE IF NOT EXISTS cluster_tick (at timestamptz)")
    assert report_source(cluster)[1] == "replica"
    stop = threading.Event()

    def writer() -> None:  # the primary keeps writing (commits not waiting for the replica)
        while not stop.is_set():
            subprocess.run(
                [*psql, "SET synchronous_commit = local; INSERT INTO cluster_tick VALUES (now())"],
                capture_output=True,
                timeout=30,
                check=False,
            )
            time.sleep(0.5)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    moved_after = None
    seen = []
    try:
        ctl("partition", "2")
        cut = time.monotonic()
        while time.monotonic() - cut < 40:
            status, source = report_source(cluster)
            seen.append(f"{status} {source}")
            assert status == 200
            if source == "primary":
                moved_after = time.monotonic() - cut
                break
            time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
        ctl("heal", "2")
    healed = time.monotonic()
    back_after = None
    while time.monotonic() - healed < 60:
        if report_source(cluster)[1] == "replica":
            back_after = time.monotonic() - healed
            break
        time.sleep(0.5)
    counts = {
        "reads_before_moving": Counter(seen),
        "moved_to_primary_after_s": moved_after and round(moved_after, 1),
        "back_on_replica_after_heal_s": back_after and round(back_after, 1),
        "max_lag_setting_s": 5,
    }
    print("\n=== replica partitioned ===\n" + json.dumps(counts, indent=1, default=dict))
    assert moved_after is not None, "reads never left the partitioned replica"
    assert back_after is not None, "reads did not come back to the healed replica"


def test_5_kill_the_primary_promote_the_replica(cluster):
    seconds = max(30.0, LOAD_SECONDS / 2)
    load = Load(cluster, f"pg-{uuid.uuid4().hex[:6]}")
    steps: list[str] = []
    times: dict[str, float] = {}

    def kill_primary() -> None:
        times["kill"] = time.monotonic()
        steps.append(ctl("pg-kill", "1"))

    def failover() -> None:
        # the runbook: promote the replica; its only peer is dead, so stop waiting for one
        steps.append(ctl("promote", "2") or "pg2 promoted")
        steps.append(ctl("sync-off", "2") or "pg2 sync off")
        times["promoted"] = time.monotonic()

    elapsed = load.run(seconds, [(seconds / 3, kill_primary), (seconds / 3 + 3, failover)])
    counts = check_and_print(
        f"kill -9 pg1 at {seconds / 3:.0f} s, pg2 promoted 3 s later",
        load,
        elapsed,
        {"steps": steps},
    )
    assert_exactly_once(counts)
    # the runbook's last step: the old primary rebuilt as the new primary's replica
    ctl("rebuild", "1", "2")
    ctl("sync-on", "2")
    assert ctl("role", "1") == "replica"
    assert ctl("role", "2") == "primary"
    after = Load(cluster, f"post-{uuid.uuid4().hex[:6]}")
    elapsed = after.run(5, [])
    assert_exactly_once(check_and_print("after rebuilding pg1 as replica", after, elapsed))
