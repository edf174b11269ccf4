"""The TTHC-control report of a unit for a period (seed 004), as a JSON-able dict.

Control figures (decisions, procedures published, internal processes, postings, reviews,
drafts) are counted here from the control tables, for the unit's agencies and their
descendants, by the dates the seed reports them on: a decision by its issue date, a posting
by its posting date, a review by its date, a draft by the date it was commented on.
Dossier figures are never counted here: they come from the statistics module's report
(`motcua.stats.assembly.build_report`), where each counter is defined once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Count
from django.utils import timezone

from motcua.catalog.choices import ProcedureLevel
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_identity, agency_subtree_ids
from motcua.control.choices import DecisionKind, ItemAction, PostingChannel
from motcua.control.models import (
    DecisionItem,
    DraftLegalText,
    Posting,
    ProcedureReview,
    ProcessApproval,
    PublicationDecision,
)
from motcua.control.selectors import catalogue_as_of
from motcua.stats.periods import Period

DossierSource = Callable[..., Mapping[str, Any]]


def _stats_build_report(*, unit: Agency, period: Period) -> Mapping[str, Any]:
    from motcua.stats.assembly import build_report  # the statistics module's one definition

    return build_report(unit=unit, period=period, children=False, compare=False)


def _figure(report: Mapping[str, Any], path: str) -> int:
    value: Any = report
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return int(value or 0)


def dossier_figures(report: Mapping[str, Any]) -> dict[str, int]:
    """The four dossier figures of seed 004 from a statistics report (statistics.md §5).

    "Tiếp nhận" is `received.total` (carried over + new): the seed's 58.463 received are
    exactly its 57.064 resolved plus 1.399 pending. "Trực tuyến" is the online share of the
    dossiers newly received in the period (`received.by_channel.online`). Refused, withdrawn
    and stopped are given too, so that every received dossier is accounted for (statistics.md §2
    identity 1: received = resolved + refused + withdrawn + stopped + pending).
    """
    return {
        "received": _figure(report, "received.total"),
        "received_new": _figure(report, "received.new"),
        "carried_over": _figure(report, "received.carried_over"),
        "resolved": _figure(report, "resolved.total"),
        "refused": _figure(report, "refused"),
        "withdrawn": _figure(report, "withdrawn"),
        "stopped": _figure(report, "stopped"),
        "pending": _figure(report, "pending.total"),
        "online": _figure(report, "received.by_channel.online"),
    }


def build_control_report(
    *,
    unit: Agency,
    period: Period,
    dossier_source: DossierSource | None = None,
) -> dict[str, Any]:
    """Every figure of the control report. `dossier_source(unit=, period=)` returns a statistics
    report dict; by default the statistics module builds it."""
    ids = agency_subtree_ids(roots=[unit.pk])
    start, end = period.start, period.end

    decisions = PublicationDecision.objects.filter(
        agency_id__in=ids, issued_on__gte=start, issued_on__lte=end
    )
    publication = decisions.filter(kind=DecisionKind.PROCEDURES)
    items = DecisionItem.objects.filter(decision__in=publication)
    by_level = Counter(dict(items.values_list("level").annotate(n=Count("id")).order_by()))
    by_action = Counter(dict(items.values_list("action").annotate(n=Count("id")).order_by()))
    process_decisions = decisions.filter(kind=DecisionKind.INTERNAL_PROCESSES)

    postings = Posting.objects.filter(agency_id__in=ids, posted_on__gte=start, posted_on__lte=end)
    posted = {
        channel: postings.filter(channel=channel).values("procedure").distinct().count()
        for channel in PostingChannel.values
    }
    reviews = ProcedureReview.objects.filter(
        agency_id__in=ids, reviewed_on__gte=start, reviewed_on__lte=end
    )
    drafts = DraftLegalText.objects.filter(
        agency_id__in=ids, commented_on__gte=start, commented_on__lte=end
    ).select_related("drafting_agency")

    in_force = [state for state in catalogue_as_of(on=end) if state.in_force]
    in_force_by_level = Counter(state.level or "" for state in in_force)

    stats = (dossier_source or _stats_build_report)(unit=unit, period=period)
    return {
        # the level's code (as before), and what names the issuer (stats/reports/letterhead.py)
        "unit": {**agency_identity(unit), "level": unit.level.code},
        # counted up to now while the period runs (statistics.md §1): `as_of`
        "period": {
            **period.counted_until(timezone.now()).as_dict(),
            "kind": period.kind,
            "label": period.label,
        },
        "decisions_issued": publication.count(),
        "decisions": [
            {
                "number": d.number,
                "issued_on": d.issued_on.isoformat(),
                "effective_from": d.effective_from.isoformat(),
                "kind": d.kind,
                "items": d.n,
            }
            for d in decisions.annotate(
                n=Count("items", distinct=True) + Count("process_approvals", distinct=True)
            ).order_by("issued_on", "id")
        ],
        "procedures_published": {
            "total": sum(by_level.values()),
            "by_level": {level: by_level.get(level, 0) for level in ProcedureLevel.values},
            "by_action": {action: by_action.get(action, 0) for action in ItemAction.values},
        },
        "internal_process_decisions": process_decisions.count(),
        "internal_processes_approved": ProcessApproval.objects.filter(
            decision__in=process_decisions
        ).count(),
        "posted_national_db": posted[PostingChannel.NATIONAL_DB],
        "posted_center": posted[PostingChannel.CENTER],
        "posted_website": posted[PostingChannel.WEBSITE],
        "reviews_done": reviews.count(),
        "simplification_plans": reviews.filter(simplification_proposed=True).count(),
        "drafts_commented": drafts.count(),
        "drafts": [
            {
                "title": draft.title,
                "drafting_agency": draft.drafting_agency.name,
                "commented_on": draft.commented_on.isoformat(),
                "procedures_count": draft.procedures_count,
            }
            for draft in drafts.order_by("commented_on", "id")
        ],
        "procedures_in_force": {
            "on": end.isoformat(),
            "total": len(in_force),
            "by_level": {level: in_force_by_level.get(level, 0) for level in ProcedureLevel.values},
        },
        "dossiers": dossier_figures(stats),
    }
