"""What a report's document carries after its body: one rule for the dashboard's downloads,
`motcua report` and the monthly round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from motcua.catalog.models import Agency
from motcua.stats.periods import Period


def document_annexes(
    *, report: Mapping[str, Any], unit: Agency, period: Period, fmt: str, user: Any = None
) -> dict[str, Any]:
    """The render options of the annexes: the Decision 766 index of a monthly report (DOCX and
    XLSX; ``stats.service_index``) and the daily audit digests of the period (``ops``)."""
    return formats_annexes(report=report, unit=unit, period=period, formats=[fmt], user=user)[fmt]


def formats_annexes(
    *,
    report: Mapping[str, Any],
    unit: Agency,
    period: Period,
    formats: Sequence[str],
    user: Any = None,
) -> dict[str, dict[str, Any]]:
    """``document_annexes`` of each of ``formats`` of one report, every annex computed once
    (the monthly round makes the DOCX, PDF and XLSX of each unit): the index is the same for
    each format that carries it, the audit digests the same for all."""
    from motcua.ops.auditchain import report_annex as audit_annex
    from motcua.stats.service_index.scoring import annexed, report_annex

    audit = audit_annex(report)
    index: dict[str, Any] | None = None
    annexes = {}
    for fmt in formats:
        with_index = annexed(period=period, fmt=fmt)
        if with_index and index is None:
            index = report_annex(unit=unit, period=period, fmt=fmt, user=user)
        annexes[fmt] = {"index_annex": index if with_index else None, "audit_annex": audit}
    return annexes
