"""``/healthz`` (the process answers and the database is reachable) and ``/readyz`` (ready to
serve: database reachable, every migration applied, uploads writable). JSON, no login, cheap:
the migration check reads the migration graph once per process and remembers success."""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrations_applied = False


def database_reachable(alias: str = "default") -> tuple[bool, str]:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, type(exc).__name__
    return True, "ok"


def pending_migrations(alias: str = "default") -> list[str]:
    """The migrations not yet applied to the database (``app.name``)."""
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def migrations_applied() -> tuple[bool, str]:
    global _migrations_applied
    if _migrations_applied:
        return True, "ok"
    try:
        pending = pending_migrations()
    except DatabaseError as exc:
        return False, type(exc).__name__
    if pending:
        return False, f"{len(pending)} pending: {', '.join(pending[:5])}"
    _migrations_applied = True
    return True, "ok"


def media_writable() -> tuple[bool, str]:
    root = settings.MEDIA_ROOT
    if not os.path.isdir(root):
        return False, "MEDIA_ROOT does not exist"
    if not os.access(root, os.W_OK | os.X_OK):
        return False, "MEDIA_ROOT is not writable"
    return True, "ok"


def _answer(checks: dict[str, tuple[bool, str]], started: float) -> JsonResponse:
    ok = all(passed for passed, _detail in checks.values())
    body: dict[str, Any] = {
        "status": "ok" if ok else "fail",
        "checks": {
            name: {"ok": passed, "detail": detail} for name, (passed, detail) in checks.items()
        },
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    return _answer({"database": database_reachable()}, started)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    checks = {"database": database_reachable()}
    if checks["database"][0]:
        checks["migrations"] = migrations_applied()
    checks["media"] = media_writable()
    return _answer(checks, started)
