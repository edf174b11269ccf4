"""Reads of the figures of agencies outside the system, in the report dict shape (§5)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_children_map, agency_subtree_ids
from motcua.stats.counters import ALL_COUNTERS
from motcua.stats.identities import flatten
from motcua.stats.models import ExternalFigures, field_name
from motcua.stats.periods import Period
from motcua.stats.rates import as_number
from motcua.stats.sections import compute_rates, compute_shares


def _nest(row: ExternalFigures) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key in ALL_COUNTERS:
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = getattr(row, field_name(key))
    return tree


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


def _set_counters(report: dict[str, Any], flat: Mapping[str, int]) -> None:
    for key, number in flat.items():
        node = report
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = number
    report["rates"] = {k: as_number(v) for k, v in compute_rates(flat).items()}
    report["shares"] = compute_shares(flat)


def _add(report: dict[str, Any], extra: Mapping[str, int]) -> None:
    flat = flatten(report)
    _set_counters(report, {k: flat[k] + extra[k] for k in ALL_COUNTERS})


def report_with_external(report: Mapping[str, Any], *, unit: Agency, period: Period) -> dict:
    """The consolidated report with the figures of agencies outside the system added.

    Each agency's figures are added to the unit's counters (rates recomputed); an agency that
    reports directly under `unit` becomes one more entry of `children` marked `external: True`,
    one deeper in the tree is added to the child whose subtree holds it. `external` lists them
    all. A report that already has them (`external_included`) is returned unchanged.
    """
    if report.get("external_included"):
        return dict(report)
    children_map = agency_children_map()
    subtree = agency_subtree_ids(roots=[unit.pk], children=children_map)
    externals = external_figures_for(agency_ids=subtree, period=period)
    result = copy.deepcopy(dict(report))
    result["external_included"] = True
    if not externals:
        return result
    child_codes = {child["unit"]["code"]: child for child in result.get("children") or []}
    child_subtrees = {
        code: agency_subtree_ids(roots=[pk], children=children_map)
        for code, pk in Agency.objects.filter(code__in=child_codes).values_list("code", "pk")
    }
    asked_children = bool(child_codes) or "own" in result
    result["external"] = []
    for item in externals:
        counts = flatten(item)
        _add(result, counts)
        agency_id, reporting_id = item["unit"]["id"], item["unit"]["reporting_unit_id"]
        anchor = agency_id or reporting_id
        holder = next((code for code, ids in child_subtrees.items() if anchor in ids), None)
        if holder is not None:  # inside a child's subtree (or the child itself)
            child = child_codes[holder]
            _add(child, counts)
            if holder == item["unit"]["code"]:
                child["external"] = True
        elif asked_children and agency_id is None and reporting_id == unit.pk:
            entry = copy.deepcopy(item)
            _set_counters(entry, counts)
            result.setdefault("children", []).append(entry)
        elif isinstance(result.get("own"), dict):
            _add(result["own"], counts)
        result["external"].append({"unit": item["unit"], "source": item["source"]})
    return result
