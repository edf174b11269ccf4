"""Per-process memos of rarely changing reads, dropped the moment the database changes.

Some reads (in this project: the catalogue, the working calendar, access) are made by every
reception but change a few times a day. Each group of tables has a row in ``core_generation``
whose ``value`` database triggers change on every insert, update, delete (and truncate) of those
tables: PostgreSQL takes a new number from a sequence per statement, SQLite a random 64-bit number per row. Nothing in
Python has to remember to bump it: the admin, imports, raw SQL and migrations all do.

``memo("catalogue")`` reads the group's value (one small query) and returns the process's dict
for that value, a new empty one when the value changed since the last call. Because the value
is read first and the data after, a memo never holds data older than its generation; a value
rolled back with its transaction is never reused, so memos filled inside a rolled-back
transaction are dropped too. When the row or the triggers are missing the memo is a fresh dict
on every call, i.e. no caching, never stale data.

Within a ``memo_scope`` (each request, through `GenerationMiddleware`; the reception services)
all memo calls share one read of the values until the scope itself writes to a tracked table.

Core knows no app: each app names its tracked tables (``track(group, *models)`` in its
``AppConfig.ready``), and a test checks that every memoised read touches only tables of the
groups its memo is valid for.

Triggers are (re)installed idempotently after every ``migrate`` (``install_triggers``), because
SQLite drops a table's triggers when a migration rebuilds the table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

# Every name below (tables, groups, functions) is a constant of this module or a model's
# db_table, never user input.

T = TypeVar("T")

# group name -> the models whose tables feed it. Filled by the apps that own the tables
# (``track`` in their ``AppConfig.ready``): core knows no app.
GROUPS: dict[str, tuple[str, ...]] = {}


def track(group: str, *labels: str) -> None:
    """Add models (``"app.Model"``, or an auto-created M2M table's model such as
    ``"app.Model_field"``) to a group: a write to their tables drops the group's memos.

    Called by each app from ``AppConfig.ready()``; a memoised selector may read only tables of
    the groups its memo names (``tests/core/test_memo_tracking.py`` checks it)."""
    if not group.isidentifier():
        raise ValueError(f"generation group {group!r}: use a plain identifier")
    global _tracked
    known = GROUPS.get(group, ())
    GROUPS[group] = (*known, *(label for label in labels if label not in known))
    _tracked = None


TABLE = "core_generation"
SEQUENCE = "core_generation_seq"
# A memo never grows past this many entries (it is emptied and starts again).
MAX_ENTRIES = 20_000


class Memo(dict):
    """A memo: a dict that knows the groups it is valid for (what ``remembered`` may read)."""

    __slots__ = ("groups",)

    def __init__(self, groups: tuple[str, ...]) -> None:
        super().__init__()
        self.groups = groups


_lock = threading.Lock()
# (alias, names) -> (values, data)
_memos: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, ...], Memo]] = {}


def _read(names: tuple[str, ...], using: str) -> tuple[int, ...] | None:
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT name, value FROM {TABLE} WHERE name IN ({', '.join(['%s'] * len(names))})",  # noqa: S608 - constants
            names,
        )
        found = dict(cursor.fetchall())
    if len(found) != len(names):
        return None
    return tuple(found[name] for name in names)


# Within a scope (``memo_scope``: a request, a reception service): the values read by the
# scope's first memo call, per database alias, dropped when the scope writes to a tracked table.
_request_values: ContextVar[dict[str, dict[str, int]] | None] = ContextVar(
    "generation_values", default=None
)


# Marks an alias whose request wrote to a tracked table: from then on, read on every call (the
# write may be committed or rolled back later, and a rollback passes by no statement we see).
_DIRTY: dict[str, int] = {}


def _current(names: tuple[str, ...], using: str) -> tuple[int, ...] | None:
    seen = _request_values.get()
    if seen is None:
        return _read(names, using)
    values = seen.get(using)
    if values is _DIRTY:
        return _read(names, using)
    if values is None:
        everything = tuple(GROUPS)
        read = _read(everything, using)
        if read is None:
            return None
        values = seen[using] = dict(zip(everything, read, strict=True))
    return tuple(values[name] for name in names)


def memo(*names: str, using: str = "default") -> Memo:
    """The process's memo for the current values of the groups ``names`` (one query, or none
    inside a ``memo_scope`` that already read them and has written nothing to their tables).

    Use the dict at once: do not keep it across a write to the same tables, or what is loaded
    after the write would be stored under the value from before it."""
    assert names and all(name in GROUPS for name in names), names
    values = _current(names, using)
    if values is None:
        return Memo(names)
    key = (using, names)
    with _lock:
        entry = _memos.get(key)
        if entry is None or entry[0] != values or len(entry[1]) > MAX_ENTRIES:
            entry = _memos[key] = (values, Memo(names))
    return entry[1]


def memos(*names: str, using: str = "default") -> tuple[Memo, ...]:
    """``memo(name)`` for each of ``names``, with one query for all of them (or none)."""
    assert names and all(name in GROUPS for name in names), names
    values = _current(names, using)
    if values is None:
        return tuple(Memo((name,)) for name in names)
    result = []
    with _lock:
        for name, value in zip(names, values, strict=True):
            key = (using, (name,))
            entry = _memos.get(key)
            if entry is None or entry[0] != (value,) or len(entry[1]) > MAX_ENTRIES:
                entry = _memos[key] = ((value,), Memo((name,)))
            result.append(entry[1])
    return tuple(result)


# Called instead of ``load()`` by ``remembered`` while set (``watch_loads``): tests use it to
# check that each memoised read touches only tables of its memo's groups.
_load_watcher: ContextVar[Callable[[tuple[str, ...], Hashable, Callable[[], Any]], Any] | None] = (
    ContextVar("generation_load_watcher", default=None)
)


def remembered(data: Memo, key: Hashable, load: Callable[[], T]) -> T:
    """``data[key]``, loaded and stored on first use (None is remembered too).

    ``data`` is a ``memo(...)``: ``load`` may read only the tables of its groups."""
    try:
        return data[key]
    except KeyError:
        watcher = _load_watcher.get()
        value = data[key] = load() if watcher is None else watcher(data.groups, key, load)
        return value


@contextmanager
def watch_loads(
    watcher: Callable[[tuple[str, ...], Hashable, Callable[[], Any]], Any],
) -> Iterator[None]:
    """Within the block, every memo load runs as ``watcher(groups, key, load)`` (for checks)."""
    token = _load_watcher.set(watcher)
    try:
        yield
    finally:
        _load_watcher.reset(token)


def tables_of(groups: Iterable[str]) -> set[str]:
    """The database tables tracked by ``groups``."""
    return {apps.get_model(label)._meta.db_table for name in groups for label in GROUPS[name]}


def memo_clear() -> None:
    with _lock:
        _memos.clear()


def _tables(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    existing = set(connection.introspection.table_names())
    return {
        name: [
            table for label in labels if (table := apps.get_model(label)._meta.db_table) in existing
        ]
        for name, labels in GROUPS.items()
    }


def install_triggers(*, using: str = "default") -> None:
    """Create the group rows and the triggers that change them (idempotent)."""
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return
    groups = _tables(connection)
    with connection.cursor() as cursor:
        for name in groups:
            cursor.execute(
                f"INSERT INTO {TABLE} (name, value) VALUES (%s, 0) ON CONFLICT (name) DO NOTHING",  # noqa: S608
                [name],
            )
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, groups)
        elif connection.vendor == "sqlite":
            _install_sqlite(cursor, groups)


def _install_postgresql(cursor: Any, groups: dict[str, list[str]]) -> None:
    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    for name, tables in groups.items():
        function = f"core_generation_bump_{name}"
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
            f"BEGIN UPDATE {TABLE} SET value = nextval('{SEQUENCE}') WHERE name = '{name}'; "
            "RETURN NULL; END $$"
        )
        for table in tables:
            # DROP + CREATE rather than CREATE OR REPLACE TRIGGER: PostgreSQL 13 has no such thing.
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )


def _install_sqlite(cursor: Any, groups: dict[str, list[str]]) -> None:
    # DROP + CREATE so that a changed trigger body replaces the old one.
    for name, tables in groups.items():
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                trigger = f"{table}_generation_{event.lower()}"
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {table} "  # noqa: S608
                    f"BEGIN UPDATE {TABLE} SET value = random() WHERE name = '{name}'; END"
                )


def triggers_installed(*, using: str = "default") -> dict[str, bool]:
    """Each tracked table: has it its generation trigger(s)? (for checks and tests)."""
    connection = connections[using]
    groups = _tables(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE '%%_generation'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%_generation_%'"
            )
        present = {row[0] for row in cursor.fetchall()}
    return {table: table in present for tables in groups.values() for table in tables}


_tracked: tuple[str, ...] | None = None


def _tracked_tables() -> tuple[str, ...]:
    """Every tracked table (computed once after the apps registered their groups)."""
    global _tracked
    if _tracked is None:
        _tracked = tuple(tables_of(GROUPS))
    return _tracked


@contextmanager
def memo_scope() -> Iterator[None]:
    """Within the block, memo calls share one read of the generation values.

    Every statement sent meanwhile is watched: one that is not a plain SELECT and names a
    tracked table (an insert, update or delete of a tracked table) makes every later memo call
    of the block read the values again (the write may yet be rolled back, which no statement
    shows). Nested scopes share the outer one. Outside any scope every memo call reads them.
    Usable as a decorator (``@memo_scope()``) on a service that reads several memos."""
    if _request_values.get() is not None:
        yield
        return
    seen: dict[str, dict[str, int]] = {}
    tables = _tracked_tables()
    token = _request_values.set(seen)
    try:
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(_watch(seen, alias, tables)))
            yield
    finally:
        _request_values.reset(token)


def _watch(
    seen: dict[str, dict[str, int]], alias: str, tables: tuple[str, ...]
) -> Callable[..., Any]:
    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        if seen.get(alias) is not _DIRTY:
            head = sql.lstrip()[:6].upper()
            if head != "SELECT" and any(table in sql for table in tables):
                seen[alias] = _DIRTY
        return execute(sql, params, many, context)

    return watch


class GenerationMiddleware:
    """Each request is one ``memo_scope``: the generation values are read once per request
    instead of once per memo call (again after the request writes to a tracked table)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Paths that read no memoised table (settings.MOTCUA_MEMO_SCOPE_SKIP, exact paths):
        # the scope's set-up is skipped there. Safe anywhere: a memo outside a scope reads the
        # generation values itself, once per call.
        self.skip = frozenset(getattr(settings, "MOTCUA_MEMO_SCOPE_SKIP", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in self.skip:
            return self.get_response(request)
        with memo_scope():
            return self.get_response(request)
