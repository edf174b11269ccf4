"""Helpers shared by the catalogue importers and exporters."""

from __future__ import annotations

from decimal import Decimal

from motcua.core.csvio import FALSE_WORDS, TRUE_WORDS, RowReader
from motcua.core.errors import ImportFailed, RowError


def optional_boolean(reader: RowReader, column: str) -> bool | None:
    """True/False when the cell is given, None when it is empty (or the column absent)."""
    value = reader.row.get(column, "").lower()
    if not value:
        return None
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    reader.error(column, f"'{reader.row[column]}' is not a boolean (use true or false)")
    return None


def format_boolean(value: bool) -> str:
    return "true" if value else "false"


def format_decimal(value: Decimal | None) -> str:
    """15.00 -> '15', 0.50 -> '0.5': the shortest form that reads back as the same number."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def fail_if_any(errors: list[RowError]) -> None:
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column, e.message)))
