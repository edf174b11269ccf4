"""Report assembly: a report for one unit and one period in the JSON shape of statistics.md §5
(a public contract), plus §4's extras under additional keys.

:func:`consolidated_report` (by unit) and :func:`report_for_code` (by code) are the one way the
dashboard, the document downloads, ``motcua report`` and ``/api/v1/reports/`` get a report, so
they give the same JSON and the same documents: the dossiers' counters (:func:`build_report`),
each child unit with its level (Biểu số 06 sums the children per level), and the figures of
agencies outside the system (:func:`report_with_external`)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.models import Agency, Field
from motcua.catalog.selectors import agency_children_map, agency_identity, agency_subtree_ids
from motcua.core.errors import NotFound, PermissionDenied
from motcua.core.jsonwrite import indented_json
from motcua.stats.counters import (
    ALL_COUNTERS,
    Counts,
    counts_by_agency,
    counts_by_field,
    statistics_queries,
    sum_counts,
)
from motcua.stats.identities import check_identities, flatten, put_counters
from motcua.stats.periods import Period
from motcua.stats.petitions import add_petition_counts
from motcua.stats.rates import as_number
from motcua.stats.sections import (
    LateFormatter,
    by_section,
    compute_rates,
    compute_shares,
    coverage,
    inter_agency,
    late_count,
    late_list_max,
    late_rows,
    most_late,
    rankings,
    units_below_threshold,
)
from motcua.stats.selectors import external_figures_for
from motcua.stats.work import add_work_counts

# The order of §5's counter keys in the output.
SHAPE_ORDER = (
    "received",
    "resolved",
    "refused",
    "withdrawn",
    "stopped",
    "pending",
    "due",
    "delivered",
    "one_way",
    "ratings",
)
RECEIVED_ORDER = ("carried_over", "new", "total", "by_channel", "online_by_class")


def nest(flat: Mapping[str, int]) -> dict[str, Any]:
    """``{"received.by_channel.direct": 3, ...}`` → ``{"received": {"by_channel": {...}}}``."""
    tree = put_counters({}, {key: flat[key] for key in ALL_COUNTERS})
    ordered = {k: tree[k] for k in SHAPE_ORDER}
    ordered["received"] = {k: tree["received"][k] for k in RECEIVED_ORDER}
    return ordered


def unit_report_body(
    agency: Agency,
    period: Period,
    counts: Counts,
    late: list[dict[str, Any]],
    late_total: int | None = None,
) -> dict[str, Any]:
    """One unit's section; ``late`` its late list, rows as :class:`LateFormatter` makes them
    (capped: ``late_total`` is the whole list's length, decisions.md #51)."""
    body: dict[str, Any] = {
        "unit": {"code": agency.code, "name": agency.name},
        "period": period.as_dict(),
    }
    body.update(nest(counts))
    body["rates"] = {k: as_number(v) for k, v in compute_rates(counts).items()}
    body["shares"] = compute_shares(counts)
    body["late_list"] = list(late)
    body["late_list_total"] = len(late) if late_total is None else late_total
    body["children"] = []
    return body


def comparison(current: Counts, previous: Counts, previous_period: Period) -> dict[str, Any]:
    """Each counter and rate beside the previous period's, with the change (rates in
    percentage points)."""
    cur_rates, prev_rates = compute_rates(current), compute_rates(previous)
    rates = {}
    for key, value in cur_rates.items():
        before = prev_rates[key]
        change = None if value is None or before is None else as_number(value - before)
        rates[key] = {
            "current": as_number(value),
            "previous": as_number(before),
            "change_pp": change,
        }
    return {
        "period": previous_period.as_dict(),
        "counters": {
            k: {"current": current[k], "previous": previous[k], "change": current[k] - previous[k]}
            for k in ALL_COUNTERS
        },
        "rates": rates,
    }


def build_report(
    *,
    unit: Agency,
    period: Period,
    children: bool = False,
    user: Any = None,
    threshold: int = 50,
    compare: bool = True,
) -> dict[str, Any]:
    """The report of ``unit`` (its own dossiers and its descendants') for ``period``.

    Keys of statistics.md §5 exactly, plus: ``rates`` companions (``late_of_resolved``,
    ``direct_of_new``, ``satisfied``, ``dissatisfied``, ``postal_of_delivered``), ``shares``
    (three-way splits by largest remainder), and at the top level only: ``own`` (the unit's
    own dossiers' counters when children are asked), ``rankings`` and ``units_below_threshold``
    (among the direct children), ``comparison`` (previous period of the same kind),
    ``coverage`` and ``inter_agency``. ``children`` holds, when asked, the same shape for each
    direct child (without its own children). With ``user``, the unit must be one the user
    may see (``PermissionDenied`` otherwise).
    """
    with statistics_queries():
        return _build_report(
            unit=unit,
            period=period,
            children=children,
            user=user,
            threshold=threshold,
            compare=compare,
        )


def _build_report(
    *, unit: Agency, period: Period, children: bool, user: Any, threshold: int, compare: bool
) -> dict[str, Any]:
    if user is not None:
        allowed = user_agency_ids(user=user)
        if allowed is not None and unit.pk not in allowed:
            raise PermissionDenied(_("You may not see reports of %(unit)s.") % {"unit": unit.code})
    # A period not yet ended is counted up to now (statistics.md §1; `period.as_of`).
    period = period.counted_until(timezone.now())
    children_map = agency_children_map()
    subtree = agency_subtree_ids(roots=[unit.pk], children=children_map)
    # Always narrow by agency, even for a whole province: the indexes lead with the agency,
    # so PostgreSQL then reads only the period's dossiers (measured: seq scan otherwise).
    scope = subtree
    prev_period = period.previous() if compare else None
    own = counts_by_agency(agency_ids=scope, period=period)
    # (one scan for both periods is no faster: the cost is in the conditional aggregates)
    prev_own = counts_by_agency(agency_ids=scope, period=prev_period) if prev_period else {}
    total = sum_counts(own[i] for i in subtree if i in own)
    cap = late_list_max()
    kids = list(Agency.objects.filter(parent=unit).select_related("level").order_by("code"))
    kid_ids = {k.pk: agency_subtree_ids(roots=[k.pk], children=children_map) for k in kids}
    # the late list is read capped per child's subtree (each child shows its own most late;
    # the unit's are among them) and the unit's own dossiers (decisions.md #51)
    sections = {a: kid for kid, ids in kid_ids.items() for a in ids}
    late = late_rows(agency_ids=scope, period=period, limit=cap, sections=sections)
    formatted = LateFormatter(period, late)  # each row formatted once, shared by the sections
    late_by_section = by_section(late, sections)  # each in the list's order, as `late`

    def late_of(rows: list, counts: Counts) -> tuple[list[dict[str, Any]], int]:
        # the whole list's length is a sum of counters (the list is "resolved late or overdue")
        return formatted(most_late(rows, limit=cap)), late_count(counts)

    report = unit_report_body(unit, period, total, *late_of(late, total))
    report["unit"] = agency_identity(unit)  # the issuer of its documents (reports/letterhead.py)
    kid_counts: list[tuple[Agency, Counts]] = []
    for kid in kids:
        ids = kid_ids[kid.pk]
        counts = sum_counts(own[i] for i in ids if i in own)
        kid_counts.append((kid, counts))
        if children:
            body = unit_report_body(kid, period, counts, *late_of(late_by_section[kid.pk], counts))
            body["unit"]["level"] = {"code": kid.level.code, "name": kid.level.name}
            report["children"].append(body)
    if children:
        report["own"] = nest(own.get(unit.pk) or sum_counts([]))
    if kids:
        report["rankings"] = rankings(kid_counts)
        report["units_below_threshold"] = units_below_threshold(kid_counts, threshold=threshold)
    if prev_period is not None:
        previous = sum_counts(prev_own[i] for i in subtree if i in prev_own)
        report["comparison"] = comparison(total, previous, prev_period)
    report["coverage"] = coverage(agency_ids=subtree, period=period, own=own)
    report["inter_agency"] = inter_agency(agency_ids=subtree, period=period)
    report["by_field"] = by_field(agency_ids=scope, period=period)
    add_work_counts(  # receiving units' own work and hand-overs (stats/work.py)
        report,
        subtree=subtree,
        children_map=children_map,
        period=period,
        child_ids={k.code: k.pk for k in kids},
    )
    add_petition_counts(  # feedback and petitions (stats/petitions.py)
        report,
        subtree=subtree,
        children_map=children_map,
        period=period,
        child_ids={k.code: k.pk for k in kids},
    )
    return report


def by_field(*, agency_ids: set[int], period: Period) -> list[dict[str, Any]]:
    """The counters per field of the procedures (Biểu số 06 "per field"), by field name."""
    counts = counts_by_field(agency_ids=agency_ids, period=period)
    names = dict(Field.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    rows = []
    for field_id, field_counts in counts.items():
        row: dict[str, Any] = {"field": {"id": field_id, "name": names.get(field_id, "")}}
        row.update(nest(field_counts))
        row["rates"] = {k: as_number(v) for k, v in compute_rates(field_counts).items()}
        rows.append(row)
    rows.sort(key=lambda r: r["field"]["name"])
    return rows


def consolidated_report(
    *, unit: Agency, period: Period, children: bool = False, user: Any = None
) -> dict[str, Any]:
    """The report of ``unit`` as every way out gives it (dashboard, documents, command, API):
    :func:`build_report` (children with their levels when asked) with the figures of agencies
    outside the system added and marked."""
    report = build_report(unit=unit, period=period, children=children, user=user)
    # built here and seen by no one else: completed in place, not copied (a deep copy of a
    # long late list cost more than building it)
    return _add_external(report, unit=unit, period=period)


def report_for_code(
    *, code: str, period: Period, children: bool = False, user: Any = None
) -> dict[str, Any]:
    """:func:`consolidated_report` of the unit with this code (``NotFound`` for an unknown code)."""
    unit = Agency.objects.filter(code=code).first()
    if unit is None:
        raise NotFound(_("Unknown unit '%(code)s'.") % {"code": code})
    return consolidated_report(unit=unit, period=period, children=children, user=user)


def report_json(report: Mapping[str, Any]) -> bytes:
    """The JSON file of a report (UTF-8, indented), as the command and the dashboard give it."""
    return (indented_json(report) + "\n").encode()  # json.dumps(…, indent=2), faster


def report_violations(report: Mapping[str, Any]) -> list[str]:
    """§2's identities on a built report (never expected to find anything)."""
    return check_identities(report)


def _set_counters(report: dict[str, Any], flat: Mapping[str, int]) -> None:
    put_counters(report, flat)
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
    return _add_external(copy.deepcopy(dict(report)), unit=unit, period=period)


def _add_external(result: dict[str, Any], *, unit: Agency, period: Period) -> dict[str, Any]:
    """:func:`report_with_external` on ``result`` itself (changed and returned)."""
    children_map = agency_children_map()
    subtree = agency_subtree_ids(roots=[unit.pk], children=children_map)
    externals = external_figures_for(agency_ids=subtree, period=period)
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
