"""`motcua import dossiers`: all or nothing, idempotent, fast (interchange.md, "Dossiers").

The rows are checked in Python against the catalogue loaded once; due instants are computed
vectorised per calendar; dossiers, their "import" events and supplement waits are written with
``bulk_create`` in one transaction. A row is the same dossier as an existing one when it has the
same ``code``, or, without a code, the same agency, procedure, channel and reception time: such a
dossier is updated when the row says something else, and left alone otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.core.csvio import read_csv
from motcua.core.errors import ImportFailed, RowError
from motcua.core.interchange import ImportResult
from motcua.dossiers.choices import OPEN_STATES, DossierState, Outcome
from motcua.dossiers.interchange.due import DueComputer
from motcua.dossiers.interchange.fastrows import parse_rows
from motcua.dossiers.interchange.rows import (
    OPTIONAL,
    REQUIRED,
    Catalogue,
    ParsedRow,
)
from motcua.dossiers.interchange.writer import write_plans

# The dossier fields an import sets (and compares with an existing dossier).
COMPARED = (
    "agency_id",
    "receiving_unit_id",
    "procedure_id",
    "channel",
    "online_class",
    "received_at",
    "due_at",
    "state",
    "outcome",
    "closed_at",
    "paused_at",
    "delivered_at",
    "delivery_channel",
)
_CHUNK = 2000
# Plain strings (enum members are slow to build and compare by the hundred thousand).
_FILED = str(DossierState.FILED.value)
_AWAITING = str(DossierState.AWAITING_SUPPLEMENT.value)
_IN_PROCESS = str(DossierState.IN_PROCESS.value)
_DELIVERED = str(DossierState.DELIVERED.value)
_RESOLVED = str(DossierState.RESOLVED.value)
assert _FILED == Outcome.FILED and _RESOLVED == Outcome.RESOLVED
assert {"refused", "withdrawn", "stopped"} <= set(DossierState.values) & set(Outcome.values)


@dataclass
class Plan:
    """What to write for one row."""

    row: ParsedRow
    # The dossier's fields ({} until planned, see _plan) and the (requested, received, due
    # before, due after) of the row's supplement wait.
    values: dict[str, Any] = field(default_factory=dict)
    wait: tuple[dt.datetime, dt.datetime | None, dt.datetime | None, dt.datetime | None] | None = (
        None
    )
    existing: dict[str, Any] | None = None
    changed: tuple[str, ...] = ()
    wait_changed: bool = False


def import_dossiers(*, path: Path) -> ImportResult:
    """Import a dossier CSV file; raises ImportFailed listing every error (nothing written)."""
    table = read_csv(path, required=REQUIRED, optional=OPTIONAL)
    return _import(table.rows, source=Path(path).name)


def import_dossier_records(
    records: Iterable[Mapping[str, Any]], *, source: str = "records"
) -> ImportResult:
    """Import already-read rows: dicts with the CSV columns as keys and strings as values.

    Same checks and effects as a file: row numbers in errors count as in a file whose header is
    line 1 (the first record is row 2). Missing keys are empty cells; None is empty; datetimes
    and numbers are accepted and converted to text (a naive datetime is local time).
    """
    allowed = REQUIRED | OPTIONAL
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for index, record in enumerate(records):
        line = index + 2
        for name in sorted(set(record) - allowed):
            errors.append(
                RowError(line, name, "unknown column; expected: " + ", ".join(sorted(allowed)))
            )
        rows.append((line, {key: _cell(value) for key, value in record.items()}))
    if errors:
        raise ImportFailed(errors)
    return _import(rows, source=source)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _import(rows: list[tuple[int, dict[str, str]]], *, source: str) -> ImportResult:
    catalogue = Catalogue.load()
    parsed, errors = parse_rows(rows, catalogue)
    errors.extend(_duplicates(parsed))
    with transaction.atomic():
        existing = _match_existing(parsed, catalogue, errors)
        if errors:
            raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
        plans, complete = _plan(parsed, existing)
        return write_plans(plans, catalogue=catalogue, source=source, complete=complete)


def _no_code_key(row: ParsedRow) -> tuple:
    return (row.agency_id, row.procedure.id, row.channel, row.received_at)


def _duplicates(parsed: list[ParsedRow]) -> list[RowError]:
    errors = []
    codes: dict[str, int] = {}
    keys: dict[tuple, int] = {}
    for row in parsed:
        if row.code:
            first = codes.setdefault(row.code, row.line)
            if first != row.line:
                errors.append(RowError(row.line, "code", f"'{row.code}' also on row {first}"))
        else:
            first = keys.setdefault(_no_code_key(row), row.line)
            if first != row.line:
                errors.append(
                    RowError(
                        row.line,
                        "received_at",
                        f"same agency, procedure, channel and reception time as row {first} "
                        "(rows without code are matched on those)",
                    )
                )
    return errors


def _match_existing(
    parsed: list[ParsedRow], catalogue: Catalogue, errors: list[RowError]
) -> dict[int, dict[str, Any]]:
    """The existing dossier of each row (by row line), with its last supplement wait."""
    from motcua.dossiers.models import Dossier, SupplementWait

    fields = ("id", "code", *COMPARED)
    matched: dict[int, dict[str, Any]] = {}
    with_code = [row for row in parsed if row.code]
    by_code: dict[str, dict[str, Any]] = {}
    codes = [row.code for row in with_code]
    for i in range(0, len(codes), _CHUNK):
        for found in Dossier.objects.filter(code__in=codes[i : i + _CHUNK]).values(*fields):
            by_code[found["code"]] = found
    for row in with_code:
        found = by_code.get(row.code)
        if found is None:
            continue
        if found["agency_id"] != row.agency_id:
            other = catalogue.agency_codes.get(found["agency_id"], "?")
            errors.append(
                RowError(
                    row.line, "code", f"dossier '{row.code}' exists already with agency '{other}'"
                )
            )
        else:
            matched[row.line] = found
    without_code = [row for row in parsed if not row.code]
    if without_code:
        agency_ids = sorted({row.agency_id for row in without_code})
        first = min(row.received_at for row in without_code)
        last = max(row.received_at for row in without_code)
        by_key: dict[tuple, dict[str, Any]] = {}
        for i in range(0, len(agency_ids), _CHUNK):
            candidates = Dossier.objects.filter(
                agency_id__in=agency_ids[i : i + _CHUNK],
                received_at__gte=first,
                received_at__lte=last,
            ).order_by("id")
            for found in candidates.values(*fields):
                key = (found["agency_id"], found["procedure_id"], found["channel"])
                by_key.setdefault((*key, found["received_at"]), found)
        for row in without_code:
            found = by_key.get(_no_code_key(row))
            if found is not None:
                matched[row.line] = found
    ids = [found["id"] for found in matched.values()]
    last_wait: dict[int, tuple] = {}
    for i in range(0, len(ids), _CHUNK):
        waits = SupplementWait.objects.filter(dossier_id__in=ids[i : i + _CHUNK]).order_by(
            "dossier_id", "requested_at", "id"
        )
        for wait_id, dossier_id, requested, received in waits.values_list(
            "id", "dossier_id", "requested_at", "received_at"
        ):
            last_wait[dossier_id] = (wait_id, requested, received)
    for found in matched.values():
        found["last_wait"] = last_wait.get(found["id"])
    return matched


def _plan(
    parsed: list[ParsedRow], existing: dict[int, dict[str, Any]]
) -> tuple[list[Plan], Callable[[list[Plan]], None]]:
    """A plan for each row and ``complete``, which fills in the values and wait of plans.

    The plans of rows matching an existing dossier are complete (their differences are
    needed now); the writer completes the others when it writes them, chunk by chunk. Every
    calendar is loaded here: ``complete`` reads nothing from the database.
    """
    computer = DueComputer()
    for agency_id in {row.agency_id for row in parsed}:
        computer.calendar(agency_id)

    def complete(plans: list[Plan]) -> None:
        to_compute = [
            plan for plan in plans if plan.row.due_at is None and not plan.row.procedure.one_way
        ]
        computed = computer.dues(
            [
                (p.row.agency_id, p.row.received_at, p.row.processing_time, p.row.time_unit)
                for p in to_compute
            ]
        )
        base_due = {id(plan): due for plan, due in zip(to_compute, computed, strict=True)}
        for plan in plans:
            _map(plan, base_due.get(id(plan), plan.row.due_at), computer)

    plans = [Plan(row=row) for row in parsed]
    matched = []
    for plan in plans:
        found = existing.get(plan.row.line)
        if found is not None:
            plan.existing = found
            matched.append(plan)
    complete(matched)
    for plan in matched:
        plan.changed = _differences(plan.values, plan.existing)
        plan.wait_changed = _wait_differs(plan.wait, plan.existing["last_wait"])
    return plans, complete


def _map(plan: Plan, due: dt.datetime | None, computer: DueComputer) -> None:
    """Fills in the dossier's fields and supplement wait of a valid row's plan."""
    row = plan.row
    closed_at = row.closed_at
    requested, resumed = row.supplement_requested_at, row.supplement_received_at
    paused_at = None
    wait = None
    if row.procedure.one_way:
        state, outcome = _FILED, _FILED
        closed_at, due = closed_at or row.received_at, None
    else:
        if requested is not None and resumed is None and closed_at is not None:
            resumed = closed_at  # the wait ended when the dossier was closed
        if requested is not None:
            due_before, due_after = due, None
            if resumed is None:
                paused_at = requested
            elif row.due_at is None:
                due_after = computer.after_supplement(
                    agency_id=row.agency_id,
                    due_at=due,
                    requested_at=requested,
                    received_at=resumed,
                    amount=row.processing_time,
                    unit=row.time_unit,
                )
                due = due_after
            else:  # a given due already counts the wait
                due_before, due_after = None, due
            wait = (requested, resumed, due_before, due_after)
        if row.outcome == "pending":
            state = _AWAITING if paused_at else _IN_PROCESS
            outcome = ""
        elif row.outcome == "resolved":
            state = _DELIVERED if row.delivered_at else _RESOLVED
            outcome = _RESOLVED
        else:
            state = outcome = row.outcome  # refused, withdrawn, stopped: same names
    values = {
        "agency_id": row.agency_id,
        "receiving_unit_id": row.receiving_unit_id,
        "procedure_id": row.procedure.id,
        "channel": row.channel,
        "online_class": row.online_class,
        "received_at": row.received_at,
        "due_at": due,
        "state": state,
        "outcome": outcome,
        "closed_at": closed_at,
        "paused_at": paused_at,
        "delivered_at": row.delivered_at,
        "delivery_channel": row.delivery_channel,
        "processing_time": row.processing_time,
        "time_unit": row.time_unit,
        "one_way": row.procedure.one_way,
    }
    plan.values, plan.wait = values, wait


def _differences(values: dict[str, Any], found: dict[str, Any]) -> tuple[str, ...]:
    changed = []
    for name in COMPARED:
        new, old = values[name], found[name]
        if name == "state" and _same_open_state(new, old):
            continue
        if new != old:
            changed.append(name)
    return tuple(changed)


def _same_open_state(new: str, old: str) -> bool:
    """A pending row matches any open state of a dossier not waiting for a supplement."""
    waiting = DossierState.AWAITING_SUPPLEMENT
    return new == DossierState.IN_PROCESS and old in OPEN_STATES and old != waiting


def _wait_differs(wait: tuple | None, last: tuple | None) -> bool:
    if wait is None:
        return False
    return last is None or (last[1], last[2]) != (wait[0], wait[1])
