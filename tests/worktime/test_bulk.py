"""The vectorised due calculator equals the scalar one (pure, no Django)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.localtime import LOCAL_TZ as VN
from motcua.worktime.bulk import BulkDueCalculator
from motcua.worktime.calendar import UNITS, Sessions, WorkCalendar

CAL = WorkCalendar.for_vietnam(years=range(2019, 2029))
BULK = BulkDueCalculator(CAL, date(2019, 1, 1), date(2028, 12, 31))

BOUNDARY_TIMES = [
    time(0, 0),
    time(7, 29, 59),
    time(7, 30),
    time(11, 29, 59),
    time(11, 30),
    time(12, 0),
    time(13, 30),
    time(16, 45),
    time(16, 59, 59),
    time(17, 0),
    time(17, 15),
    time(23, 59, 59),
]
whole_second_times = st.one_of(
    st.sampled_from(BOUNDARY_TIMES),
    st.builds(time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)),
)
# Around Tết, the April/May and September holidays, swapped Saturdays, and anything else.
days = st.one_of(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
    st.sampled_from(
        sorted(d for d in CAL.days_off | CAL.extra_working_days if 2020 <= d.year <= 2026)
    ).flatmap(lambda d: st.integers(-3, 3).map(lambda k: d + timedelta(days=k))),
)
receptions = st.builds(lambda d, t: datetime.combine(d, t, tzinfo=VN), days, whole_second_times)


def scalar_epochs(cal: WorkCalendar, received: list[datetime], amounts: list[int], unit: str):
    return np.array(
        [
            int(cal.due_for_reception(r, n, unit).timestamp())
            for r, n in zip(received, amounts, strict=True)
        ],
        dtype=np.int64,
    )


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(receptions, st.integers(0, 60)), min_size=1, max_size=40),
    unit=st.sampled_from(UNITS),
)
def test_bulk_equals_scalar(rows: list[tuple[datetime, int]], unit: str) -> None:
    received = [r for r, _ in rows]
    amounts = [n for _, n in rows]
    epochs = np.array([int(r.timestamp()) for r in received], dtype=np.int64)
    bulk = BULK.due_for_receptions(epochs, np.array(amounts), unit)
    np.testing.assert_array_equal(bulk, scalar_epochs(CAL, received, amounts, unit))


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.tuples(receptions, st.integers(0, 60)), min_size=1, max_size=20),
    unit=st.sampled_from(UNITS),
)
def test_bulk_equals_scalar_with_three_sessions(rows, unit: str) -> None:
    sessions = Sessions(
        ((time(7, 0), time(11, 0)), (time(11, 0), time(12, 15, 30)), (time(14, 0), time(18, 0)))
    )
    cal = WorkCalendar(
        days_off=CAL.days_off, extra_working_days=CAL.extra_working_days, sessions=sessions
    )
    bulk = BulkDueCalculator(cal, date(2019, 1, 1), date(2028, 12, 31))
    received = [r for r, _ in rows]
    amounts = [n for _, n in rows]
    epochs = np.array([int(r.timestamp()) for r in received], dtype=np.int64)
    result = bulk.due_for_receptions(epochs, np.array(amounts), unit)
    np.testing.assert_array_equal(result, scalar_epochs(cal, received, amounts, unit))


def test_datetime64_input_and_known_due() -> None:
    # Received Thu 2025-02-20 09:00 in Hà Nội = 02:00 UTC; 5 working days -> Thu 27 Feb 17:00.
    received = np.array(["2025-02-20T02:00:00", "2021-02-09T03:00:00"], dtype="datetime64[s]")
    due = BULK.due_for_receptions(received, np.array([5, 3]))
    expected = [datetime(2025, 2, 27, 17, tzinfo=VN), datetime(2021, 2, 19, 17, tzinfo=VN)]
    assert due.tolist() == [int(e.timestamp()) for e in expected]


def test_shape_and_scalar_amount_broadcast() -> None:
    base = int(datetime(2025, 3, 3, 9, tzinfo=VN).timestamp())
    epochs = np.array([[base, base + 3600], [base + 86_400, base + 2 * 86_400]])
    due = BULK.due_for_receptions(epochs, np.int64(1), "working_days")
    assert due.shape == (2, 2)


def test_bulk_rejects_bad_input() -> None:
    epochs = np.array([int(datetime(2025, 3, 3, 9, tzinfo=VN).timestamp())])
    with pytest.raises(ValueError, match="unit"):
        BULK.due_for_receptions(epochs, np.array([1]), "weeks")
    with pytest.raises(TypeError):
        BULK.due_for_receptions(epochs, np.array([1.5]))
    with pytest.raises(ValueError):
        BULK.due_for_receptions(epochs, np.array([-1]))
    with pytest.raises(ValueError, match="range"):
        BULK.due_for_receptions(epochs, np.array([10_000]))
    late = np.array([int(datetime(2030, 1, 2, 9, tzinfo=VN).timestamp())])
    with pytest.raises(ValueError, match="range"):
        BULK.due_for_receptions(late, np.array([1]))
    with pytest.raises(ValueError, match="NaT"):
        BULK.due_for_receptions(np.array(["NaT"], dtype="datetime64[s]"), np.array([1]))
