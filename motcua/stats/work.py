"""The receiving units' own work and the hand-overs (work_counters.WORK_COUNTERS) in a report.

Added to the report dict of ``stats/assembly.py`` under their own keys, for the unit and each
child: ``received_for_others``, ``delivered_for_others``, ``transferred`` (nested like the
counters of §5). They are extra views: §2's identities neither use nor change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.catalog.selectors import agency_subtree_ids
from motcua.stats.counters import Counts
from motcua.stats.periods import Period
from motcua.stats.work_counters import WORK_COUNTERS, sum_work, work_counts_by_agency

WORK_KEYS = ("received_for_others", "delivered_for_others", "transferred")


def nest_work(flat: Mapping[str, int]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key in WORK_COUNTERS:
        node = tree
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = flat.get(key, 0)
    return tree


def add_work_counts(
    report: dict[str, Any],
    *,
    subtree: set[int],
    children_map: Mapping[int | None, list[int]],
    period: Period,
    child_ids: Mapping[str, int],
) -> dict[str, Any]:
    """Set the work keys on ``report`` and on each of its ``children`` (found by unit code in
    ``child_ids``); one query per kind for the whole subtree."""
    own = work_counts_by_agency(agency_ids=subtree, period=period)
    report.update(nest_work(sum_work(own[i] for i in subtree if i in own)))
    for child in report.get("children") or []:
        pk = child_ids.get(child["unit"]["code"])
        if pk is None:
            continue
        ids = agency_subtree_ids(roots=[pk], children=dict(children_map))
        child.update(nest_work(sum_work(own[i] for i in ids if i in own)))
    return report


def work_of(report: Mapping[str, Any]) -> Counts:
    """The flat work counters of a report section (zeros when absent)."""
    out = {}
    for key in WORK_COUNTERS:
        node: Any = report
        for part in key.split("."):
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        out[key] = node if isinstance(node, int) else 0
    return out


def work_rows(report: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(label, count) rows of the dashboard's card, in report order; empty when all are 0."""
    from django.utils.translation import gettext as _

    flat = work_of(report)
    labels = {
        "received_for_others.total": _("Received for other agencies"),
        "received_for_others.by_channel.direct": _("… at the counter"),
        "received_for_others.by_channel.online": _("… online"),
        "received_for_others.by_channel.postal": _("… by post"),
        "delivered_for_others.total": _("Results delivered for other agencies"),
        "transferred.sent": _("Hand-overs sent"),
        "transferred.sent_to_province_office": _("… to the provincial People's Committee office"),
        "transferred.received": _("Hand-overs accepted"),
    }
    if not any(flat.values()):
        return []
    return [(label, flat[key]) for key, label in labels.items()]
