"""Handling a received dossier: assignment, process steps, supplements, inter-agency hand-overs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency, ProcessStep
from motcua.catalog.selectors import internal_process_in_force
from motcua.core.errors import MotcuaError
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.codes import reception_day
from motcua.dossiers.models import Dossier, Handover, SupplementWait
from motcua.dossiers.permissions import Actor, authorize, may_be_assigned
from motcua.dossiers.services.common import (
    agency_of,
    calendar_of,
    get_instance,
    instant,
    iso,
    lock_dossier,
    move,
    record_event,
    require,
    user_of,
)

SUPPLEMENT_RULES = ("resume", "restart")


def supplement_rule() -> str:
    """The deployment's rule for a received supplement: "resume" or "restart"."""
    rule = getattr(settings, "MOTCUA_SUPPLEMENT_RULE", "resume")
    if rule not in SUPPLEMENT_RULES:
        raise MotcuaError(
            _("MOTCUA_SUPPLEMENT_RULE must be 'resume' or 'restart', not %(value)r")
            % {"value": rule}
        )
    return rule


def _step_of(dossier: Dossier, step: ProcessStep | int | None) -> ProcessStep | None:
    if step is None:
        return None
    obj = get_instance(ProcessStep, step, _("process step"))
    require(
        dossier.process_id is not None and obj.process_id == dossier.process_id,
        _("step %(step)s is not part of this dossier's internal process") % {"step": obj},
    )
    return obj


def _assignee(dossier: Dossier, assignee: User | int | None) -> User | None:
    user = user_of(assignee)
    if user is not None and not may_be_assigned(user, dossier):
        raise MotcuaError(
            _("%(user)s does not work for %(agency)s and cannot be assigned its dossier")
            % {"user": user, "agency": dossier.agency}
        )
    return user


@transaction.atomic
def dossier_assign(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    assignee: User | int | None,
    step: ProcessStep | int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Give the dossier to an official (and optionally a step); it is then in process."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.ASSIGN, dossier)
    from_state, _to = move(dossier, E.ASSIGN, at)
    dossier.assignee = _assignee(dossier, assignee)
    step_obj = _step_of(dossier, step)
    if step_obj is not None:
        dossier.current_step = step_obj
    dossier.save(update_fields=["state", "assignee", "current_step"])
    record_event(
        dossier=dossier,
        type=E.ASSIGN,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "assignee_id": dossier.assignee_id,
            "step_id": dossier.current_step_id,
            "note": note,
        },
    )
    return dossier


@transaction.atomic
def dossier_step_advance(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    step: ProcessStep | int | None = None,
    assignee: User | int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Move to ``step`` of the internal process, or to the step after the current one."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.STEP, dossier)  # the table first; the step's role once it is known
    from_state, _to = move(dossier, E.STEP, at)
    step_obj = _step_of(dossier, step)
    if step_obj is None:
        require(
            dossier.process_id is not None,
            _("this dossier has no internal process; name the step explicitly"),
        )
        after = dossier.current_step.position if dossier.current_step_id else -1
        step_obj = dossier.process.steps.filter(position__gt=after).order_by("position").first()
        require(step_obj is not None, _("the dossier is already at the last step"))
    authorize(actor, E.STEP, dossier, step=step_obj)
    left = dossier.current_step if dossier.current_step_id else None
    dossier.current_step = step_obj
    if assignee is not None:
        dossier.assignee = _assignee(dossier, assignee)
    dossier.save(update_fields=["state", "current_step", "assignee"])
    record_event(
        dossier=dossier,
        type=E.STEP,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            # the step left as well as the step entered: the timeline names both
            "from_step_id": left.pk if left is not None else None,
            "from_step": left.name if left is not None else "",
            "step_id": step_obj.pk,
            "step": step_obj.name,
            "assignee_id": dossier.assignee_id,
            "note": note,
        },
    )
    return dossier


@transaction.atomic
def dossier_supplement_request(
    *, dossier: Dossier | int, actor: Actor | None, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """Ask the applicant to complete the dossier (form 02): the clock stops."""
    at = instant(at)
    require(bool(reason.strip()), _("say what is missing"))
    dossier = lock_dossier(dossier)
    authorize(actor, E.SUPPLEMENT_REQUEST, dossier)
    from_state, _to = move(dossier, E.SUPPLEMENT_REQUEST, at)
    remaining = calendar_of(dossier.agency_id).remaining_working_time(dossier.due_at, at)
    dossier.paused_at = at
    dossier.save(update_fields=["state", "paused_at"])
    wait = SupplementWait.objects.create(
        dossier=dossier, requested_at=at, due_before=dossier.due_at, reason=reason
    )
    record_event(
        dossier=dossier,
        type=E.SUPPLEMENT_REQUEST,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "wait_id": wait.pk,
            "reason": reason,
            "due_before": iso(dossier.due_at),
            "remaining_seconds": remaining.total_seconds(),
        },
    )
    return dossier


@transaction.atomic
def dossier_supplement_receive(
    *, dossier: Dossier | int, actor: Actor | None, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The supplement arrived: the clock runs again, resuming the remaining time or restarting
    the full time according to ``settings.MOTCUA_SUPPLEMENT_RULE``."""
    at = instant(at)
    rule = supplement_rule()
    dossier = lock_dossier(dossier)
    authorize(actor, E.SUPPLEMENT_RECEIVE, dossier)
    from_state, _to = move(dossier, E.SUPPLEMENT_RECEIVE, at)
    wait = dossier.supplement_waits.filter(received_at__isnull=True).order_by("-requested_at")
    wait = wait.first()
    calendar = calendar_of(dossier.agency_id)
    if rule == "resume":
        due = calendar.resume_due(dossier.due_at, dossier.paused_at, at)
    else:
        due = calendar.due_for_reception(at, dossier.processing_time, dossier.time_unit)
    paused_at, dossier.paused_at, dossier.due_at = dossier.paused_at, None, due
    dossier.save(update_fields=["state", "paused_at", "due_at"])
    if wait is not None:
        wait.received_at, wait.due_after = at, due
        wait.save(update_fields=["received_at", "due_after"])
    record_event(
        dossier=dossier,
        type=E.SUPPLEMENT_RECEIVE,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "wait_id": wait.pk if wait else None,
            "rule": rule,
            "paused_at": iso(paused_at),
            "due_at": iso(due),
            "note": note,
        },
    )
    return dossier


@transaction.atomic
def dossier_transfer(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    to_agency: Agency | int,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier over to another agency (liên thông); it waits for acceptance."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.TRANSFER, dossier)
    target = agency_of(to_agency)
    from_state, _to = move(dossier, E.TRANSFER, at)
    require(
        target.pk != dossier.agency_id,
        _("the dossier is already handled by %(agency)s") % {"agency": target},
    )
    dossier.save(update_fields=["state"])
    handover = Handover.objects.create(
        dossier=dossier, from_agency_id=dossier.agency_id, to_agency=target, sent_at=at, note=note
    )
    record_event(
        dossier=dossier,
        type=E.TRANSFER,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "handover_id": handover.pk,
            "from_agency_id": dossier.agency_id,
            "to_agency_id": target.pk,
            "note": note,
        },
    )
    return dossier


@transaction.atomic
def dossier_transfer_accept(
    *, dossier: Dossier | int, actor: Actor | None, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The receiving agency accepts the hand-over and becomes the handling agency."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.TRANSFER_ACCEPT, dossier)
    from_state, _to = move(dossier, E.TRANSFER_ACCEPT, at)
    handover = dossier.handovers.filter(accepted_at__isnull=True).order_by("-sent_at", "-pk")
    handover = handover.select_related("to_agency").first()
    require(handover is not None, _("this dossier has no pending hand-over"))
    handover.accepted_at = at
    handover.save(update_fields=["accepted_at"])
    from_agency_id = dossier.agency_id
    dossier.agency = handover.to_agency
    dossier.process = internal_process_in_force(
        procedure_id=dossier.procedure_id, agency_id=dossier.agency_id, on=reception_day(at)
    )
    dossier.current_step = None
    dossier.assignee = None
    dossier.save(update_fields=["state", "agency", "process", "current_step", "assignee"])
    record_event(
        dossier=dossier,
        type=E.TRANSFER_ACCEPT,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "handover_id": handover.pk,
            "from_agency_id": from_agency_id,
            "to_agency_id": dossier.agency_id,
            "note": note,
        },
    )
    return dossier
