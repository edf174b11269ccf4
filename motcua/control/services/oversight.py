"""Internal processes approved by decisions; reviews, drafts commented on, postings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from motcua.catalog.choices import Role
from motcua.catalog.models import Agency, InternalProcess, Procedure, ProcessStep
from motcua.control.choices import DecisionKind, PostingChannel, ReviewKind
from motcua.control.models import (
    DraftLegalText,
    Posting,
    ProcedureReview,
    ProcessApproval,
    PublicationDecision,
)
from motcua.core.audit import audit_record
from motcua.core.errors import MotcuaError


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    share_percent: Decimal


def process_approve(
    *,
    actor: Any,
    decision: PublicationDecision,
    procedure: Procedure,
    steps: Sequence[StepSpec],
    agency: Agency | None = None,
) -> InternalProcess:
    """Record a new internal-process version approved by `decision`.

    The version is in force from the decision's effective date: dossiers received before keep
    the version they were received under (see catalog.selectors.internal_process_in_force).
    """
    if decision.kind != DecisionKind.INTERNAL_PROCESSES:
        raise MotcuaError(
            _("Decision %(number)s publishes procedures; it cannot approve an internal process.")
            % {"number": decision.number}
        )
    if not steps:
        raise MotcuaError(_("An internal process needs at least one step."))
    total = Decimal(0)
    for position, step in enumerate(steps, start=1):
        if not step.name.strip():
            raise MotcuaError(_("Step %(position)s has no name.") % {"position": position})
        if step.role not in Role.values:
            raise MotcuaError(
                _("Step %(position)s: unknown role '%(role)s'.")
                % {"position": position, "role": step.role}
            )
        if step.share_percent < 0:
            raise MotcuaError(
                _("Step %(position)s: the time share is negative.") % {"position": position}
            )
        total += step.share_percent
    if total != Decimal(100):
        raise MotcuaError(
            _("The steps' time shares add up to %(total)s%%, not 100%%.") % {"total": total}
        )
    with transaction.atomic():
        # Lock the procedure so that two approvals cannot take the same version number.
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        last = InternalProcess.objects.filter(procedure=procedure, agency=agency).aggregate(
            last=Max("version")
        )["last"]
        process = InternalProcess.objects.create(
            procedure=procedure,
            agency=agency,
            version=(last or 0) + 1,
            effective_from=decision.effective_from,
            decision=decision.number,
        )
        ProcessStep.objects.bulk_create(
            ProcessStep(
                process=process,
                position=position,
                name=step.name.strip(),
                role=step.role,
                share_percent=step.share_percent,
            )
            for position, step in enumerate(steps, start=1)
        )
        ProcessApproval.objects.create(decision=decision, process=process)
        audit_record(
            actor=actor,
            action="control.process_approve",
            obj=process,
            payload={"decision": decision.pk, "version": process.version},
        )
    return process


def review_create(
    *,
    actor: Any,
    procedure: Procedure,
    agency: Agency,
    reviewed_on: date,
    kind: str = ReviewKind.REVIEW,
    conclusion: str = "",
    simplification_proposed: bool = False,
    plan: str = "",
    cost_saving: Decimal | None = None,
) -> ProcedureReview:
    if kind not in ReviewKind.values:
        raise MotcuaError(_("Unknown review kind '%(kind)s'.") % {"kind": kind})
    if simplification_proposed and not plan.strip():
        raise MotcuaError(_("A proposed simplification needs its plan."))
    if cost_saving is not None and cost_saving < 0:
        raise MotcuaError(_("The cost saving cannot be negative."))
    with transaction.atomic():
        review = ProcedureReview.objects.create(
            procedure=procedure,
            agency=agency,
            kind=kind,
            reviewed_on=reviewed_on,
            conclusion=conclusion,
            simplification_proposed=simplification_proposed,
            plan=plan,
            cost_saving=cost_saving,
        )
        audit_record(actor=actor, action="control.review_create", obj=review)
    return review


def draft_create(
    *,
    actor: Any,
    title: str,
    drafting_agency: Agency,
    agency: Agency,
    received_on: date,
    commented_on: date | None = None,
    procedures_count: int = 0,
    comment: str = "",
) -> DraftLegalText:
    if not title.strip():
        raise MotcuaError(_("The draft needs a title."))
    if commented_on is not None and commented_on < received_on:
        raise MotcuaError(_("The comment date is before the date the draft was received."))
    if procedures_count < 0:
        raise MotcuaError(_("The number of procedures cannot be negative."))
    with transaction.atomic():
        draft = DraftLegalText.objects.create(
            title=title.strip(),
            drafting_agency=drafting_agency,
            agency=agency,
            received_on=received_on,
            commented_on=commented_on,
            procedures_count=procedures_count,
            comment=comment,
        )
        audit_record(actor=actor, action="control.draft_create", obj=draft)
    return draft


def posting_create(
    *,
    actor: Any,
    procedure: Procedure,
    agency: Agency,
    channel: str,
    posted_on: date,
    removed_on: date | None = None,
    decision: PublicationDecision | None = None,
) -> Posting:
    if channel not in PostingChannel.values:
        raise MotcuaError(_("Unknown posting channel '%(channel)s'.") % {"channel": channel})
    if removed_on is not None and removed_on < posted_on:
        raise MotcuaError(_("The removal date is before the posting date."))
    try:
        with transaction.atomic():
            posting = Posting.objects.create(
                procedure=procedure,
                agency=agency,
                channel=channel,
                posted_on=posted_on,
                removed_on=removed_on,
                decision=decision,
            )
            audit_record(actor=actor, action="control.posting_create", obj=posting)
    except IntegrityError:
        raise MotcuaError(
            _("Procedure %(code)s is already recorded as posted there on that date.")
            % {"code": procedure.code}
        ) from None
    return posting
