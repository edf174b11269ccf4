"""Reading the interchange CSV files of `interchange.md`: strict, and every error reported.

A reader never stops at the first problem: it collects `RowError`s (row number as a spreadsheet
shows it, the header being row 1, and the column name) so that an import can list them all and
reject the file as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from motcua.core.cleaning import bad_character, spreadsheet_cell, unspreadsheet_cell
from motcua.core.errors import ImportFailed, RowError
from motcua.core.localtime import LOCAL_TZ

TRUE_WORDS = frozenset({"true", "1", "yes", "có", "x"})
FALSE_WORDS = frozenset({"false", "0", "no", "không"})

T = TypeVar("T")
# The longest cell accepted, in characters (the longest column of any format is far shorter).
CELL_LIMIT = 10_000
# Characters no cell may hold (line breaks are checked per record: they end lines too).
_BAD_IN_FILE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LIMIT_LOCK = threading.Lock()  # csv.field_size_limit is one setting for the whole process


@dataclass
class CsvTable:
    """The rows of a file as dicts (stripped strings, '' for an empty cell), with line numbers."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_csv(
    source: Path | str | bytes,
    *,
    required: set[str],
    optional: set[str],
    multiline: frozenset[str] = frozenset(),
) -> CsvTable:
    """Decode (UTF-8, BOM accepted), check the header, and return the rows.

    No cell may hold more than ``CELL_LIMIT`` characters, a NUL or another control character;
    only the ``multiline`` columns (names) may hold a line break or a tab, never a code.

    Raises ImportFailed for an empty file, a non-UTF-8 file, missing or unknown or repeated
    columns, and rows with more cells than the header.
    """
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [
                RowError(
                    line,
                    "",
                    f"the file is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8",
                )
            ]
        ) from exc
    if not text.strip():
        raise ImportFailed([RowError(0, "", "the file is empty: a header row is required")])
    try:
        return _read_table(
            text, required=required, optional=optional, limit=CELL_LIMIT, multiline=multiline
        )
    except _NeedsCellChecks:
        # Rare: a cell too long, a control character or a line break in a cell. Read again
        # with no length limit, checking each cell, so that every error names its row and
        # column.
        return _read_table(
            text,
            required=required,
            optional=optional,
            limit=len(text) + 1,
            multiline=multiline,
            check_cells=True,
        )


class _NeedsCellChecks(Exception):
    pass


def _cell_errors(line: int, name: str, value: str, multiline: bool = False) -> list[RowError]:
    errors = []
    if len(value) > CELL_LIMIT:
        errors.append(
            RowError(line, name, f"at most {CELL_LIMIT} characters in a cell, got {len(value)}")
        )
    found = bad_character(value, multiline=multiline)
    if found is not None:
        position, char = found
        what = {"U+0000": "a NUL byte", "U+000A": "a line break", "U+000D": "a line break"}
        errors.append(
            RowError(
                line,
                name,
                f"contains {what.get(char, 'the control character ' + char)} "
                f"(character {position}), which is not allowed in a cell",
            )
        )
    return errors


def _read_table(
    text: str,
    *,
    required: set[str],
    optional: set[str],
    limit: int,
    multiline: frozenset[str],
    check_cells: bool = False,
) -> CsvTable:
    if not check_cells and _BAD_IN_FILE.search(text):
        raise _NeedsCellChecks
    reader = csv.reader(io.StringIO(text, newline=""))
    with _LIMIT_LOCK:
        previous = csv.field_size_limit(limit)
        try:
            table = _rows(
                reader,
                required=required,
                optional=optional,
                multiline=multiline,
                check_cells=check_cells,
            )
        except csv.Error as exc:
            if not check_cells and "field limit" in str(exc):
                raise _NeedsCellChecks from exc
            raise ImportFailed(
                [RowError(reader.line_num, "", f"not a readable CSV file: {exc}")]
            ) from exc
        finally:
            csv.field_size_limit(previous)
    if "'" in text:
        for _line, row in table.rows:
            for name, value in row.items():
                if value.startswith("'"):
                    row[name] = unspreadsheet_cell(value)
    return table


def _rows(
    reader: Any,
    *,
    required: set[str],
    optional: set[str],
    multiline: frozenset[str],
    check_cells: bool,
) -> CsvTable:
    header = [h.strip() for h in next(reader)]
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        if check_cells:
            errors.extend(_cell_errors(1, name, name))
        if name in seen:
            errors.append(RowError(1, name, "column given twice"))
        seen.add(name)
    unknown = [h for h in header if h not in required | optional]
    for name in unknown:
        errors.append(
            RowError(1, name, "unknown column; expected: " + ", ".join(sorted(required | optional)))
        )
    for name in sorted(required - seen):
        errors.append(RowError(1, name, "required column is missing"))
    if errors:
        raise ImportFailed(errors)
    rows: list[tuple[int, dict[str, str]]] = []
    first = reader.line_num + 1  # the line where the next record starts
    for cells in reader:
        line, end = first, reader.line_num
        first = end + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(
                RowError(line, "", f"{len(cells)} cells but the header has {len(header)}")
            )
            continue
        if end != line and not check_cells:
            raise _NeedsCellChecks  # a quoted line break inside a cell
        cells = cells + [""] * (len(header) - len(cells))
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        if check_cells:
            for name, value in zip(header, cells, strict=True):
                errors.extend(_cell_errors(line, name, value, name in multiline))
        rows.append((line, row))
    if errors:
        raise ImportFailed(errors)
    return CsvTable(columns=header, rows=rows)


@dataclass
class RowReader:
    """Parses the cells of one row, collecting errors instead of raising."""

    line: int
    row: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.row.get(column, "")
        if required and not value:
            self.error(column, "a value is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"at most {max_length} characters, got {len(value)}")
        return value

    def _parse(self, column: str, required: bool, parse: Callable[[str], T], what: str) -> T | None:
        value = self.row.get(column, "")
        if not value:
            if required:
                self.error(column, "a value is required")
            return None
        try:
            return parse(value)
        except (ValueError, InvalidOperation, TypeError):
            self.error(column, f"'{value}' is not {what}")
            return None

    def boolean(self, column: str, *, default: bool = False) -> bool:
        value = self.row.get(column, "").lower()
        if not value:
            return default
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        self.error(column, f"'{self.row[column]}' is not a boolean (use true or false)")
        return default

    def decimal(
        self, column: str, *, required: bool = False, minimum: Decimal | None = None
    ) -> Decimal | None:
        number = self._parse(column, required, _parse_decimal, "a number")
        if number is not None and minimum is not None and number < minimum:
            self.error(column, f"must be at least {minimum}, got {number}")
            return None
        return number

    def choice(
        self, column: str, choices: Any, *, default: str | None = None, required: bool = False
    ) -> str | None:
        """`choices` is a Django TextChoices class or an iterable of allowed values."""
        allowed = list(getattr(choices, "values", choices))
        value = self.row.get(column, "")
        if not value:
            if required:
                self.error(column, "a value is required; one of: " + ", ".join(allowed))
            return default
        if value not in allowed:
            self.error(column, f"'{value}' is not one of: " + ", ".join(allowed))
            return default
        return value

    def datetime(self, column: str, *, required: bool = False) -> dt.datetime | None:
        return self._parse(column, required, parse_instant, "an ISO 8601 date or time")


def _parse_decimal(value: str) -> Decimal:
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_instant(value: str) -> dt.datetime:
    """ISO 8601; without offset it is local time (``core.localtime``); a date alone is midnight."""
    value = value.strip()
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LOCAL_TZ)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed


def format_instant(value: dt.datetime | None) -> str:
    """The export form of an instant: ISO 8601 in local time with its offset."""
    if value is None:
        return ""
    return value.astimezone(LOCAL_TZ).isoformat()


def write_csv(out: io.TextIOBase, columns: list[str], rows: Iterator[dict[str, Any]]) -> int:
    """Write the rows; a text a spreadsheet would read as a formula is guarded
    (``core.cleaning.spreadsheet_cell``), and ``read_csv`` removes the guard again."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "" if v is None else spreadsheet_cell(v) for k, v in row.items()})
        count += 1
    return count
