"""Reads: the catalogue as it stood on a date, the internal process in force, lists for pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from motcua.catalog.models import Procedure
from motcua.control.attributes import procedure_snapshot
from motcua.control.models import (
    DraftLegalText,
    Posting,
    ProcedureReview,
    ProcedureRevision,
    PublicationDecision,
)


@dataclass(frozen=True)
class ProcedureState:
    """A procedure's attributes in force on one date (from its revisions)."""

    procedure_id: int
    code: str
    name: str
    level: str
    processing_time: Decimal | None
    time_unit: str
    online_class: str
    one_way: bool
    fee: str
    postal_reception: bool
    postal_return: bool
    inter_agency: bool
    in_force: bool
    valid_from: date | None
    decision_id: int | None

    @classmethod
    def from_attributes(
        cls,
        *,
        procedure_id: int,
        code: str,
        attributes: dict[str, Any],
        valid_from: date | None = None,
        decision_id: int | None = None,
    ) -> ProcedureState:
        time = attributes.get("processing_time")
        return cls(
            procedure_id=procedure_id,
            code=code,
            name=attributes.get("name", ""),
            level=attributes.get("level", ""),
            processing_time=None if time is None else Decimal(time),
            time_unit=attributes.get("time_unit", ""),
            online_class=attributes.get("online_class", ""),
            one_way=bool(attributes.get("one_way", False)),
            fee=attributes.get("fee", ""),
            postal_reception=bool(attributes.get("postal_reception", False)),
            postal_return=bool(attributes.get("postal_return", False)),
            inter_agency=bool(attributes.get("inter_agency", False)),
            in_force=bool(attributes.get("is_active", True)),
            valid_from=valid_from,
            decision_id=decision_id,
        )


def _covering(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )


def procedure_as_of(*, procedure_id: int, on: date) -> ProcedureState | None:
    """The procedure as it stood on `on`; None if it did not exist yet (or is unknown).

    A procedure no decision ever touched is taken as it stands in the catalogue today. An
    abolished procedure comes back with `in_force=False`.
    """
    procedure = Procedure.objects.filter(pk=procedure_id).first()
    if procedure is None:
        return None
    revisions = ProcedureRevision.objects.filter(procedure_id=procedure_id)
    revision = revisions.filter(_covering(on)).first()
    if revision is not None:
        return ProcedureState.from_attributes(
            procedure_id=procedure.pk,
            code=procedure.code,
            attributes=revision.attributes,
            valid_from=revision.valid_from,
            decision_id=revision.decision_id,
        )
    if revisions.exists():
        return None  # published later than `on`
    return ProcedureState.from_attributes(
        procedure_id=procedure.pk, code=procedure.code, attributes=procedure_snapshot(procedure)
    )


def catalogue_as_of(*, on: date, in_force_only: bool = True) -> list[ProcedureState]:
    """Every procedure as it stood on `on` (two queries, whatever the catalogue's size)."""
    with_history: dict[int, ProcedureRevision] = {}
    touched: set[int] = set()
    for revision in ProcedureRevision.objects.all().only(
        "procedure_id", "valid_from", "valid_to", "attributes", "decision_id"
    ):
        touched.add(revision.procedure_id)
        if revision.covers(on):
            with_history[revision.procedure_id] = revision
    states = []
    for procedure in Procedure.objects.all().order_by("code"):
        if procedure.pk in with_history:
            revision = with_history[procedure.pk]
            state = ProcedureState.from_attributes(
                procedure_id=procedure.pk,
                code=procedure.code,
                attributes=revision.attributes,
                valid_from=revision.valid_from,
                decision_id=revision.decision_id,
            )
        elif procedure.pk in touched:
            continue  # not yet published on that date
        else:
            state = ProcedureState.from_attributes(
                procedure_id=procedure.pk,
                code=procedure.code,
                attributes=procedure_snapshot(procedure),
            )
        if state.in_force or not in_force_only:
            states.append(state)
    return states


def decision_list(*, agency_ids: set[int] | None) -> QuerySet[PublicationDecision]:
    qs = PublicationDecision.objects.select_related("agency")
    return qs if agency_ids is None else qs.filter(agency_id__in=agency_ids)


def review_list(*, agency_ids: set[int] | None) -> QuerySet[ProcedureReview]:
    qs = ProcedureReview.objects.select_related("procedure", "agency")
    return qs if agency_ids is None else qs.filter(agency_id__in=agency_ids)


def draft_list(*, agency_ids: set[int] | None) -> QuerySet[DraftLegalText]:
    qs = DraftLegalText.objects.select_related("drafting_agency", "agency")
    return qs if agency_ids is None else qs.filter(agency_id__in=agency_ids)


def posting_list(*, agency_ids: set[int] | None) -> QuerySet[Posting]:
    qs = Posting.objects.select_related("procedure", "agency", "decision")
    return qs if agency_ids is None else qs.filter(agency_id__in=agency_ids)


def procedures_in_force_q(*, on: date) -> Q:
    """Procedures in force on ``on``, as a filter on ``Procedure``: the revision covering that day
    says so, or, for a procedure no decision ever touched, the catalogue row does. The same rule
    as :func:`procedure_as_of`, as one query instead of one per procedure."""
    touched = ProcedureRevision.objects.values("procedure_id")
    covering_in_force = (
        ProcedureRevision.objects.filter(_covering(on))
        .exclude(attributes__is_active=False)
        .values("procedure_id")
    )
    return Q(pk__in=covering_in_force) | (Q(is_active=True) & ~Q(pk__in=touched))


def publishing_decision(*, procedure_id: int, on: date) -> PublicationDecision | None:
    """The decision that published the procedure's version in force on ``on`` (its legal basis
    in the catalogue), if a decision did."""
    revision = (
        ProcedureRevision.objects.filter(_covering(on), procedure_id=procedure_id)
        .select_related("decision")
        .first()
    )
    return revision.decision if revision is not None and revision.decision_id else None
