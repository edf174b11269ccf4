"""Vectorised due instants for imports and reports (numpy; no Django).

``BulkDueCalculator`` precomputes, for every day of a date range, whether it is a working day,
the cumulative count of working days before it and the inverse map (working-day rank -> day).
A due instant is then a few array look-ups per reception, with no Python loop per row.
Results equal ``WorkCalendar.due_for_reception`` exactly for whole amounts, in whole seconds.

Requirements (checked at construction): the same sessions every day, session bounds in whole
seconds, and one UTC offset for the calendar's zone over the whole range (true for Vietnam).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt

from motcua.worktime.calendar import UNITS, WorkCalendar

_DAY = 86_400
_UNIX_EPOCH = date(1970, 1, 1)


class BulkDueCalculator:
    """Due instants for many receptions at once over ``[first_day, last_day]``."""

    def __init__(
        self,
        calendar: WorkCalendar,
        first_day: date = date(2000, 1, 1),
        last_day: date = date(2045, 12, 31),
    ) -> None:
        if last_day < first_day:
            raise ValueError("last_day must not be before first_day")
        self.calendar = calendar
        self.first_day = first_day
        self.last_day = last_day
        self._offset = self._fixed_offset_seconds(calendar, first_day, last_day)

        bounds = calendar.sessions.bounds
        if any(b % timedelta(seconds=1) for pair in bounds for b in pair):
            raise ValueError("bulk calculation needs session bounds in whole seconds")
        self._starts = np.array([s // timedelta(seconds=1) for s, _ in bounds], dtype=np.int64)
        self._ends = np.array([e // timedelta(seconds=1) for _, e in bounds], dtype=np.int64)
        lengths = self._ends - self._starts
        self._cum_end = np.cumsum(lengths)  # worked seconds at each session end
        self._cum_start = self._cum_end - lengths  # worked seconds at each session start
        self._day_length = int(self._cum_end[-1])
        self._closing = int(self._ends[-1])

        n_days = (last_day - first_day).days + 1
        self._n_days = n_days
        self._epoch_day0 = (first_day - _UNIX_EPOCH).days
        working = np.fromiter(
            (calendar.is_working_day(first_day + timedelta(days=i)) for i in range(n_days)),
            dtype=bool,
            count=n_days,
        )
        self.working = working
        # cum[i]: working days in [0, i); rank_to_day[k]: index of the k-th working day,
        # padded with the sentinel n_days ("beyond the range").
        self.cum = np.concatenate(([0], np.cumsum(working, dtype=np.int64)))
        self.rank_to_day = np.append(np.flatnonzero(working).astype(np.int64), n_days)
        self._n_working = int(self.cum[-1])
        # next_working[i]: first working day index >= i (n_days if none), for i in 0..n_days.
        self.next_working = self.rank_to_day[self.cum]

    @staticmethod
    def _fixed_offset_seconds(calendar: WorkCalendar, first: date, last: date) -> int:
        offsets = set()
        day = first
        while day <= last:
            for t in (time(0), time(12)):
                offset = datetime.combine(day, t, tzinfo=calendar.tz).utcoffset()
                assert offset is not None
                offsets.add(offset // timedelta(seconds=1))
            day += timedelta(days=1)
        if len(offsets) != 1:
            raise ValueError(f"{calendar.tz.key} changes its UTC offset in the range")
        return offsets.pop()

    # -- helpers --------------------------------------------------------------------------

    def _as_epoch_seconds(self, received_at: npt.ArrayLike) -> npt.NDArray[np.int64]:
        arr = np.asarray(received_at)
        if np.issubdtype(arr.dtype, np.datetime64):
            if np.isnat(arr).any():
                raise ValueError("received_at contains NaT")
            return arr.astype("datetime64[s]").view(np.int64)
        if not np.issubdtype(arr.dtype, np.integer):
            raise TypeError("received_at: datetime64 (UTC) or integer epoch seconds expected")
        return arr.astype(np.int64, copy=False)

    def _day_index(self, index: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Checks that day indices stay inside the range."""
        if index.size and (index.min() < 0 or index.max() >= self._n_days):
            raise ValueError(
                f"a due instant falls outside {self.first_day}..{self.last_day}: "
                "widen the calculator's range"
            )
        return index

    def _day_start(self, day: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return (day + self._epoch_day0) * _DAY - self._offset

    # -- public ---------------------------------------------------------------------------

    def due_for_receptions(
        self,
        received_at: npt.ArrayLike,
        amounts: npt.ArrayLike,
        unit: str = "working_days",
    ) -> npt.NDArray[np.int64]:
        """Due instants (int64 epoch seconds) for receptions given as UTC ``datetime64`` or
        int64 epoch seconds, with whole, non-negative ``amounts`` in ``unit``."""
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
        t = self._as_epoch_seconds(received_at)
        n = np.asarray(amounts)
        if not np.issubdtype(n.dtype, np.integer):
            raise TypeError("amounts must be integers for the bulk calculation")
        n = np.broadcast_to(n.astype(np.int64, copy=False), t.shape)
        if n.size and n.min() < 0:
            raise ValueError("amounts must be non-negative")

        local = t + self._offset
        day = self._day_index(local // _DAY - self._epoch_day0)
        second = local % _DAY

        if unit == "working_hours":
            return self._working_hours(t, day, second, n)

        # Normalised reception day R: the day itself when it is a working day and the
        # reception is before closing, else the next working day.
        open_today = self.working[day] & (second < self._closing)
        r_day = np.where(open_today, day, self.next_working[day + 1])
        if unit == "working_days":
            rank = np.minimum(self.cum[r_day] + n, self._n_working)
            due_day = self.rank_to_day[rank]
        else:  # calendar_days
            target = np.minimum(r_day + n, self._n_days)
            due_day = self.next_working[target]
        return self._day_start(self._day_index(due_day)) + self._closing

    def _worked(
        self, day: npt.NDArray[np.int64], second: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """Working seconds since the range start up to each instant."""
        lengths = self._ends - self._starts
        today = np.clip(second[:, None] - self._starts[None, :], 0, lengths[None, :]).sum(axis=1)
        return self.cum[day] * self._day_length + np.where(self.working[day], today, 0)

    def _working_hours(
        self,
        t: npt.NDArray[np.int64],
        day: npt.NDArray[np.int64],
        second: npt.NDArray[np.int64],
        n: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        flat_t, flat_day, flat_second = t.ravel(), day.ravel(), second.ravel()
        zero = n.ravel() == 0
        # Zero rows get a dummy positive amount here and are replaced below.
        seconds = np.where(zero, 1, n.ravel() * 3600)
        target = self._worked(flat_day, flat_second) + seconds
        # The earliest instant with that much work: a session end when it lands on one.
        rank, position = np.divmod(target, self._day_length)
        on_boundary = position == 0
        rank = np.where(on_boundary, rank - 1, rank)
        position = np.where(on_boundary, self._day_length, position)
        due_day = self._day_index(self.rank_to_day[np.minimum(rank, self._n_working)])
        session = np.searchsorted(self._cum_end, position, side="left")
        due = self._day_start(due_day) + self._starts[session] + position - self._cum_start[session]

        # A zero amount gives the normalised reception instant itself.
        if zero.any():
            due[zero] = self._next_working_instant(flat_t[zero], flat_day[zero], flat_second[zero])
        return due.reshape(t.shape)

    def _next_working_instant(
        self,
        t: npt.NDArray[np.int64],
        day: npt.NDArray[np.int64],
        second: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        open_today = self.working[day] & (second < self._closing)
        session = np.minimum(np.searchsorted(self._ends, second, side="right"), len(self._ends) - 1)
        in_session = second >= self._starts[session]
        later_today = self._day_start(day) + self._starts[session]
        next_day = self.next_working[day + 1]
        self._day_index(next_day[~open_today])
        tomorrow = self._day_start(next_day) + self._starts[0]
        return np.where(open_today, np.where(in_session, t, later_today), tomorrow)
