"""Reads of the stats app: the figures of agencies outside the system, in the report dict
shape of statistics.md §5 (``stats.assembly`` adds them to a report)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from motcua.stats.counters import ALL_COUNTERS
from motcua.stats.identities import put_counters
from motcua.stats.models import ExternalFigures, field_name
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
