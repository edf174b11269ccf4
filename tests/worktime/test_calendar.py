"""Pure tests of the working calendar (no Django, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.core.localtime import LOCAL_TZ as VN
from motcua.worktime.calendar import (
    Sessions,
    WorkCalendar,
    _substituted_working_day,
    vietnam_public_days,
)

CAL = WorkCalendar.for_vietnam(years=range(2018, 2030))
PLAIN = WorkCalendar()  # weekends only


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN)


# -- strategies ---------------------------------------------------------------------------

BOUNDARY_TIMES = [
    time(0, 0),
    time(7, 29, 59),
    time(7, 30),
    time(9, 0),
    time(11, 29, 59),
    time(11, 30),
    time(12, 0),
    time(13, 29, 59),
    time(13, 30),
    time(16, 45),
    time(16, 59, 59),
    time(17, 0),
    time(17, 15),
    time(23, 59, 59),
]

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31))
times = st.one_of(st.sampled_from(BOUNDARY_TIMES), st.times())
receptions = st.builds(lambda d, t: datetime.combine(d, t, tzinfo=VN), days, times)
working_days_only = days.filter(CAL.is_working_day)


@st.composite
def working_instants(draw: st.DrawFn) -> datetime:
    d = draw(working_days_only)
    start, end = draw(st.sampled_from(CAL.sessions.periods))
    span = int((datetime.combine(d, end) - datetime.combine(d, start)) / timedelta(microseconds=1))
    offset = draw(st.integers(min_value=0, max_value=span - 1))
    return datetime.combine(d, start, tzinfo=VN) + timedelta(microseconds=offset)


def is_session_end(dt: datetime) -> bool:
    local = dt.astimezone(VN)
    return CAL.is_working_day(local.date()) and any(
        local.time() == end for _, end in CAL.sessions.periods
    )


# -- Sessions and construction -------------------------------------------------------------


def test_default_sessions() -> None:
    s = Sessions()
    assert s.periods == ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    assert s.day_length == timedelta(hours=7, minutes=30)
    assert s.opening == time(7, 30) and s.closing == time(17, 0)


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((time(11, 30), time(7, 30)),),
        ((time(7, 30), time(7, 30)),),
        ((time(7, 30), time(12, 0)), (time(11, 0), time(17, 0))),
        ((time(13, 30), time(17, 0)), (time(7, 30), time(11, 30))),
    ],
)
def test_sessions_reject_bad_layouts(periods) -> None:
    with pytest.raises(ValueError, match="Sessions"):
        Sessions(periods)


def test_weekend_must_leave_a_working_weekday() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(weekend=frozenset(range(7)))


def test_precedence_extra_working_day_beats_day_off_beats_weekend() -> None:
    sat, mon, tue = date(2025, 3, 8), date(2025, 3, 10), date(2025, 3, 11)
    cal = WorkCalendar(days_off={sat, mon, tue}, extra_working_days={sat, mon})
    assert cal.is_working_day(sat)  # extra working day wins over weekend and day off
    assert cal.is_working_day(mon)  # extra working day wins over day off
    assert not cal.is_working_day(tue)  # day off wins over an ordinary weekday
    assert not cal.is_working_day(date(2025, 3, 9))  # plain Sunday


def test_custom_weekend() -> None:
    cal = WorkCalendar(weekend=frozenset({4, 5}))  # Friday and Saturday
    assert not cal.is_working_day(date(2025, 3, 7))
    assert cal.is_working_day(date(2025, 3, 9))


# -- Vietnam data from the holidays package -----------------------------------------------


def test_tet_2021_and_due_across_it() -> None:
    for day in range(10, 17):
        assert not CAL.is_working_day(date(2021, 2, day)), day
    assert CAL.is_working_day(date(2021, 2, 9))
    assert CAL.is_working_day(date(2021, 2, 17))
    due = CAL.due_for_reception(at(2021, 2, 9, 10), 3, "working_days")
    assert due == at(2021, 2, 19, 17)


def test_national_day_2021_is_two_days() -> None:
    # holidays.VN lists Thu 2 and Fri 3 Sep 2021 (Quốc khánh).
    assert CAL.is_working_day(date(2021, 9, 1))
    assert not CAL.is_working_day(date(2021, 9, 2))
    assert not CAL.is_working_day(date(2021, 9, 3))
    assert CAL.is_working_day(date(2021, 9, 6))
    assert CAL.add_working_days(date(2021, 9, 1), 1) == date(2021, 9, 6)


def test_hung_kings_and_lunar_new_year_are_days_off() -> None:
    assert not CAL.is_working_day(date(2025, 4, 7))  # Giỗ Tổ Hùng Vương 2025
    assert not CAL.is_working_day(date(2025, 1, 29))  # Tết Nguyên Đán 2025
    assert not CAL.is_working_day(date(2026, 11, 24))  # Ngày Văn hóa Việt Nam


@pytest.mark.parametrize(
    ("working_saturday", "day_off"),
    [
        (date(2025, 4, 26), date(2025, 5, 2)),
        (date(2024, 5, 4), date(2024, 4, 29)),
        (date(2019, 5, 4), date(2019, 4, 29)),
        (date(2019, 1, 5), date(2018, 12, 31)),  # swap across the new year
        (date(2014, 12, 27), date(2015, 1, 2)),  # listed under the following year
    ],
)
def test_swapped_saturdays_from_holidays_package(working_saturday, day_off) -> None:
    cal = WorkCalendar.for_vietnam(years=[working_saturday.year])
    assert working_saturday.weekday() == 5
    assert cal.is_working_day(working_saturday)
    full = WorkCalendar.for_vietnam(years=range(2013, 2027))
    assert full.is_working_day(working_saturday)
    assert not full.is_working_day(day_off)


def test_vietnam_public_days_2025() -> None:
    days_off, working = vietnam_public_days([2025])
    assert working == {date(2025, 4, 26)}
    assert {date(2025, 5, 2), date(2025, 9, 1), date(2025, 9, 2)} <= days_off
    assert all(d.year == 2025 for d in days_off | working)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Ngày nghỉ (thay cho ngày 04/05/2019)", date(2019, 5, 4)),
        ("Day off (substituted from 05/04/2019)", date(2019, 5, 4)),  # en_US month/day
        ("Ngày nghỉ (thay cho ngày 26/04/2025)", date(2025, 4, 26)),
        ("Quốc khánh (nghỉ bù)", None),
    ],
)
def test_substituted_label_parsing(label: str, expected: date | None) -> None:
    assert _substituted_working_day(label) == expected


def test_swapped_saturday_counts_in_due() -> None:
    # Thu 24 Apr 2025 + 2 working days: Fri 25, Sat 26 (swapped working day).
    assert CAL.due_for_reception(at(2025, 4, 24, 9), 2, "working_days") == at(2025, 4, 26, 17)


def test_overrides_applied_last() -> None:
    sat, mon = date(2025, 3, 8), date(2025, 3, 10)
    cal = WorkCalendar.for_vietnam(
        years=[2025],
        overrides=[
            (sat, True),
            (mon, False),
            (date(2025, 9, 2), True),  # a holiday made a working day
            (date(2025, 4, 26), False),  # the package's swapped Saturday cancelled
            (date(2025, 3, 12), False),
            (date(2025, 3, 12), True),  # a later override of the same date wins
        ],
    )
    assert cal.is_working_day(sat)
    assert not cal.is_working_day(mon)
    assert cal.is_working_day(date(2025, 9, 2))
    assert not cal.is_working_day(date(2025, 4, 26))
    assert cal.is_working_day(date(2025, 3, 12))
    # Fri 7 Mar + 1 working day -> the overridden Saturday; + 2 -> Tue 11 (Mon is off).
    assert cal.add_working_days(date(2025, 3, 7), 1) == sat
    assert cal.add_working_days(date(2025, 3, 7), 2) == date(2025, 3, 11)


# -- instants --------------------------------------------------------------------------------


def test_naive_datetime_rejected() -> None:
    naive = datetime(2025, 3, 3, 9)
    with pytest.raises(ValueError, match="naive"):
        CAL.is_working_instant(naive)
    with pytest.raises(ValueError, match="naive"):
        CAL.due_for_reception(naive, 1, "working_days")
    with pytest.raises(ValueError, match="naive"):
        CAL.working_time_between(naive, at(2025, 3, 4))


def test_working_instant_bounds_and_other_zones() -> None:
    assert CAL.is_working_instant(at(2025, 3, 3, 7, 30))
    assert not CAL.is_working_instant(at(2025, 3, 3, 7, 29, 59))
    assert not CAL.is_working_instant(at(2025, 3, 3, 11, 30))
    assert not CAL.is_working_instant(at(2025, 3, 3, 12))
    assert not CAL.is_working_instant(at(2025, 3, 3, 17))
    assert not CAL.is_working_instant(at(2025, 3, 8, 9))  # Saturday
    assert CAL.is_working_instant(datetime(2025, 3, 3, 2, tzinfo=UTC))  # 09:00 in Hà Nội
    assert not CAL.is_working_instant(datetime(2025, 3, 3, 5, tzinfo=UTC))  # 12:00


def test_next_working_instant() -> None:
    assert CAL.next_working_instant(at(2025, 3, 3, 9)) == at(2025, 3, 3, 9)
    assert CAL.next_working_instant(at(2025, 3, 3, 6)) == at(2025, 3, 3, 7, 30)
    assert CAL.next_working_instant(at(2025, 3, 3, 12)) == at(2025, 3, 3, 13, 30)
    assert CAL.next_working_instant(at(2025, 3, 7, 17)) == at(2025, 3, 10, 7, 30)
    assert CAL.next_working_instant(at(2025, 3, 9, 10)) == at(2025, 3, 10, 7, 30)


def test_working_time_between() -> None:
    assert CAL.working_time_between(at(2025, 3, 3, 10), at(2025, 3, 3, 15)) == timedelta(hours=3)
    week = CAL.working_time_between(at(2025, 3, 3), at(2025, 3, 10))
    assert week == 5 * timedelta(hours=7, minutes=30)
    assert CAL.working_time_between(at(2025, 3, 10), at(2025, 3, 3)) == -week
    assert CAL.working_time_between(at(2025, 3, 8, 9), at(2025, 3, 9, 9)) == timedelta(0)


def test_add_working_time_ends_on_session_end() -> None:
    assert CAL.add_working_time(at(2025, 3, 3, 10), timedelta(hours=1, minutes=30)) == at(
        2025, 3, 3, 11, 30
    )
    assert CAL.add_working_time(at(2025, 3, 3, 7, 30), timedelta(hours=7, minutes=30)) == at(
        2025, 3, 3, 17
    )
    # Friday 16:00 + 2 h: 1 h on Friday, 1 h on Monday.
    assert CAL.add_working_time(at(2025, 3, 7, 16), timedelta(hours=2)) == at(2025, 3, 10, 8, 30)
    # Backwards lands on a session start.
    assert CAL.add_working_time(at(2025, 3, 3, 15), timedelta(hours=-1, minutes=-30)) == at(
        2025, 3, 3, 13, 30
    )
    assert CAL.add_working_time(at(2025, 3, 10, 8, 30), timedelta(hours=-2)) == at(2025, 3, 7, 16)


# -- due instants -------------------------------------------------------------------------


def test_due_example_from_the_convention() -> None:
    assert CAL.due_for_reception(at(2025, 2, 20, 9), 5, "working_days") == at(2025, 2, 27, 17)


def test_due_before_and_after_closing_on_the_eve_of_a_holiday() -> None:
    # National Day 2022: Thu 1 and Fri 2 Sep off; Wed 31 Aug is the last working day before.
    assert not CAL.is_working_day(date(2022, 9, 1))
    assert not CAL.is_working_day(date(2022, 9, 2))
    before_closing = CAL.due_for_reception(at(2022, 8, 31, 16, 45), 1, "working_days")
    after_closing = CAL.due_for_reception(at(2022, 8, 31, 17, 15), 1, "working_days")
    assert before_closing == at(2022, 9, 5, 17)
    assert after_closing == at(2022, 9, 6, 17)


def test_working_hours_cross_lunch_break() -> None:
    # 10:00-11:30 is 1.5 h, then 13:30 + 2.5 h: 16:00.
    assert CAL.due_for_reception(at(2025, 3, 3, 10), 4, "working_hours") == at(2025, 3, 3, 16)
    # Received at lunch: counts from 13:30.
    assert CAL.due_for_reception(at(2025, 3, 3, 12), 1, "working_hours") == at(2025, 3, 3, 14, 30)
    # Exhausting the morning session ends at 11:30, not 13:30.
    assert CAL.due_for_reception(at(2025, 3, 3, 7, 30), 4, "working_hours") == at(
        2025, 3, 3, 11, 30
    )
    # Received after closing: counts from the next morning.
    assert CAL.due_for_reception(at(2025, 3, 3, 18), 8, "working_hours") == at(2025, 3, 5, 8)


def test_calendar_days_landing_on_sunday_moves_to_monday() -> None:
    due = CAL.due_for_reception(at(2025, 3, 3, 9), 6, "calendar_days")  # Sun 9 Mar
    assert due == at(2025, 3, 10, 17)
    assert CAL.due_for_reception(at(2025, 3, 3, 9), 4, "calendar_days") == at(2025, 3, 7, 17)


def test_reception_on_sunday_counts_from_monday() -> None:
    assert CAL.due_for_reception(at(2025, 3, 9, 10), 0, "working_days") == at(2025, 3, 10, 17)
    assert CAL.due_for_reception(at(2025, 3, 9, 10), 1, "working_days") == at(2025, 3, 11, 17)
    assert CAL.due_for_reception(at(2025, 3, 9, 10), 2, "working_hours") == at(2025, 3, 10, 9, 30)


def test_fractional_working_days_use_working_time() -> None:
    half = CAL.due_for_reception(at(2025, 3, 3, 7, 30), Decimal("0.5"), "working_days")
    assert half == at(2025, 3, 3, 11, 15)
    assert CAL.due_for_reception(at(2025, 3, 3, 7, 30), 1.5, "working_days") == at(
        2025, 3, 4, 11, 15
    )
    assert CAL.due_for_reception(at(2025, 3, 3, 9), Decimal("2.00"), "working_days") == at(
        2025, 3, 5, 17
    )


def test_due_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="unit"):
        CAL.due_for_reception(at(2025, 3, 3, 9), 1, "weeks")
    with pytest.raises(ValueError, match="whole"):
        CAL.due_for_reception(at(2025, 3, 3, 9), 1.5, "calendar_days")
    with pytest.raises(ValueError):
        CAL.due_for_reception(at(2025, 3, 3, 9), -1, "working_days")
    with pytest.raises(TypeError):
        CAL.due_for_reception(at(2025, 3, 3, 9), "3", "working_days")


# -- pauses -----------------------------------------------------------------------------------


def test_pause_and_resume() -> None:
    due = at(2025, 3, 7, 17)  # Friday closing
    paused = at(2025, 3, 5, 10)  # Wed 10:00: 5 h left on Wednesday, then Thu and Fri
    assert CAL.remaining_working_time(due, paused) == timedelta(hours=5) + 2 * CAL.day_length
    # Paused a whole working day (Wed 10:00 -> Thu 10:00): the due moves to Monday 17:00.
    assert CAL.resume_due(due, paused, at(2025, 3, 6, 10)) == at(2025, 3, 10, 17)
    # Resumed on Saturday: the clock restarts on Monday 07:30.
    resumed = CAL.resume_due(due, paused, at(2025, 3, 8, 10))
    assert resumed == CAL.add_working_time(
        at(2025, 3, 10, 7, 30), timedelta(hours=5) + 2 * CAL.day_length
    )


def test_pause_after_due_keeps_due() -> None:
    due = at(2025, 3, 5, 17)
    paused = at(2025, 3, 6, 9)
    assert CAL.remaining_working_time(due, paused) < timedelta(0)
    assert CAL.resume_due(due, paused, at(2025, 3, 20, 9)) == due


# -- properties ---------------------------------------------------------------------------------

PROPS = settings(max_examples=300, deadline=None)


@PROPS
@given(d=days, n=st.integers(min_value=1, max_value=300))
def test_add_then_count_working_days(d: date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@PROPS
@given(d=working_days_only, n=st.integers(min_value=-300, max_value=300))
def test_add_then_count_from_a_working_day(d: date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@PROPS
@given(a=days, b=days)
def test_count_working_days_matches_brute_force(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    brute = sum(CAL.is_working_day(lo + timedelta(days=k)) for k in range((hi - lo).days))
    assert CAL.count_working_days(lo, hi) == brute
    assert CAL.count_working_days(hi, lo) == -brute


@PROPS
@given(
    dt=receptions,
    delta=st.timedeltas(min_value=timedelta(hours=-400), max_value=timedelta(hours=400)),
)
def test_add_working_time_lands_on_working_instant_or_session_end(
    dt: datetime, delta: timedelta
) -> None:
    result = CAL.add_working_time(dt, delta)
    if delta >= timedelta(0):
        assert CAL.is_working_instant(result) or is_session_end(result)
        assert result >= dt
    else:
        assert CAL.is_working_instant(result)
        assert result <= dt
    assert CAL.working_time_between(dt, result) == delta


@PROPS
@given(
    dt=receptions,
    n=st.integers(min_value=0, max_value=60),
    unit=st.sampled_from(["working_days", "working_hours", "calendar_days"]),
)
def test_due_monotone_and_never_before_reception(dt: datetime, n: int, unit: str) -> None:
    due = CAL.due_for_reception(dt, n, unit)
    later = CAL.due_for_reception(dt, n + 1, unit)
    assert due >= dt
    assert later >= due
    if unit != "calendar_days":
        assert later > due
    assert CAL.is_working_instant(due) or is_session_end(due)


@PROPS
@given(dt=receptions, n=st.integers(min_value=0, max_value=60))
def test_working_days_due_is_a_closing_time(dt: datetime, n: int) -> None:
    due = CAL.due_for_reception(dt, n, "working_days")
    assert due.timetz().replace(tzinfo=None) == time(17, 0)
    start = CAL.next_working_instant(dt)
    assert CAL.working_days_between(start.date(), due.date()) == n


@PROPS
@given(
    due=working_instants(),
    paused=working_instants(),
    pause=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
    resumed_at=working_instants(),
)
def test_pause_shifts_due_by_paused_working_time(
    due: datetime, paused: datetime, pause: timedelta, resumed_at: datetime
) -> None:
    assume(paused <= due)
    resumed = CAL.next_working_instant(paused + pause)
    for resume in (resumed, max(resumed_at, paused)):
        new_due = CAL.resume_due(due, paused, resume)
        assert CAL.working_time_between(due, new_due) == CAL.working_time_between(paused, resume)
        assert CAL.working_time_between(resume, new_due) == CAL.remaining_working_time(due, paused)


@PROPS
@given(dt=receptions, n=st.integers(min_value=0, max_value=30))
def test_plain_calendar_weekends_only(dt: datetime, n: int) -> None:
    due = PLAIN.due_for_reception(dt, n, "working_days")
    assert due.weekday() < 5
