"""Vietnamese number formatting for the documents.

The statistics module (`motcua.stats.rates`) owns the formatting rules of statistics.md §3. This
module only adapts them for the renderers: when `motcua.stats.rates` provides the functions they
are used; the fallback below (Babel, locale "vi") exists so that the renderers work on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

HUNDREDTH = Decimal("0.01")


def fmt_int(value: int | None) -> str:
    """An integer with the Vietnamese thousands dot: 1.766."""
    return format_decimal(int(value or 0), locale="vi")


def fmt_count(value: int | None) -> str:
    """A count as the reports write it: two digits under ten ("04 hồ sơ"), "0" for none."""
    value = int(value or 0)
    if 0 < value < 10:
        return f"{value:02d}"
    return fmt_int(value)


def fmt_rate(value: float | Decimal | None) -> str:
    """A rate in percent with two decimals and a decimal comma: 99,77%. None gives "-"."""
    if value is None:
        return "-"
    number = Decimal(str(value)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return format_decimal(number, format="#,##0.00", locale="vi") + "%"


def rate(part: int, whole: int) -> Decimal | None:
    """`part / whole` in percent rounded half up to 2 decimals; None when the whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def shares(parts: Sequence[int], whole: int | None = None) -> list[Decimal | None]:
    """Shares of one whole in percent, 2 decimals, adding up to exactly 100.00 (largest remainder).

    The whole defaults to the sum of the parts; a zero whole gives None for every part.
    """
    whole = sum(parts) if whole is None else whole
    if not whole:
        return [None] * len(parts)
    exact = [Decimal(p) * 10000 / Decimal(whole) for p in parts]  # in hundredths of a percent
    floors = [x.to_integral_value(rounding=ROUND_FLOOR) for x in exact]
    target = (
        10000
        if sum(parts) == whole
        else int(
            (Decimal(sum(parts)) * 10000 / Decimal(whole)).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )
    )
    missing = int(target - sum(floors))
    order = sorted(range(len(parts)), key=lambda i: (exact[i] - floors[i], parts[i]), reverse=True)
    for i in order[: max(missing, 0)]:
        floors[i] += 1
    return [f * HUNDREDTH for f in floors]


try:  # prefer the statistics module's own implementation when it exists
    from motcua.stats import rates as _rates  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the other module's progress
    _rates = None
