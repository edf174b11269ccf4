"""Due instants of imported rows: vectorised per calendar and unit, exact per row otherwise."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.conf import settings

from motcua.worktime.bulk import BulkDueCalculator
from motcua.worktime.calendar import WorkCalendar
from motcua.worktime.models import WorkingHours
from motcua.worktime.selectors import calendar_for_agency

_UTC = dt.UTC
_BULK_FIRST = dt.date(2000, 1, 1)
_BULK_LAST = dt.date(2045, 12, 31)
# Receptions this far inside the calculator's range leave room for the longest deadlines.
_SAFE_FIRST = dt.datetime(2000, 1, 10, tzinfo=_UTC)
_SAFE_LAST = dt.datetime(2044, 1, 1, tzinfo=_UTC)
_calculators: dict[int, tuple[WorkCalendar, BulkDueCalculator]] = {}


def _calculator(calendar: WorkCalendar) -> BulkDueCalculator:
    cached = _calculators.get(id(calendar))
    if cached is not None and cached[0] is calendar:
        return cached[1]
    if len(_calculators) > 16:
        _calculators.clear()
    calculator = BulkDueCalculator(calendar, _BULK_FIRST, _BULK_LAST)
    _calculators[id(calendar)] = (calendar, calculator)
    return calculator


class DueComputer:
    """Computes the legal due instants of many receptions, agency calendars loaded once."""

    def __init__(self) -> None:
        self._calendars: dict[int, WorkCalendar] = {}
        self._by_identity: dict[int, WorkCalendar] = {}
        self._own_hours: set[int] | None = None

    def calendar(self, agency_id: int) -> WorkCalendar:
        calendar = self._calendars.get(agency_id)
        if calendar is None:
            if self._own_hours is None:
                self._own_hours = set(
                    WorkingHours.objects.filter(agency__isnull=False).values_list(
                        "agency_id", flat=True
                    )
                )
            # An agency without its own hours has the deployment's calendar: build it once.
            key = agency_id if agency_id in self._own_hours else None
            calendar = self._calendars.get(key)  # type: ignore[arg-type]
            if calendar is None:
                calendar = calendar_for_agency(agency_id=key)
                self._calendars[key] = calendar  # type: ignore[index]
            self._calendars[agency_id] = calendar
        return calendar

    def dues(self, items: list[tuple[int, dt.datetime, Decimal, str]]) -> list[dt.datetime]:
        """Due instants for (agency id, received at, amount, unit) items, in order."""
        result: list[dt.datetime | None] = [None] * len(items)
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        seconds_of: list[float] = [0.0] * len(items)
        whole_amounts: dict[Decimal, bool] = {}  # few distinct amounts: Decimal checks once each
        first, last = _SAFE_FIRST.timestamp(), _SAFE_LAST.timestamp()
        for index, (agency_id, received_at, amount, unit) in enumerate(items):
            calendar = self.calendar(agency_id)
            whole = whole_amounts.get(amount)
            if whole is None:
                whole = whole_amounts[amount] = amount == amount.to_integral_value()
            exact_second = received_at.microsecond == 0 or unit != "working_hours"
            seconds = received_at.timestamp()
            if whole and exact_second and first <= seconds <= last:
                groups[(id(calendar), unit)].append(index)
                self._by_identity[id(calendar)] = calendar
                seconds_of[index] = seconds
            else:
                result[index] = calendar.due_for_reception(received_at, amount, unit)
        for (calendar_id, unit), indices in groups.items():
            calculator = _calculator(self._by_identity[calendar_id])
            seconds = np.fromiter(
                (int(seconds_of[i]) for i in indices), dtype=np.int64, count=len(indices)
            )
            amounts = np.fromiter(
                (int(items[i][2]) for i in indices), dtype=np.int64, count=len(indices)
            )
            dues = calculator.due_for_receptions(seconds, amounts, unit)
            tz = calculator.calendar.tz
            for i, value in zip(indices, dues.tolist(), strict=True):
                result[i] = dt.datetime.fromtimestamp(value, tz=tz)
        return result  # type: ignore[return-value]

    def after_supplement(
        self,
        *,
        agency_id: int,
        due_at: dt.datetime,
        requested_at: dt.datetime,
        received_at: dt.datetime,
        amount: Decimal,
        unit: str,
    ) -> dt.datetime:
        """The due once a supplement arrived, by the deployment's rule (resume or restart)."""
        calendar = self.calendar(agency_id)
        if getattr(settings, "MOTCUA_SUPPLEMENT_RULE", "resume") == "restart":
            return calendar.due_for_reception(received_at, amount, unit)
        return calendar.resume_due(due_at, requested_at, received_at)
