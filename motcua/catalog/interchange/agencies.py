"""Agencies CSV: code, name, level, parent_code, abbreviation (interchange.md).

- `code` is unique in the file; a re-import updates name, level and parent of known codes.
- `parent_code` may name an agency further down the file or one already in the database; an
  empty cell puts the agency at the top of the tree. Without a `parent_code` column at all,
  existing agencies keep their parent (a file that only renames agencies moves nothing).
- The tree as it would be after the import (the file's parents over the database's) must have
  no cycle; a cycle is reported on every row taking part in it, naming the codes.
- `abbreviation` (optional, the symbol in document numbers: "SCT" in "215/BC-SCT"): an empty
  cell or no column keeps an agency's abbreviation, as an empty cell is "not given".
- Other attributes (short name, validity dates, address) are edited in the admin and left alone.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from motcua.catalog.interchange.common import fail_if_any
from motcua.catalog.models import Agency, AgencyLevel
from motcua.catalog.services import AgencySpec, agencies_upsert
from motcua.core.audit import audit_record
from motcua.core.csvio import RowReader, read_csv, write_csv
from motcua.core.errors import RowError
from motcua.core.interchange import ImportResult

# Names may hold line breaks (as a spreadsheet cell can); codes never.
MULTILINE = frozenset({"name"})
REQUIRED = {"code", "name", "level"}
OPTIONAL = {"parent_code", "abbreviation"}
COLUMNS = ["code", "name", "level", "parent_code", "abbreviation"]


def _find_cycles(parent_of: dict[str, str | None], starts: list[str]) -> list[list[str]]:
    """Every cycle reachable from `starts` in the child -> parent graph, each once."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in starts:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done:
            if node in on_path:
                cycles.append(path[on_path[node] :])
                break
            on_path[node] = len(path)
            path.append(node)
            node = parent_of.get(node)
        done.update(path)
    return cycles


def _check(
    table_rows: list[tuple[int, dict[str, str]]], *, with_parents: bool = True
) -> tuple[list[AgencySpec], list[RowError]]:
    """Parse and check every row. Without a `parent_code` column, existing agencies keep theirs."""
    errors: list[RowError] = []
    levels = dict(AgencyLevel.objects.values_list("code", "pk"))
    known_levels = ", ".join(sorted(levels))
    parsed: list[tuple[int, str, str, str, str]] = []
    abbreviations: list[str | None] = []
    lines_by_code: dict[str, list[int]] = defaultdict(list)
    for line, row in table_rows:
        reader = RowReader(line, row)
        code = reader.text("code", required=True, max_length=40)
        name = reader.text("name", required=True, max_length=255)
        level = reader.text("level", required=True)
        if level and level not in levels:
            reader.error("level", f"unknown level '{level}'; known levels: {known_levels}")
        parent_code = reader.text("parent_code", max_length=40)
        abbreviations.append(reader.text("abbreviation", max_length=20) or None)
        if code and parent_code == code:
            reader.error("parent_code", f"cycle in the parent chain: {code} → {code}")
        errors.extend(reader.errors)
        parsed.append((line, code, name, level, parent_code))
        if code:
            lines_by_code[code].append(line)

    for code, lines in lines_by_code.items():
        if len(lines) > 1:
            rows = ", ".join(str(n) for n in lines)
            for line in lines:
                errors.append(RowError(line, "code", f"code '{code}' appears in rows {rows}"))

    # The tree as it will be: the file's parents override the database's for the file's codes.
    db_parent = dict(Agency.objects.values_list("code", "parent__code"))
    if not with_parents:
        parsed = [(line, c, n, lv, db_parent.get(c) or "") for line, c, n, lv, _ in parsed]
    parent_of: dict[str, str | None] = dict(db_parent)
    in_file = set(lines_by_code)
    for line, code, _, _, parent_code in parsed:
        if not parent_code:
            if code:
                parent_of[code] = None
            continue
        if parent_code not in in_file and parent_code not in db_parent:
            errors.append(
                RowError(
                    line,
                    "parent_code",
                    f"unknown parent agency '{parent_code}': not in the file nor in the database",
                )
            )
            parent_of[code] = None
        elif code and code != parent_code:
            parent_of[code] = parent_code
        elif code:
            parent_of[code] = None  # self-parent, already reported
    first_line = {code: lines[0] for code, lines in lines_by_code.items()}
    for cycle in _find_cycles(parent_of, sorted(in_file)):
        chain = " → ".join([*cycle, cycle[0]])
        for code in cycle:
            if code in first_line:
                errors.append(
                    RowError(first_line[code], "parent_code", f"cycle in the parent chain: {chain}")
                )

    specs = [
        AgencySpec(
            code=code,
            name=name,
            level_id=levels.get(level, 0),
            parent_code=parent_code or None,
            abbreviation=abbreviation,
        )
        for (_, code, name, level, parent_code), abbreviation in zip(
            parsed, abbreviations, strict=True
        )
    ]
    return specs, errors


def import_agencies(*, path: Path, actor: Any = None) -> ImportResult:
    """Create or update the agencies of a CSV file, all or nothing (raises ImportFailed)."""
    table = read_csv(path, required=REQUIRED, optional=OPTIONAL, multiline=MULTILINE)
    specs, errors = _check(table.rows, with_parents="parent_code" in table.columns)
    fail_if_any(errors)
    with transaction.atomic():
        result = agencies_upsert(specs=specs)
        audit_record(
            actor=actor,
            action="catalog.import_agencies",
            payload={
                "file": Path(path).name,
                "rows": len(specs),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result


def export_agencies(*, out: TextIO) -> int:
    """Every agency in the import format, ordered by code."""
    rows = (
        {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent or "",
            "abbreviation": abbreviation,
        }
        for code, name, level, parent, abbreviation in Agency.objects.order_by("code").values_list(
            "code", "name", "level__code", "parent__code", "abbreviation"
        )
    )
    return write_csv(out, COLUMNS, rows)
