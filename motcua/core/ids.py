"""Numbers read from addresses and query strings: ids, offsets and limits.

``str.isdigit`` accepts ``¹`` and ``٣`` and ``int`` then fails or reads another script's digits;
a number larger than the database's 64-bit integers makes the query itself fail. Every id read
from a request goes through ``parse_id``, every offset is bounded by ``MAX_OFFSET``.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest BIGINT / SQLite INTEGER
MAX_OFFSET = 1_000_000_000
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """A database id written in ASCII digits (1 .. 2**63-1), or None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def is_id(value: object) -> bool:
    return parse_id(value) is not None
