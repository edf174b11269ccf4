"""What a report's document carries after its body: one rule for the dashboard's downloads,
`motcua report` and the monthly round."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.catalog.models import Agency
from motcua.stats.periods import Period


def document_annexes(
    *, report: Mapping[str, Any], unit: Agency, period: Period, fmt: str, user: Any = None
) -> dict[str, Any]:
    """The render options of the annexes: the Decision 766 index of a monthly report (DOCX and
    XLSX; ``stats.service_index``) and the daily audit digests of the period (``ops``)."""
    from motcua.ops.auditchain import report_annex as audit_annex
    from motcua.stats.service_index.scoring import report_annex as index_annex

    return {
        "index_annex": index_annex(unit=unit, period=period, fmt=fmt, user=user),
        "audit_annex": audit_annex(report),
    }
