"""Reads of the stats app: the figures of agencies outside the system, in the report dict
shape of statistics.md §5 (``stats.assembly`` adds them to a report), and the report settings
remembered per unit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.models import Agency
from motcua.core.errors import PermissionDenied
from motcua.dossiers.permissions import REPORT_SETTINGS, may_act_for_agency
from motcua.stats.counters import ALL_COUNTERS
from motcua.stats.identities import put_counters
from motcua.stats.models import ExternalFigures, ReportSettings, field_name
from motcua.stats.periods import Period


def _nest(row: ExternalFigures) -> dict[str, Any]:
    return put_counters({}, {key: getattr(row, field_name(key)) for key in ALL_COUNTERS})


def external_figures_for(*, agency_ids: Iterable[int] | None, period: Period) -> list[dict]:
    """The figures entered for exactly `period` by agencies outside the system that belong to
    the units `agency_ids` (a unit's subtree; None: every unit), one dict per agency in the
    statistics.md §5 counter shape plus `unit` ({code, name, id, reporting_unit_id}),
    `period`, `external: True`, `source`, `entered_at`. Rates, late_list and children are left
    to the report builder (the late list of these agencies is not known)."""
    qs = ExternalFigures.objects.filter(period_start=period.start, period_end=period.end)
    if agency_ids is not None:
        ids = list(agency_ids)
        qs = qs.filter(Q(agency_id__in=ids) | Q(agency__isnull=True, reporting_unit_id__in=ids))
    result = []
    for row in qs.order_by("agency_code"):
        item: dict[str, Any] = {
            "unit": {
                "code": row.agency_code,
                "name": row.agency_name,
                "id": row.agency_id,
                "reporting_unit_id": row.reporting_unit_id,
            },
            "period": {"start": row.period_start.isoformat(), "end": row.period_end.isoformat()},
        }
        item.update(_nest(row))
        item.update(
            external=True,
            source=row.source,
            entered_at=row.entered_at.isoformat(),
            late_list=[],
            children=[],
        )
        result.append(item)
    return result


def external_figures_list(*, agency_ids: Iterable[int] | None) -> list[ExternalFigures]:
    """The recorded figures the user may see (for the entry page), newest period first."""
    qs = ExternalFigures.objects.select_related("agency", "reporting_unit", "entered_by")
    if agency_ids is not None:
        ids = list(agency_ids)
        qs = qs.filter(Q(agency_id__in=ids) | Q(reporting_unit_id__in=ids))
    return list(qs[:200])


def report_settings_for(*, user: Any, agency: Agency) -> ReportSettings | None:
    """The report settings remembered for ``agency``, if ``user`` may see the unit's reports
    (None when nothing is remembered or the unit is not the user's)."""
    allowed = user_agency_ids(user=user)
    if allowed is not None and agency.pk not in allowed:
        return None
    return ReportSettings.objects.select_related("changed_by").filter(agency_id=agency.pk).first()


def report_settings_options(*, agency_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The remembered document options of each of ``agency_ids`` that has some, by agency id:
    what the monthly round prints for units whose officials chose it (one query)."""
    rows = ReportSettings.objects.filter(agency_id__in=list(agency_ids))
    return {row.agency_id: options for row in rows if (options := row.options())}


def may_change_report_settings(*, user: Any, agency: Agency) -> bool:
    """Whether ``user`` may change what ``agency``'s reports print (the permission table's
    ``REPORT_SETTINGS``: the unit's officials, those above it, administrators)."""
    try:
        return may_act_for_agency(user, REPORT_SETTINGS, agency)
    except PermissionDenied:  # signed out, inactive, or a program without the action
        return False
