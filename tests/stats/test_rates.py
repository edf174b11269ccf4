"""Rates of statistics.md §3: two decimals, decimal comma, shares adding up to 100,00%."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from motcua.stats.rates import as_number, format_count, format_percent, rate, shares

# Seed 001 prints 966 early, 796 on time and 4 late of 1.766 as 54,70% + 45,07% + 0,23%.
SEED_001_RESOLVED = [966, 796, 4]
SEED_001_PRINTED = ["54,70%", "45,07%", "0,23%"]


def test_largest_remainder_reproduces_seed_001():
    got = shares(SEED_001_RESOLVED)
    assert [format_percent(x) for x in got] == SEED_001_PRINTED
    assert sum(got) == Decimal(100)
    # plain rounding would print 0,22% for 4 of 1.766: the remainder goes to the largest one
    assert format_percent(rate(SEED_001_RESOLVED[2], sum(SEED_001_RESOLVED))) == "0,23%"
    assert rate(1, 3) + rate(1, 3) + rate(1, 3) != Decimal(100)
    assert sum(shares([1, 1, 1])) == Decimal(100)


def test_null_when_the_whole_is_zero():
    assert rate(0, 0) is None
    assert shares([0, 0, 0]) == [None, None, None]
    assert as_number(rate(5, 0)) is None
    assert format_percent(None) == "–"


def test_rounding_half_up_to_two_decimals():
    assert rate(1, 8) == Decimal("12.50")
    assert rate(1, 3) == Decimal("33.33")
    assert rate(2, 3) == Decimal("66.67")
    assert rate(1, 200000) == Decimal("0.00")
    assert rate(1, 40000) == Decimal("0.00")  # 0.0025 → 0.00
    assert rate(1, 400) == Decimal("0.25")
    assert as_number(rate(2, 3)) == 66.67


def test_vietnamese_formatting():
    assert format_count(1766) == "1.766"
    assert format_count(58463) == "58.463"
    assert format_percent(Decimal("99.75")) == "99,75%"
    assert format_percent(Decimal("100")) == "100,00%"
    assert format_percent(Decimal("7.3")) == "7,30%"


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=6))
def test_shares_always_add_up_to_100(parts):
    got = shares(parts)
    if sum(parts) == 0:
        assert all(x is None for x in got)
        return
    assert sum(got) == Decimal(100)
    for part, share in zip(parts, got, strict=True):
        exact = Decimal(part) * 100 / Decimal(sum(parts))
        assert abs(share - exact) < Decimal("0.01")
        assert share == share.quantize(Decimal("0.01"))
