"""Reads that tolerate a little lag go to the PostgreSQL replica (``DATABASE_REPLICA_URL``).

Nothing reads the replica unless it asks to: reports, dashboards, exports and portal look-ups
run inside `reads_from_replica()` (a context manager and a decorator). Within it the
`ReplicaRouter` sends ORM reads to the ``replica`` alias, except when

- the replica is not usable: down, or lagging more than ``MOTCUA_REPLICA_MAX_LAG_SECONDS``
  (`ReplicaHealth`, checked at most every ``MOTCUA_REPLICA_CHECK_SECONDS`` per process);
- the request, or a request of the same browser in the last ``MOTCUA_PRIMARY_AFTER_WRITE_SECONDS``,
  wrote (`ReplicaPinMiddleware`: a cookie, so one's own reception shows in one's next report);
- the read is inside a transaction on the primary, or of a table whose per-process memo is
  keyed by the primary's generation numbers (`core.generations`): such a memo filled from a
  lagging replica would keep stale data under a current number; or of a table that decides
  about the request itself (sessions, idempotency keys, the portal's throttle: `PRIMARY_ONLY`).

Writes always go to ``default``.

Lag: the primary's WAL position is sampled at every check; the lag is the age of the oldest
sample the replica has not replayed yet (0 when it has replayed them all). An idle primary
therefore shows no lag, and a replica cut off from a primary that keeps writing shows a lag
that grows with the time since it stopped following. A replica that is no longer in recovery
(promoted) has no lag.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "motcua_primary_until"
SOURCE_HEADER = "X-Motcua-Reads"
T = TypeVar("T")

_wanted: ContextVar[bool] = ContextVar("motcua_replica_wanted", default=False)
_pinned: ContextVar[bool] = ContextVar("motcua_primary_pinned", default=False)
# True while the health check runs its own statements on the replica: those are not reads of
# the request's data, so the read-source header does not count them.
_checking: ContextVar[bool] = ContextVar("motcua_replica_checking", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Reads in this block may come from the replica (when usable). Also a decorator; for a
    read-only function prefer `on_replica`, which also survives a replica dying mid-call."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def on_replica(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` reading from the replica; if the replica fails during
    the call (it went down since the last check), it is marked down and the call is run
    again on the primary — so ``function`` must only read."""
    try:
        with reads_from_replica():
            return function(*args, **kwargs)
    except DatabaseError:
        if not _wanted_replica_failed():
            raise
        with reads_from_primary():
            return function(*args, **kwargs)


def replica_reads(function: Callable[..., T]) -> Callable[..., T]:
    """Decorator form of `on_replica` (views that only read: reports, dashboards)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        return on_replica(function, *args, **kwargs)

    return wrapper


def _wanted_replica_failed() -> bool:
    """After a database error in a replica read: was it the replica? (checked now)."""
    if not replica_configured() or connections[PRIMARY].in_atomic_block:
        return False
    return not health.check_now()


@contextmanager
def reads_from_primary() -> Iterator[None]:
    """Reads in this block come from the primary, even inside `reads_from_replica()`."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def parse_lsn(text: str) -> int:
    """``16/B374D848`` → an integer comparable with other positions."""
    high, _slash, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


class LagTracker:
    """The replica's lag in seconds from samples of the primary's WAL position."""

    def __init__(self) -> None:
        self.samples: list[tuple[int, float]] = []  # (primary position, when), oldest first

    def observe(self, *, primary_lsn: int, replayed_lsn: int, now: float) -> float:
        self.samples.append((primary_lsn, now))
        self.samples = [(lsn, at) for lsn, at in self.samples if lsn > replayed_lsn]
        return now - self.samples[0][1] if self.samples else 0.0


Measure = Callable[[LagTracker, float], float]


def measure_postgresql(tracker: LagTracker, now: float) -> float:
    """One check against the live servers; raises DatabaseError when one cannot answer."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        if not cursor.fetchone()[0]:
            return 0.0  # promoted, or a primary given as replica: nothing to wait for
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
            "ELSE pg_current_wal_lsn() END::text"
        )
        primary_lsn = parse_lsn(cursor.fetchone()[0])
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT COALESCE(pg_last_wal_replay_lsn(), '0/0')::text")
        replayed = parse_lsn(cursor.fetchone()[0])
    return tracker.observe(primary_lsn=primary_lsn, replayed_lsn=replayed, now=now)


def measure_any(tracker: LagTracker, now: float) -> float:
    """Other databases (a test mirror on SQLite): usable when it answers, no lag."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT 1")
    return 0.0


class ReplicaHealth:
    """Is the replica usable now? Decided at most every ``check_seconds``, per process."""

    def __init__(self, measure: Measure | None = None, clock: Callable[[], float] = time.monotonic):
        self.measure = measure
        self.clock = clock
        self.tracker = LagTracker()
        self.lock = threading.Lock()
        self.checked_at: float | None = None
        self.usable = False
        self.lag: float | None = None  # None: down

    def is_usable(self) -> bool:
        now = self.clock()
        interval = settings.MOTCUA_REPLICA_CHECK_SECONDS
        if self.checked_at is not None and now - self.checked_at < interval:
            return self.usable
        with self.lock:
            if self.checked_at is not None and now - self.checked_at < interval:
                return self.usable
            self.lag = self._measure(now)
            self.usable = (
                self.lag is not None and self.lag <= settings.MOTCUA_REPLICA_MAX_LAG_SECONDS
            )
            self.checked_at = now
            if not self.usable:
                log.warning(
                    "replica skipped: %s", "down" if self.lag is None else f"lag {self.lag:.1f} s"
                )
            return self.usable

    def check_now(self) -> bool:
        """Check again at once (after an error on the replica); returns the new answer."""
        with self.lock:
            self.checked_at = None
        return self.is_usable()

    def _measure(self, now: float) -> float | None:
        measure = self.measure
        if measure is None:
            vendor = connections[REPLICA].vendor
            measure = measure_postgresql if vendor == "postgresql" else measure_any
        token = _checking.set(True)
        try:
            return measure(self.tracker, now)
        except DatabaseError as exc:
            log.warning("replica check failed: %s", exc)
            for alias in (REPLICA, PRIMARY):
                if connections[alias].in_atomic_block:
                    continue
                connections[alias].close()  # the next use reconnects
            return None
        finally:
            _checking.reset(token)

    def reset(self) -> None:
        with self.lock:
            self.checked_at = None
            self.tracker = LagTracker()


health = ReplicaHealth()


# Tables read to decide something about the request itself, never from a lagging copy. Apps
# add their own with ``primary_only(...)`` in their AppConfig.ready() (core names no app).
PRIMARY_ONLY: set[str] = {
    "sessions.session",
    "core.generation",
    "core.idempotencykey",
}


def primary_only(*labels: str) -> None:
    """Register models ("app_label.model") that are always read on the primary."""
    PRIMARY_ONLY.update(label.lower() for label in labels)


def _primary_only_models() -> frozenset[str]:
    from motcua.core.generations import GROUPS

    labels = set(PRIMARY_ONLY)
    for group in GROUPS.values():
        for label in group:
            app_label, _dot, name = label.partition(".")
            try:
                labels.add(apps.get_model(app_label, name)._meta.label_lower)
            except LookupError:
                labels.add(label.lower())
    return frozenset(labels)


class ReplicaRouter:
    """DATABASE_ROUTERS entry when ``DATABASE_REPLICA_URL`` is set (see the module text)."""

    def __init__(self) -> None:
        self._primary_only: frozenset[str] | None = None

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not _wanted.get() or _pinned.get() or not replica_configured():
            return None
        if self._primary_only is None:
            self._primary_only = _primary_only_models()
        if model._meta.label_lower in self._primary_only:
            return None
        if connections[PRIMARY].in_atomic_block:
            return None
        return REPLICA if health.is_usable() else None

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


class ReplicaPinMiddleware:
    """Reads of a request come from the primary once it (or the same browser, recently) wrote.

    A request carrying a fresh ``motcua_primary_until`` cookie reads the primary throughout;
    a request that writes reads the primary from its first write on and sets the cookie for
    ``MOTCUA_PRIMARY_AFTER_WRITE_SECONDS``. (Clients without cookies, such as other systems
    calling the API, read their writes through the API's own look-ups, which use the primary.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        wrote: list[bool] = []
        until = _cookie_time(request.COOKIES.get(COOKIE, ""))
        token = _pinned.set(until > time.time())

        def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
            if not wrote and sql.lstrip()[:6].upper().startswith(WRITES):
                wrote.append(True)
                _pinned.set(True)
            return execute(sql, params, many, context)

        replica_used: list[bool] = []

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
            if not _checking.get():  # the health check's own statements read no data
                replica_used.append(True)
            return execute(sql, params, many, context)

        try:
            with (
                connections[PRIMARY].execute_wrapper(watch),
                connections[REPLICA].execute_wrapper(count),
            ):
                response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if settings.MOTCUA_READ_SOURCE_HEADER:
            # For operators and the cluster tests: did this request read the replica?
            response[SOURCE_HEADER] = "replica" if replica_used else "primary"
        if wrote:
            seconds = settings.MOTCUA_PRIMARY_AFTER_WRITE_SECONDS
            response.set_cookie(
                COOKIE,
                str(int(time.time() + seconds)),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def _cookie_time(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0
