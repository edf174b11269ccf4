"""Reporting periods of domain.md §7 and the --cutoff rule (N = the last day included)."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.stats.periods import Period, PeriodError, date_range, default_cutoff, parse_period

pytestmark = pytest.mark.usefixtures("english")


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "cutoff", "start", "end"),
    [
        # statistics.md §5's example period is what interchange.md's --cutoff 20 gives
        ("2021-10", 20, "2021-09-21", "2021-10-20"),
        # Decree 09/2019: 15th of the previous month to the 14th
        ("2021-10", 14, "2021-09-15", "2021-10-14"),
        ("2021-01", 14, "2020-12-15", "2021-01-14"),
        ("2020-Q2", 14, "2020-03-15", "2020-06-14"),
        ("2020-Q1", 14, "2019-12-15", "2020-03-14"),
        ("2020-H1", 14, "2019-12-15", "2020-06-14"),
        ("2020-H2", 14, "2020-06-15", "2020-12-14"),
        ("2020-M9", 14, "2019-12-15", "2020-09-14"),
        ("2020", 14, "2019-12-15", "2020-12-14"),
        # calendar periods
        ("2020-04", 0, "2020-04-01", "2020-04-30"),
        ("2020-02", 0, "2020-02-01", "2020-02-29"),
        ("2020-Q2", 0, "2020-04-01", "2020-06-30"),
        ("2020", 0, "2020-01-01", "2020-12-31"),
        ("2020-02", 31, "2020-02-01", "2020-02-29"),
        # a cut-off beyond a short month ends on its last day, and the next starts the day after
        ("2021-03", 30, "2021-03-01", "2021-03-30"),
        ("2021-04", 30, "2021-03-31", "2021-04-30"),
    ],
)
def test_named_periods(text, cutoff, start, end):
    p = parse_period(text, cutoff=cutoff)
    assert (p.start, p.end) == (d(start), d(end))


def test_default_cutoff_follows_the_setting(settings):
    settings.MOTCUA_PERIOD_CUTOFF_DAY = 14  # "the 15th to the 14th"
    assert default_cutoff() == 14
    p = parse_period("2020-09")
    assert (p.start, p.end) == (d("2020-08-15"), d("2020-09-14"))
    settings.MOTCUA_PERIOD_CUTOFF_DAY = 0
    assert parse_period("2020-09").start == d("2020-09-01")


@pytest.mark.parametrize(
    ("text", "prev_start", "prev_end"),
    [
        ("2021-01", "2020-11-15", "2020-12-14"),
        ("2020-Q1", "2019-09-15", "2019-12-14"),
        ("2020-H1", "2019-06-15", "2019-12-14"),
        ("2020-M9", "2018-12-15", "2019-09-14"),
        ("2020", "2018-12-15", "2019-12-14"),
    ],
)
def test_previous_period_of_the_same_kind(text, prev_start, prev_end):
    p = parse_period(text, cutoff=14).previous()
    assert (p.start, p.end) == (d(prev_start), d(prev_end))


def test_named_periods_are_contiguous():
    for cutoff in (0, 14, 20, 28, 30, 31):
        p = parse_period("2024-12", cutoff=cutoff)
        for _ in range(30):
            prev = p.previous()
            assert prev.next_start() == p.start
            p = prev


def test_date_range_and_its_previous():
    p = date_range("2020-01-01", "2020-12-07")  # seed 002's range
    assert p.days == 342
    prev = p.previous()
    assert prev.end == d("2019-12-31") and prev.days == p.days
    assert p.start_instant.isoformat() == "2020-01-01T00:00:00+07:00"
    assert p.end_instant.isoformat() == "2020-12-08T00:00:00+07:00"


@pytest.mark.parametrize("bad", ["2021-13", "2021-Q5", "21-10", "2021/10", "last month", "2020-H3"])
def test_unknown_periods_are_errors(bad):
    with pytest.raises(PeriodError, match="period"):
        parse_period(bad, cutoff=14)


def test_end_before_start_is_an_error():
    with pytest.raises(PeriodError):
        Period(d("2025-03-31"), d("2025-03-01"))
    with pytest.raises(PeriodError):
        date_range("2025-03-01", "not a date")
