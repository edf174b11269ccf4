"""The index of a unit for a period: criteria, groups, total; child units ranked; the trend.

Points are linear: ``max × numerator / denominator`` (the published methodology scores each
ratio linearly), rounded half up to hundredths. A criterion is *measured* when the system has
a measure for it and the period has something to count (denominator > 0); otherwise it is "not
measured" and left out of the maximum. A unit's score is the sum of its measured criteria's
points out of their maximum (``points`` / ``max``) and that ratio out of 100 (``scaled``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_children_map, agency_subtree_ids
from motcua.core.errors import NotFound, PermissionDenied
from motcua.stats.counters import statistics_queries
from motcua.stats.periods import Period, month_period
from motcua.stats.service_index.criteria import CRITERIA, GROUPS, TOTAL_POINTS
from motcua.stats.service_index.measures import (
    MEASURES,
    Context,
    Parts,
    Unavailable,
    lost_records,
    sum_parts,
    unavailable,
)

HUNDREDTH = Decimal("0.01")


def points(max_points: int, numerator: int, denominator: int) -> Decimal:
    """Linear points, rounded half up to hundredths; within [0, max_points]."""
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"points: need 0 ≤ {numerator} ≤ {denominator} and a positive whole")
    value = Decimal(max_points) * Decimal(numerator) / Decimal(denominator)
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def scaled(value: Decimal, maximum: Decimal) -> Decimal | None:
    if not maximum:
        return None
    return (value * TOTAL_POINTS / maximum).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class Measured:
    """Each measure's per-agency parts for one computation (a subtree and a period)."""

    ctx: Context
    parts: dict[str, Parts | Unavailable]

    @classmethod
    def compute(cls, agency_ids: set[int], period: Period) -> Measured:
        ctx = Context(agency_ids=agency_ids, period=period)
        with statistics_queries():
            return cls(ctx, {name: fn(ctx) for name, fn in MEASURES.items()})


def score(measured: Measured, ids: set[int]) -> dict[str, Any]:
    """Criteria, groups and total of the agencies ``ids`` (a subtree) from ``measured``."""
    criteria = []
    by_group: dict[str, list[tuple[int, Decimal | None]]] = {g.code: [] for g in GROUPS}
    for c in CRITERIA:
        row: dict[str, Any] = {
            "code": c.code,
            "group": c.group,
            "name": str(c.name),
            "max_points": c.max_points,
            "formula": c.formula,
            "source": c.source,
            "measured": False,
            "numerator": None,
            "denominator": None,
            "rate": None,
            "points": None,
        }
        got: Decimal | None = None
        if c.measure is None:
            row["reason"] = _("The system does not hold this data yet.")
        elif isinstance(parts := measured.parts[c.measure], Unavailable):
            row["reason"] = parts.reason
        else:
            num, den = sum_parts(parts, ids)
            row.update(numerator=num, denominator=den)
            if den:
                got = points(c.max_points, num, den)
                row.update(
                    measured=True,
                    rate=_num((Decimal(num) * 100 / den).quantize(HUNDREDTH, ROUND_HALF_UP)),
                    points=_num(got),
                )
            else:
                row["reason"] = _("Nothing to count in this period.")
        by_group[c.group].append((c.max_points, got))
        criteria.append(row)
    groups = []
    total = measured_max = Decimal(0)
    for g in GROUPS:
        got_points = sum((p for _m, p in by_group[g.code] if p is not None), Decimal(0))
        g_max = Decimal(sum(m for m, p in by_group[g.code] if p is not None))
        total += got_points
        measured_max += g_max
        groups.append(
            {
                "code": g.code,
                "name": str(g.name),
                "max_points": g.max_points,
                "measured_max": _num(g_max),
                "points": _num(got_points) if g_max else None,
                "scaled": _num(scaled(got_points, g_max)),
            }
        )
    return {
        "score": {
            "points": _num(total) if measured_max else None,
            "max": _num(measured_max),
            "full_max": TOTAL_POINTS,
            "scaled": _num(scaled(total, measured_max)),
        },
        "groups": groups,
        "criteria": criteria,
    }


def check_access(unit: Agency, user: Any) -> None:
    if user is None:
        return
    allowed = user_agency_ids(user=user)
    if allowed is not None and unit.pk not in allowed:
        raise PermissionDenied(_("You may not see reports of %(unit)s.") % {"unit": unit.code})


def unit_by_code(code: str) -> Agency:
    unit = Agency.objects.filter(code=code).first()
    if unit is None:
        raise NotFound(_("Unknown unit '%(code)s'.") % {"code": code})
    return unit


def compute_index(
    *, unit: Agency, period: Period, user: Any = None, children: bool = False
) -> dict[str, Any]:
    """The index of ``unit`` (its subtree) for ``period``; with ``children``, each direct
    child's score too, ranked (best first; units with nothing measured last)."""
    check_access(unit, user)
    children_map = agency_children_map()
    subtree = agency_subtree_ids(roots=[unit.pk], children=children_map)
    measured = Measured.compute(subtree, period)
    out: dict[str, Any] = {
        "unit": {"code": unit.code, "name": unit.name},
        "period": period.as_dict(),
        "decision": "766/QĐ-TTg",
    }
    out.update(score(measured, subtree))
    if children:
        ranking = []
        for kid in Agency.objects.filter(parent=unit).order_by("code"):
            ids = agency_subtree_ids(roots=[kid.pk], children=children_map)
            kid_score = score(measured, ids)
            ranking.append({"unit": {"code": kid.code, "name": kid.name}, **kid_score})
        ranking.sort(
            key=lambda r: (
                r["score"]["scaled"] is None,
                -(r["score"]["scaled"] or 0),
                r["unit"]["code"],
            )
        )
        for rank, row in enumerate(ranking, start=1):
            row["rank"] = rank
        out["children"] = ranking
    return out


def report_annex(*, unit: Agency, period: Period, fmt: str, user: Any = None) -> dict | None:
    """The index annexed to a *monthly* report's DOCX or XLSX (issue 17: "a DOCX/XLSX annex to
    the monthly report"): the unit's index with its children ranked, for the report's own
    period. Other periods and formats: None (no annex)."""
    if not annexed(period=period, fmt=fmt):
        return None
    return compute_index(unit=unit, period=period, user=user, children=True)


def annexed(*, period: Period, fmt: str) -> bool:
    """Whether a report's document in format ``fmt`` carries the index annex (monthly DOCX and
    XLSX): the same annex for both, so one who makes several formats computes it once."""
    return period.kind == "month" and fmt in ("docx", "xlsx")


def criterion_losses(
    *, unit: Agency, period: Period, code: str, user: Any = None, limit: int = 200
) -> dict[str, Any]:
    """The records that cost criterion ``code`` its points, within the unit (scoped)."""
    check_access(unit, user)
    criterion = next((c for c in CRITERIA if c.code == code), None)
    if criterion is None:
        raise NotFound(_("Unknown criterion '%(code)s'.") % {"code": code})
    if criterion.measure is None or unavailable(criterion.measure) is not None:
        return {"criterion": code, "count": 0, "rows": [], "measured": False}
    ctx = Context(agency_ids=agency_subtree_ids(roots=[unit.pk]), period=period)
    with statistics_queries():
        count, rows = lost_records(criterion.measure, ctx, limit=limit)
    codes = dict(
        Agency.objects.filter(pk__in={r["agency_id"] for r in rows}).values_list("pk", "code")
    )
    for r in rows:
        r["agency"] = codes.get(r.pop("agency_id"), "")
    return {
        "criterion": code,
        "name": str(criterion.name),
        "count": count,
        "rows": rows,
        "measured": True,
    }


def monthly_trend(*, unit: Agency, end: date, months: int = 12, user: Any = None) -> list[dict]:
    """The scaled score for each calendar month (the portal scores calendar months) up to
    the one holding ``end``."""
    check_access(unit, user)
    subtree = agency_subtree_ids(roots=[unit.pk])
    year, month = end.year, end.month
    spans = []
    for _i in range(months):
        spans.append(month_period(year, month, cutoff=0))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    out = []
    for span in reversed(spans):
        s = score(Measured.compute(subtree, span), subtree)["score"]
        out.append(
            {"period": span.label, "scaled": s["scaled"], "points": s["points"], "max": s["max"]}
        )
    return out


def flat_scores(index: Mapping[str, Any]) -> dict[str, float | None]:
    """``{criterion code: points}`` (None: not measured), for tables and tests."""
    return {c["code"]: c["points"] for c in index["criteria"]}
