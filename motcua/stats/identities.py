"""The identities of statistics.md §2, checked on every report the system produces and on
figures entered by hand (``stats.services``): the one list of them, and the one check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from motcua.stats.counters import ALL_COUNTERS, DERIVED_COUNTERS

# Identities 1-4 of §2, then the sums of §1 (``DERIVED_COUNTERS``): (name, left, right parts).
IDENTITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("1", "received.total", ("resolved.total", "refused", "withdrawn", "stopped", "pending.total")),
    ("2", "pending.total", ("pending.not_due", "pending.overdue")),
    ("3", "resolved.total", ("resolved.early", "resolved.on_time", "resolved.late")),
    (
        "4",
        "received.new",
        ("received.by_channel.direct", "received.by_channel.online", "received.by_channel.postal"),
    ),
    *(("§1", key, parts) for key, parts in DERIVED_COUNTERS.items()),
)
# How a part is named in a message ("resolved + refused + ...").
SHORT = {
    "resolved.total": "resolved",
    "pending.total": "pending",
    "received.by_channel.direct": "direct",
    "received.by_channel.online": "online",
    "received.by_channel.postal": "postal",
    "resolved.early": "early",
    "resolved.on_time": "on_time",
    "resolved.late": "late",
    "pending.not_due": "not_due",
    "pending.overdue": "overdue",
    "received.carried_over": "carried_over",
    "received.new": "new",
}


def get(d: Mapping[str, Any], path: str) -> Any:
    for key in path.split("."):
        d = d[key]
    return d


def identity_problems(counts: Mapping[str, int]) -> list[str]:
    """Identities 1-4 and the sums of §1 on a flat mapping of counters (``"received.new"`` → n):
    each broken one named with its figures and the difference, e.g. "identity 1:
    received.total (120) ≠ resolved + refused + withdrawn + stopped + pending (118): 2 too many".
    """
    problems = []
    for number, left, parts in IDENTITIES:
        total = sum(counts[p] for p in parts)
        if counts[left] == total:
            continue
        diff = counts[left] - total
        how = _("%(n)s too many") if diff > 0 else _("%(n)s too few")
        problems.append(
            _("identity %(number)s: %(left)s (%(value)s) ≠ %(parts)s (%(total)s): %(how)s")
            % {
                "number": number,
                "left": left,
                "value": counts[left],
                "parts": " + ".join(SHORT.get(p, p) for p in parts),
                "total": total,
                "how": how % {"n": abs(diff)},
            }
        )
    if counts["pending.awaiting_supplement"] > counts["pending.total"]:
        problems.append(
            _("pending.awaiting_supplement (%(a)s) exceeds pending.total (%(p)s)")
            % {"a": counts["pending.awaiting_supplement"], "p": counts["pending.total"]}
        )
    return problems


def put_counters(report: dict[str, Any], flat: Mapping[str, int]) -> dict[str, Any]:
    """Write flat counters (``"received.new"`` → n) into a report dict at their paths (the
    inverse of :func:`flatten`); returns ``report``."""
    for key, number in flat.items():
        node = report
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = number
    return report


def flatten(report: Mapping[str, Any]) -> dict[str, int]:
    """The counters of a report dict as a flat mapping (a missing counter is 0)."""

    def value(key: str) -> int:
        node: Any = report
        for part in key.split("."):
            node = node.get(part, 0) if isinstance(node, Mapping) else 0
        return int(node or 0)

    return {key: value(key) for key in ALL_COUNTERS}


def check_identities(
    report: Mapping[str, Any], *, next_carried_over: int | None = None
) -> list[str]:
    """Violations of §2 in a report dict (empty when all hold), children included.

    Identity 5 is checked when ``next_carried_over`` (the carried-over count of the period that
    starts the day after) is given; identity 6 when the report has its children — the parent's
    counters must then be at least the children's sums (the rest being its own dossiers).
    """
    code = report["unit"]["code"]
    problems = [f"{code}: {p}" for p in identity_problems(flatten(report))]
    if next_carried_over is not None and next_carried_over != report["pending"]["total"]:
        problems.append(
            f"{code}: identity 5: pending.total = {report['pending']['total']} ≠ "
            f"next period's received.carried_over = {next_carried_over}"
        )
    children = report.get("children") or []
    if children:
        own = report.get("own")
        for key in ALL_COUNTERS:
            total = sum(get(child, key) for child in children) + (get(own, key) if own else 0)
            parent = get(report, key)
            if (own is not None and total != parent) or (own is None and total > parent):
                problems.append(f"{code}: identity 6: {key} = {parent}, children sum to {total}")
        for child in children:
            problems.extend(check_identities(child))
    return problems
