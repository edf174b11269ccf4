"""Where one push of the national portal spends its time: cProfile over in-process pushes.

Not a test (never collected): run it by name, on SQLite or PostgreSQL, e.g.
``PUSHES=200 uv run pytest -q -s tests/integrations/profile_push.py``
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_me uv run pytest -q -s tests/integrations/profile_push.py``.
Prints the statements of one warm push, the wall and CPU time per push, and the profile of the
project's own functions (cumulative) and of everything (own time).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.integrations.test_inbound import body, push, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_profile_pushes(client, world, fake_national):  # noqa: F811
    key = world["key"]
    for i in range(10):  # warm: memos filled, code paths imported
        assert push(client, key, body(MaHoSoQG=f"WARM-{i}")).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert push(client, key, body(MaHoSoQG="ONE")).status_code == 201
    print(f"\n{len(queries.captured_queries)} statements in one push:")
    for i, q in enumerate(queries.captured_queries):
        print(f"{i:3} {float(q['time']) * 1000:6.1f} ms  {q['sql'][:110]}")
    n = int(os.environ.get("PUSHES", "100"))
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        push(client, key, body(MaHoSoQG=f"T-{i}"))
    wall_ms = (time.perf_counter() - start) / n * 1000
    cpu_ms = (time.process_time() - cpu) / n * 1000
    print(f"{n} pushes: {wall_ms:.1f} ms wall, {cpu_ms:.1f} ms CPU (this process) per push")
    profile = cProfile.Profile()
    profile.enable()
    for i in range(n):
        push(client, key, body(MaHoSoQG=f"P-{i}"))
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats("motcua/", 40)
    stats.sort_stats("tottime").print_stats(25)
    print(out.getvalue())
