"""PostgreSQL only: COPY statements sent from a background thread, ids reserved up front.

``psycopg``'s COPY is synchronous: while PostgreSQL parses the rows, updates the indexes and
checks the foreign keys of one chunk, the caller waits. ``CopyStream`` hands the chunks to a
thread that owns the connection for the duration, so the caller formats the next chunk while
PostgreSQL (its own process, another core) works on the previous one.

The foreign keys of the written tables are checked at the end of each COPY statement
(``SET CONSTRAINTS ... IMMEDIATE``, which any role may run) instead of all at commit, so that
these checks overlap the Python work too; the constraints are deferred again afterwards, as
they were declared. Nothing is disabled: every row is checked, in the same transaction.
"""

from __future__ import annotations

import queue
import threading
from types import TracebackType
from typing import Any

from django.db import connection, models

# Chunks waiting for the thread: enough to keep PostgreSQL busy, little memory.
_QUEUED = 3


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the table's own sequence (as the inserts would take)."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _deferred_foreign_keys(models_: list[type[models.Model]]) -> list[str]:
    """Names of the deferrable, initially deferred foreign keys of these models' tables."""
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conname FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.condeferrable AND c.condeferred "
            "AND c.conrelid = ANY(ARRAY(SELECT to_regclass(t) FROM unnest(%s::text[]) t)) "
            "ORDER BY 1",
            [[connection.ops.quote_name(table) for table in tables]],
        )
        return [row[0] for row in cursor.fetchall()]


class CopyStream:
    """``with CopyStream(models=[...]) as stream: stream.copy(sql, text) ...``

    Must run inside the caller's transaction; the caller must not use the database connection
    until the block ends (the thread owns it). An error of a COPY is raised by the next
    ``copy`` or at the end of the block; the transaction is then rolled back by the caller.
    """

    def __init__(self, *, models: list[type[models.Model]]) -> None:
        self._models = models
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=_QUEUED)
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread: threading.Thread | None = None
        self._constraints: list[str] = []

    def __enter__(self) -> CopyStream:
        if not connection.in_atomic_block:
            raise RuntimeError("CopyStream must run inside a transaction")
        self._constraints = _deferred_foreign_keys(self._models)
        self._set_constraints("IMMEDIATE")
        self._raw = connection.connection
        self._thread = threading.Thread(target=self._run, name="motcua-copy", daemon=True)
        self._thread.start()
        return self

    def _set_constraints(self, mode: str) -> None:
        if not self._constraints:
            return
        names = ", ".join(connection.ops.quote_name(name) for name in self._constraints)
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {names} {mode}")

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None or self._cancelled:
                continue  # drain: the transaction fails anyway
            sql, text = item
            try:
                with self._raw.cursor() as cursor, cursor.copy(sql) as copy:
                    copy.write(text)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                self._error = exc

    def copy(self, sql: str, text: str) -> None:
        """Queue ``COPY ... FROM STDIN`` with ``text`` (whole lines in COPY text format)."""
        if self._error is not None:
            self._raise()
        self._queue.put((sql, text))

    def _raise(self) -> None:
        error = self._error
        assert error is not None
        # As Django's own cursors do: psycopg's errors become django.db's (IntegrityError...).
        with connection.wrap_database_errors:
            raise error

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> Any:
        if exc is not None:
            self._cancelled = True
        self._queue.put(None)
        assert self._thread is not None
        self._thread.join()
        if exc is not None:
            return False
        if self._error is not None:
            self._raise()
        self._set_constraints("DEFERRED")
        return False
