"""Publication decisions: enter them, and write them into the catalogue once in force."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.choices import ProcedureLevel
from motcua.catalog.models import Agency, Field, Procedure
from motcua.control.attributes import (
    apply_to_procedure,
    clean_attributes,
    procedure_snapshot,
)
from motcua.control.choices import DecisionKind, ItemAction
from motcua.control.models import DecisionItem, ProcedureRevision, PublicationDecision
from motcua.core.audit import audit_record
from motcua.core.errors import MotcuaError


def decision_create(
    *,
    actor: Any,
    number: str,
    issued_on: date,
    effective_from: date,
    agency: Agency,
    kind: str = DecisionKind.PROCEDURES,
    signer: str = "",
    note: str = "",
) -> PublicationDecision:
    number = number.strip()
    if not number:
        raise MotcuaError(_("The decision needs a number."))
    if kind not in DecisionKind.values:
        raise MotcuaError(_("Unknown decision kind '%(kind)s'.") % {"kind": kind})
    if effective_from < issued_on:
        raise MotcuaError(
            _("Decision %(number)s: the effective date is before the issue date.")
            % {"number": number}
        )
    if PublicationDecision.objects.filter(agency=agency, number=number).exists():
        raise MotcuaError(
            _("Decision %(number)s of this agency is already recorded.") % {"number": number}
        )
    with transaction.atomic():
        decision = PublicationDecision.objects.create(
            number=number,
            issued_on=issued_on,
            effective_from=effective_from,
            agency=agency,
            kind=kind,
            signer=signer.strip(),
            note=note,
        )
        audit_record(actor=actor, action="control.decision_create", obj=decision)
    return decision


def decision_item_add(
    *,
    actor: Any,
    decision: PublicationDecision,
    action: str,
    level: str,
    procedure: Procedure | None = None,
    code: str = "",
    name: str = "",
    field: Field | None = None,
    replaces: Procedure | None = None,
    attributes: dict[str, Any] | None = None,
) -> DecisionItem:
    """Add one procedure to a decision not yet applied; checks everything applying will need."""
    if decision.kind != DecisionKind.PROCEDURES:
        raise MotcuaError(
            _("Decision %(number)s approves internal processes; it lists no procedures.")
            % {"number": decision.number}
        )
    _check_not_applied(decision)
    if action not in ItemAction.values:
        raise MotcuaError(_("Unknown action '%(action)s'.") % {"action": action})
    if level not in ProcedureLevel.values:
        raise MotcuaError(_("Unknown level '%(level)s'.") % {"level": level})
    cleaned = clean_attributes(attributes)
    code = code.strip()
    if procedure is None and code:
        procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        if action in (ItemAction.AMEND, ItemAction.ABOLISH):
            raise MotcuaError(
                _("Procedure '%(code)s' is not in the catalogue: it cannot be %(action)s.")
                % {"code": code or "?", "action": ItemAction(action).label}
            )
        if not code or not (name or cleaned.get("name")) or field is None:
            raise MotcuaError(
                _("A procedure new to the catalogue needs its national code, name and field.")
            )
        if not cleaned.get("one_way") and cleaned.get("processing_time") is None:
            raise MotcuaError(
                _("New procedure %(code)s needs a processing time (unless it is one-way).")
                % {"code": code}
            )
    if action == ItemAction.REPLACE and replaces is None:
        raise MotcuaError(_("A replacement must name the procedure it replaces."))
    if name:
        cleaned.setdefault("name", name.strip())
    with transaction.atomic():
        decision = PublicationDecision.objects.select_for_update().get(pk=decision.pk)
        _check_not_applied(decision)
        item = DecisionItem.objects.create(
            decision=decision,
            position=decision.items.count() + 1,
            action=action,
            level=level,
            procedure=procedure,
            replaces=replaces,
            code=code or (procedure.code if procedure else ""),
            name=cleaned.get("name", ""),
            field=field,
            attributes=cleaned,
        )
        audit_record(
            actor=actor,
            action="control.decision_item_add",
            obj=item,
            payload={"decision": decision.pk, "action": action, "code": item.code},
        )
    return item


def _check_not_applied(decision: PublicationDecision) -> None:
    if PublicationDecision.objects.filter(pk=decision.pk, applied_at__isnull=False).exists():
        raise MotcuaError(
            _("Decision %(number)s is already applied; it can no longer change.")
            % {"number": decision.number}
        )


def decision_apply(
    *,
    decision: PublicationDecision,
    actor: Any,
    today: date | None = None,
    at: datetime | None = None,
) -> int:
    """Write a decision in force into the catalogue; return the number of revisions written.

    Idempotent: a decision already applied is left alone (0). A decision whose effective date
    has not come is refused — the catalogue of today does not show it. `at` is when it was
    applied (default now: history loaded afterwards passes the real moment).
    """
    today = today or (timezone.localdate(at) if at else timezone.localdate())
    with transaction.atomic():
        decision = PublicationDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.is_applied:
            return 0
        if decision.effective_from > today:
            raise MotcuaError(
                _("Decision %(number)s takes effect on %(date)s; it cannot be applied before.")
                % {"number": decision.number, "date": decision.effective_from.strftime("%d/%m/%Y")}
            )
        written = 0
        if decision.kind == DecisionKind.PROCEDURES:
            for item in decision.items.select_related("procedure", "replaces", "field"):
                written += _apply_item(item, decision)
        decision.applied_at = at or timezone.now()
        decision.applied_by = actor if getattr(actor, "is_authenticated", False) else None
        decision.save(update_fields=["applied_at", "applied_by"])
        audit_record(
            actor=actor,
            action="control.decision_apply",
            obj=decision,
            payload={"revisions": written},
        )
    return written


@dataclass
class ApplyDueResult:
    applied: list[PublicationDecision] = dc_field(default_factory=list)
    failed: list[tuple[PublicationDecision, str]] = dc_field(default_factory=list)


def decisions_apply_due(*, actor: Any = None, today: date | None = None) -> ApplyDueResult:
    """Apply every decision whose effective date has come, oldest first. Safe to run again.

    A decision that cannot be applied is reported in `failed` (each decision is its own
    transaction) and does not hold back the others.
    """
    today = today or timezone.localdate()
    due = PublicationDecision.objects.filter(
        applied_at__isnull=True, effective_from__lte=today
    ).order_by("effective_from", "issued_on", "id")
    result = ApplyDueResult()
    for decision in due:
        try:
            decision_apply(decision=decision, actor=actor, today=today)
        except MotcuaError as exc:
            result.failed.append((decision, str(exc)))
        else:
            result.applied.append(decision)
    return result


def _apply_item(item: DecisionItem, decision: PublicationDecision) -> int:
    day = decision.effective_from
    written = 0
    if item.action == ItemAction.REPLACE and item.replaces is not None:
        _write_revision(item.replaces, day, {"is_active": False}, decision)
        written += 1
    procedure = item.procedure
    if item.action == ItemAction.ABOLISH:
        _write_revision(procedure, day, {"is_active": False}, decision)
        return written + 1
    changes = {**item.attributes, "level": item.level, "is_active": True}
    created = False
    if procedure is None:
        procedure = Procedure.objects.filter(code=item.code).first()
    if procedure is None:
        procedure = _procedure_create(item)
        created = True
    _write_revision(procedure, day, changes, decision, created=created)
    if item.procedure_id != procedure.pk:
        item.procedure = procedure
        item.save(update_fields=["procedure"])
    return written + 1


def _procedure_create(item: DecisionItem) -> Procedure:
    if item.field is None:
        raise MotcuaError(
            _("Decision item %(code)s: a new procedure needs a field.") % {"code": item.code}
        )
    procedure = Procedure(
        code=item.code, name=item.name or item.attributes.get("name", ""), field=item.field
    )
    apply_to_procedure(procedure, {**item.attributes, "level": item.level})
    procedure.save()
    return procedure


def _write_revision(
    procedure: Procedure,
    day: date,
    changes: dict[str, Any],
    decision: PublicationDecision,
    *,
    created: bool = False,
) -> ProcedureRevision:
    """Split the procedure's history at `day` and open a revision carrying `changes`."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    revisions = list(ProcedureRevision.objects.select_for_update().filter(procedure=procedure))
    if not revisions and not created:
        # The catalogue row as it stood before any decision was recorded: in force until `day`.
        revisions.append(
            ProcedureRevision.objects.create(
                procedure=procedure, valid_to=day, attributes=procedure_snapshot(procedure)
            )
        )
        base, following = revisions[0].attributes, None
    else:
        covering = next((rev for rev in revisions if rev.covers(day)), None)
        later = sorted(
            (rev for rev in revisions if rev.valid_from is not None and rev.valid_from > day),
            key=lambda rev: rev.valid_from,
        )
        following = later[0].valid_from if later else None
        if covering is not None and covering.valid_from == day:
            # Two decisions taking effect the same day: the later one adds to the same revision.
            covering.attributes = _checked({**covering.attributes, **changes}, procedure)
            covering.save(update_fields=["attributes"])
            _sync_catalogue(procedure, covering)
            return covering
        base = covering.attributes if covering is not None else procedure_snapshot(procedure)
        if covering is not None:
            following = covering.valid_to
            covering.valid_to = day
            covering.save(update_fields=["valid_to"])
    attributes = _checked({**base, **changes}, procedure)
    revision = ProcedureRevision.objects.create(
        procedure=procedure,
        valid_from=day,
        valid_to=following,
        attributes=attributes,
        decision=decision,
    )
    _sync_catalogue(procedure, revision)
    return revision


def _checked(attributes: dict[str, Any], procedure: Procedure) -> dict[str, Any]:
    if not attributes.get("one_way") and attributes.get("processing_time") is None:
        raise MotcuaError(
            _("Procedure %(code)s would have no processing time (only one-way procedures may).")
            % {"code": procedure.code}
        )
    return attributes


def _sync_catalogue(procedure: Procedure, revision: ProcedureRevision) -> None:
    """The catalogue row shows the latest revision (the one with no end)."""
    if revision.valid_to is not None:
        return
    changed = apply_to_procedure(procedure, revision.attributes)
    if changed:
        procedure.save(update_fields=changed)
