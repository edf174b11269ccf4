"""Vietnamese number forms for the documents, on top of `motcua.stats.rates` (statistics.md §3).

The rules (rounding, largest remainder, Babel formatting) live in `motcua.stats.rates`; this
module only adds the way the published reports write small counts ("04 hồ sơ").
"""

from __future__ import annotations

from decimal import Decimal

from motcua.stats.rates import format_count, format_percent, rate, shares

__all__ = ["LANGUAGE", "fmt_count", "fmt_int", "fmt_rate", "rate", "shares"]

LANGUAGE = "vi"  # the documents are Vietnamese official papers, whatever the reader's language


def fmt_int(value: int | None) -> str:
    """An integer with the Vietnamese thousands dot: 1.766."""
    return format_count(int(value or 0))


def fmt_count(value: int | None) -> str:
    """A count as the reports write it: two digits under ten ("04 hồ sơ"), "0" for none."""
    value = int(value or 0)
    if 0 < value < 10:
        return f"{value:02d}"
    return fmt_int(value)


def fmt_rate(value: float | Decimal | None) -> str:
    """A rate in percent with two decimals and a decimal comma: 99,77%; None gives "–"."""
    return format_percent(value)
