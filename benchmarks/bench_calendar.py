"""Benchmark: due instants for 1,000,000 receptions with the bulk calculator.

Run from the project root: ``.venv/bin/python benchmarks/bench_calendar.py``.
Exits non-zero when the bulk path is below 1,000,000 receptions per second.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from datetime import date, datetime

import numpy as np

from motcua.core.localtime import LOCAL_TZ
from motcua.worktime.bulk import BulkDueCalculator
from motcua.worktime.calendar import WorkCalendar

TARGET_PER_SECOND = 1_000_000
ROWS = 1_000_000
SCALAR_ROWS = 20_000
SEED = 20261123


def main() -> int:
    started = time.perf_counter()
    calendar = WorkCalendar.for_vietnam(years=range(2020, 2031))
    bulk = BulkDueCalculator(calendar, date(2020, 1, 1), date(2030, 12, 31))
    setup = time.perf_counter() - started

    rng = np.random.default_rng(SEED)
    low = int(datetime(2021, 1, 1, tzinfo=LOCAL_TZ).timestamp())
    high = int(datetime(2027, 1, 1, tzinfo=LOCAL_TZ).timestamp())
    received = rng.integers(low, high, size=ROWS, dtype=np.int64)
    amounts = rng.integers(1, 31, size=ROWS, dtype=np.int64)

    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        due = bulk.due_for_receptions(received, amounts, "working_days")
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    rate = ROWS / best

    tracemalloc.start()
    bulk.due_for_receptions(received, amounts, "working_days")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    hours_t0 = time.perf_counter()
    bulk.due_for_receptions(received, amounts, "working_hours")
    hours_rate = ROWS / (time.perf_counter() - hours_t0)

    t0 = time.perf_counter()
    scalar = [
        int(
            calendar.due_for_reception(
                datetime.fromtimestamp(int(r), LOCAL_TZ), int(n), "working_days"
            ).timestamp()
        )
        for r, n in zip(received[:SCALAR_ROWS], amounts[:SCALAR_ROWS], strict=True)
    ]
    scalar_rate = SCALAR_ROWS / (time.perf_counter() - t0)
    if scalar != due[:SCALAR_ROWS].tolist():
        print("MISMATCH between bulk and scalar results", file=sys.stderr)
        return 2

    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"calendar + index setup:        {setup * 1000:.0f} ms")
    print(
        f"bulk working_days, {ROWS:,} rows: best of 3 {best * 1000:.1f} ms "
        f"-> {rate:,.0f} receptions/s"
    )
    print(f"bulk working_hours:            {hours_rate:,.0f} receptions/s (one run)")
    print(f"scalar working_days, {SCALAR_ROWS:,} rows: {scalar_rate:,.0f} receptions/s")
    print(
        f"peak traced memory of one bulk call: {peak / 2**20:.1f} MiB; "
        f"process max RSS {max_rss_mib:.0f} MiB"
    )
    if rate < TARGET_PER_SECOND:
        print(f"FAIL: below the target of {TARGET_PER_SECOND:,} receptions/s", file=sys.stderr)
        return 1
    print(f"OK: target {TARGET_PER_SECOND:,} receptions/s met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
