"""Procedures CSV: one row per (procedure, handling agency) (interchange.md).

Rules beyond the column table:

- The rows of one procedure code (one per agency) must agree on every column but `agency_code`.
- An empty cell means "not given": a new procedure takes the documented default, an existing one
  keeps its current value (so a file without `postal` does not clear what the admin recorded).
- `postal` true registers the public postal service both for reception and for return; false
  clears both.
- Assignments are only added. An agency that handled the procedure but is no longer in the file
  keeps its assignment: dossiers may refer to it, and withdrawing a procedure from an agency is a
  decision recorded in the admin, not a side effect of an import.
- Per-agency processing time and online class (set in the admin) are not part of this format:
  the export writes the procedure's own values and an import leaves the per-agency ones alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from motcua.catalog.choices import OnlineClass, TimeUnit
from motcua.catalog.interchange.common import (
    fail_if_any,
    format_boolean,
    format_decimal,
    optional_boolean,
)
from motcua.catalog.models import Agency, Procedure, ProcedureAssignment
from motcua.catalog.services import ProcedureSpec, procedures_upsert
from motcua.core.audit import audit_record
from motcua.core.csvio import RowReader, read_csv, write_csv
from motcua.core.errors import RowError
from motcua.core.interchange import ImportResult

# Names may hold line breaks (as a spreadsheet cell can); codes never.
MULTILINE = frozenset({"name", "field"})
REQUIRED = {"code", "name", "field", "agency_code", "processing_time"}
OPTIONAL = {"time_unit", "one_way", "online_class", "postal"}
COLUMNS = [
    "code",
    "name",
    "field",
    "agency_code",
    "processing_time",
    "time_unit",
    "one_way",
    "online_class",
    "postal",
]
OWN_COLUMNS = [c for c in COLUMNS if c not in ("code", "agency_code")]
MAX_TIME = Decimal("99999.99")  # the model keeps 7 digits, 2 after the point


@dataclass
class _Row:
    line: int
    code: str
    agency_code: str
    values: dict[str, Any]  # the procedure's own columns, parsed; None = not given


def _parse(line: int, row: dict[str, str]) -> tuple[_Row, list[RowError]]:
    reader = RowReader(line, row)
    code = reader.text("code", required=True, max_length=40)
    agency_code = reader.text("agency_code", required=True, max_length=40)
    time = reader.decimal("processing_time", minimum=Decimal(0))
    if time is not None and (time > MAX_TIME or time != time.quantize(Decimal("0.01"))):
        reader.error("processing_time", f"'{row['processing_time']}' has too many digits")
        time = None
    values = {
        "name": reader.text("name", required=True) or None,
        "field": reader.text("field", required=True, max_length=255) or None,
        "processing_time": time,
        "time_unit": reader.choice("time_unit", TimeUnit),
        "one_way": optional_boolean(reader, "one_way"),
        "online_class": reader.choice("online_class", OnlineClass),
        "postal": optional_boolean(reader, "postal"),
    }
    return _Row(line, code, agency_code, values), reader.errors


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_boolean(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _merge(first: _Row, existing: Procedure | None, agency_codes: list[str]) -> ProcedureSpec:
    """The procedure as it will be: given values, else the current ones, else the defaults."""
    given = first.values

    def pick(name: str, attribute: str, default: Any) -> Any:
        if given[name] is not None:
            return given[name]
        return getattr(existing, attribute) if existing is not None else default

    postal = given["postal"]
    return ProcedureSpec(
        code=first.code,
        name=given["name"],
        field_name=given["field"],
        processing_time=pick("processing_time", "processing_time", None),
        time_unit=pick("time_unit", "time_unit", TimeUnit.WORKING_DAYS),
        one_way=pick("one_way", "one_way", False),
        online_class=pick("online_class", "online_class", OnlineClass.NONE),
        postal_reception=postal
        if postal is not None
        else bool(existing and existing.postal_reception),
        postal_return=postal if postal is not None else bool(existing and existing.postal_return),
        agency_codes=tuple(agency_codes),
    )


def _check(
    table_rows: list[tuple[int, dict[str, str]]],
) -> tuple[list[ProcedureSpec], list[RowError]]:
    errors: list[RowError] = []
    groups: dict[str, list[_Row]] = {}
    for line, raw in table_rows:
        row, row_errors = _parse(line, raw)
        errors.extend(row_errors)
        if row.code:
            groups.setdefault(row.code, []).append(row)

    agency_codes = {row.agency_code for rows in groups.values() for row in rows if row.agency_code}
    known_agencies: set[str] = set()
    wanted = sorted(agency_codes)
    for start in range(0, len(wanted), 2000):
        known_agencies.update(
            Agency.objects.filter(code__in=wanted[start : start + 2000]).values_list(
                "code", flat=True
            )
        )
    existing = Procedure.objects.in_bulk(list(groups), field_name="code")

    specs: list[ProcedureSpec] = []
    for code, rows in groups.items():
        first = rows[0]
        seen_agencies: dict[str, int] = {}
        for row in rows:
            if row.agency_code and row.agency_code not in known_agencies:
                errors.append(
                    RowError(row.line, "agency_code", f"unknown agency '{row.agency_code}'")
                )
            if row.agency_code in seen_agencies:
                errors.append(
                    RowError(
                        row.line,
                        "agency_code",
                        f"procedure '{code}' is already assigned to agency '{row.agency_code}' "
                        f"in row {seen_agencies[row.agency_code]}",
                    )
                )
            elif row.agency_code:
                seen_agencies[row.agency_code] = row.line
            if row is first:
                continue
            for column in OWN_COLUMNS:
                if row.values[column] != first.values[column]:
                    errors.append(
                        RowError(
                            row.line,
                            column,
                            f"'{_shown(row.values[column])}' differs from "
                            f"'{_shown(first.values[column])}' in row {first.line} "
                            f"for the same procedure '{code}'",
                        )
                    )
        spec = _merge(first, existing.get(code), list(seen_agencies))
        if spec.processing_time is None and not spec.one_way:
            for row in rows:
                if row.values["processing_time"] is None and "processing_time" not in {
                    e.column for e in errors if e.row == row.line
                }:
                    errors.append(
                        RowError(
                            row.line,
                            "processing_time",
                            "a value is required unless one_way is true",
                        )
                    )
        specs.append(spec)
    return specs, errors


def import_procedures(*, path: Path, actor: Any = None) -> ImportResult:
    """Create or update the procedures of a CSV file, all or nothing (raises ImportFailed)."""
    table = read_csv(path, required=REQUIRED, optional=OPTIONAL, multiline=MULTILINE)
    specs, errors = _check(table.rows)
    fail_if_any(errors)
    with transaction.atomic():
        result = procedures_upsert(specs=specs)
        audit_record(
            actor=actor,
            action="catalog.import_procedures",
            payload={
                "file": Path(path).name,
                "rows": len(table.rows),
                "procedures": len(specs),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result


def export_procedures(*, out: TextIO) -> int:
    """One row per (procedure, agency), ordered by procedure code then agency code.

    A procedure handled by no agency cannot be written in this format and is left out.
    """
    pairs = (
        ProcedureAssignment.objects.order_by("procedure__code", "agency__code")
        .values_list(
            "procedure__code",
            "procedure__name",
            "procedure__field__name",
            "agency__code",
            "procedure__processing_time",
            "procedure__time_unit",
            "procedure__one_way",
            "procedure__online_class",
            "procedure__postal_reception",
            "procedure__postal_return",
        )
        .iterator(chunk_size=2000)
    )
    rows = (
        {
            "code": code,
            "name": name,
            "field": field,
            "agency_code": agency,
            "processing_time": format_decimal(time),
            "time_unit": unit,
            "one_way": format_boolean(one_way),
            "online_class": online,
            "postal": format_boolean(reception or ret),
        }
        for code, name, field, agency, time, unit, one_way, online, reception, ret in pairs
    )
    return write_csv(out, COLUMNS, rows)
