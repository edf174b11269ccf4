"""The identities of statistics.md §2, checked on every report the system produces."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.stats.counters import ALL_COUNTERS


def get(d: Mapping[str, Any], path: str) -> Any:
    for key in path.split("."):
        d = d[key]
    return d


def counts_identities(c: Mapping[str, int]) -> list[str]:
    """Identities 1–4 on a flat mapping of counters (``"received.new"`` → n)."""
    problems = []

    def eq(name: str, left: str, right: list[str]) -> None:
        lv, rv = c[left], sum(c[k] for k in right)
        if lv != rv:
            problems.append(f"{name}: {left} = {lv} ≠ {' + '.join(right)} = {rv}")

    eq(
        "identity 1",
        "received.total",
        ["resolved.total", "refused", "withdrawn", "stopped", "pending.total"],
    )
    eq("identity 2", "pending.total", ["pending.not_due", "pending.overdue"])
    eq("identity 3", "resolved.total", ["resolved.early", "resolved.on_time", "resolved.late"])
    eq(
        "identity 4",
        "received.new",
        ["received.by_channel.direct", "received.by_channel.online", "received.by_channel.postal"],
    )
    eq("received.total", "received.total", ["received.carried_over", "received.new"])
    eq("due", "due", ["resolved.total", "pending.overdue"])
    if c["pending.awaiting_supplement"] > c["pending.total"]:
        problems.append("pending.awaiting_supplement exceeds pending.total")
    return problems


def flatten(report: Mapping[str, Any]) -> dict[str, int]:
    return {k: get(report, k) for k in ALL_COUNTERS}


def check_identities(
    report: Mapping[str, Any], *, next_carried_over: int | None = None
) -> list[str]:
    """Violations of §2 in a report dict (empty when all hold), children included.

    Identity 5 is checked when ``next_carried_over`` (the carried-over count of the period that
    starts the day after) is given; identity 6 when the report has its children — the parent's
    counters must then be at least the children's sums (the rest being its own dossiers).
    """
    code = report["unit"]["code"]
    problems = [f"{code}: {p}" for p in counts_identities(flatten(report))]
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
