"""Clean text: one home for "which characters may a text hold" and for making stored text safe.

Input (forms, API bodies, query parameters, CSV files) is *refused* when it holds a character
no person types: NUL and the other C0/C1 control characters, lone surrogates, and the two
non-characters U+FFFE/U+FFFF. Single-line fields (names, codes, numbers) refuse tab, line feed
and carriage return as well; multi-line fields (notes, reasons, addresses) keep them.

Output is *sanitised*: text already stored (imported before these checks, or written by another
system) may still hold such characters, and DOCX/XLSX/PDF writers must not fail on them, so
``printable`` replaces them before a renderer sees them.

Spreadsheet cells are neutralised against formula injection here too: ``spreadsheet_cell`` for
CSV (see its docstring for the round trip), ``text_cells_only`` for XLSX workbooks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Every character refused in a multi-line text: C0 controls but tab/LF/CR, DEL, C1 controls,
# surrogates (cannot be encoded as UTF-8) and the non-characters U+FFFE, U+FFFF.
_BAD_MULTI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# ... and in a single-line text, tab, LF and CR too.
_BAD_SINGLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 (DOCX, XLSX) cannot hold at all; PDF text is drawn from the same cleaned text.
_NOT_XML = _BAD_MULTI
# The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def char_name(ch: str) -> str:
    """``U+000B`` for a character, as messages name it."""
    return f"U+{ord(ch):04X}"


def bad_character(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The 1-based position and ``U+XXXX`` name of the first refused character, or None."""
    match = (_BAD_MULTI if multiline else _BAD_SINGLE).search(value)
    if match is None:
        return None
    return match.start() + 1, char_name(match.group())


def control_message(value: str, *, multiline: bool = False) -> str | None:
    """The message for a text holding a refused character (None when the text is clean)."""
    found = bad_character(value, multiline=multiline)
    if found is None:
        return None
    position, name = found
    if name == "U+0000":
        return _(
            "Contains a NUL character (U+0000) at position %(position)d, which is not allowed."
        ) % {"position": position}
    return _(
        "Contains the control character %(name)s at position %(position)d, which is not "
        "allowed here."
    ) % {"name": name, "position": position}


def check_text(value: str, *, multiline: bool = False) -> str:
    """``value`` itself, or a ValidationError naming the refused character and where it is."""
    message = control_message(value, multiline=multiline)
    if message is not None:
        raise ValidationError(message, code="control_character")
    return value


def printable(value: Any) -> Any:
    """For renderers: a string without the characters XML/PDF cannot hold (each becomes a
    space); anything else is returned unchanged."""
    if isinstance(value, str) and _NOT_XML.search(value):
        return _NOT_XML.sub(" ", value)
    return value


def printable_deep(value: Any) -> Any:
    """``printable`` applied to every string inside dicts, lists and tuples (a report)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {k: printable_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(printable_deep(v) for v in value)
    return value


def spreadsheet_cell(value: Any) -> Any:
    """A value safe to write in a CSV cell.

    A text starting with ``= + - @``, tab or carriage return would be read as a formula by
    Excel/LibreOffice; it is written with a leading apostrophe, which a spreadsheet shows as
    plain text. A text that already starts with the apostrophe gets one more, so that
    ``unspreadsheet_cell`` (the CSV readers) restores every value exactly: export then import
    changes nothing. Numbers, dates and None pass unchanged.
    """
    if isinstance(value, str) and _needs_guard(value):
        return FORMULA_GUARD + value
    return value


def _needs_guard(value: str) -> bool:
    """Apostrophes (maybe none) and then a formula start: such a text gets one more."""
    rest = value.lstrip(FORMULA_GUARD)
    return bool(rest) and rest[0] in FORMULA_STARTS


def unspreadsheet_cell(value: str) -> str:
    """The reverse of ``spreadsheet_cell`` for a CSV cell read back."""
    if value.startswith(FORMULA_GUARD) and _needs_guard(value):
        return value[1:]
    return value


def text_cells_only(worksheet: Any) -> None:
    """XLSX (openpyxl): every cell whose text starts like a formula is stored as text.

    An XLSX cell has a type, so no guard character is needed there: a text cell is never
    evaluated, and the official reports keep their labels exactly. None of the writers puts a
    real formula in a workbook, so every cell openpyxl took for one is text.
    """
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                cell.data_type = "s"
