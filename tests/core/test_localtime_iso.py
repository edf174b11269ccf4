"""``local_isoformat`` (core/localtime.py) converts instants from the zone's last change on with a
fixed offset: equal to the plain ``value.astimezone(LOCAL_TZ).isoformat()`` for any datetime,
aware in any zone or naive, on both sides of that change, including the failures."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from motcua.core.localtime import LOCAL_TZ, local_isoformat


def _plain(value: dt.datetime) -> tuple[str, str]:
    try:
        return "ok", value.astimezone(LOCAL_TZ).isoformat()
    except Exception as error:  # noqa: BLE001 - the same failure is expected of both
        return "error", type(error).__name__


def _fast(value: dt.datetime) -> tuple[str, str]:
    try:
        return "ok", local_isoformat(value)
    except Exception as error:  # noqa: BLE001
        return "error", type(error).__name__


UTC = dt.UTC
CHANGE = dt.datetime(1975, 6, 12, 16, tzinfo=UTC)  # 13 June 1975 00:00 +08:00 → 23:00 +07:00

near_change = st.integers(-(10**7), 10**7).map(lambda us: CHANGE + dt.timedelta(microseconds=us))
offsets = st.integers(-23 * 3600 - 3599, 23 * 3600 + 3599).map(
    lambda s: dt.timezone(dt.timedelta(seconds=s))
)
anywhere = st.datetimes(timezones=st.none() | st.timezones() | offsets | st.just(UTC))


@given(st.one_of(anywhere, near_change, st.datetimes(timezones=st.just(UTC))))
@example(CHANGE)
@example(CHANGE - dt.timedelta(microseconds=1))
@example(dt.datetime.max.replace(tzinfo=UTC))
@example(dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=5))))
@example(dt.datetime(2025, 12, 14, 16, 59, 59, 999999, tzinfo=UTC))
@example(dt.datetime(2025, 12, 15, 0, 0))
def test_local_isoformat_is_the_plain_conversion(value):
    assert _fast(value) == _plain(value)


def test_none_is_none():
    assert local_isoformat(None) is None
