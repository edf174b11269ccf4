"""Rates (statistics.md §3): shares in percent, two decimals, null when the whole is 0.

Shares of one whole printed together add up to exactly 100,00% by the largest remainder
method. All arithmetic is on ``Decimal``; JSON carries numbers, documents the Vietnamese form
(``99,75%``) from :func:`format_percent`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

HUNDREDTH = Decimal("0.01")
HUNDRED = Decimal(100)


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in percent, rounded half up to 2 decimals; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def shares(parts: Sequence[int]) -> list[Decimal | None]:
    """Shares of ``sum(parts)`` in percent adding up to exactly 100.00 (largest remainder).

    Every share is first rounded down to the hundredth; the hundredths still missing go one
    each to the shares with the largest remainders (ties: the earlier part).
    """
    whole = sum(parts)
    if not whole:
        return [None] * len(parts)
    exact = [Decimal(p) * HUNDRED / Decimal(whole) for p in parts]
    floors = [e.quantize(HUNDREDTH, rounding=ROUND_DOWN) for e in exact]
    missing = int(((HUNDRED - sum(floors)) / HUNDREDTH).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += HUNDREDTH
    return floors


def share_map(parts: Mapping[str, int]) -> dict[str, Decimal | None]:
    keys = list(parts)
    return dict(zip(keys, shares([parts[k] for k in keys]), strict=True))


def as_number(value: Decimal | None) -> float | None:
    """A rate as a JSON number (rounded to 2 decimals) or null."""
    return None if value is None else float(value)


def format_count(value: int, *, locale: str = "vi") -> str:
    """``1766`` → ``1.766`` (Vietnamese grouping)."""
    return format_decimal(value, locale=locale)


def format_points(value: Decimal | float | None, *, locale: str = "vi", empty: str = "–") -> str:
    """Points of the service index: ``56.82`` → ``56,82``; None → ``empty``."""
    if value is None:
        return empty
    return format_decimal(Decimal(str(value)), format="#,##0.00", locale=locale)


def format_percent(value: Decimal | float | None, *, locale: str = "vi", empty: str = "–") -> str:
    """``Decimal('99.75')`` → ``99,75%``; None → ``empty``."""
    if value is None:
        return empty
    return format_decimal(Decimal(str(value)), format="#,##0.00", locale=locale) + "%"
