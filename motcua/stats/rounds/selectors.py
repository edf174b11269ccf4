"""Reads of the monthly rounds, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.models import Agency
from motcua.stats.models import ReportRound
from motcua.stats.periods import Period


def report_round_list(*, user: Any):
    """The rounds of the units the user may see, newest first."""
    rows = ReportRound.objects.select_related("unit", "requested_by")
    allowed = user_agency_ids(user=user)
    return rows if allowed is None else rows.filter(unit_id__in=allowed)


def report_round_get(*, user: Any, pk: int) -> ReportRound | None:
    return report_round_list(user=user).filter(pk=pk).first()


def report_round_latest(*, user: Any, unit: Agency, period: Period) -> ReportRound | None:
    """The newest round of this unit and period, whoever asked for it."""
    return (
        report_round_list(user=user)
        .filter(unit=unit, period_start=period.start, period_end=period.end)
        .first()
    )
