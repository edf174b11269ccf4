"""Reception: online submission, pre-check, reception at the counter or by post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency, Procedure, ProcedureAssignment, RequiredDocument
from motcua.catalog.selectors import internal_process_in_force
from motcua.core.db import insert_row
from motcua.core.errors import MotcuaError
from motcua.core.generations import memo, memo_scope, remembered
from motcua.core.uploads import CheckedUpload
from motcua.dossiers.choices import ApplicantKind, Channel, DeliveryChannel
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.codes import allocate_code, reception_day
from motcua.dossiers.models import CounterClosure, Dossier, DossierDocument
from motcua.dossiers.permissions import Actor, authorize_reception
from motcua.dossiers.reception_rules import check_reception
from motcua.dossiers.search import applicant_search_text
from motcua.dossiers.services.common import (
    agency_of,
    calendar_of,
    check_postal,
    instant,
    iso,
    move,
    procedure_of,
    record_event,
    require,
)
from motcua.dossiers.services.documents import attach_submitted
from motcua.dossiers.workflow import NEW
from motcua.ops.metrics import count_reception


def counter_closure_at(*, unit: Agency, day: dt.date) -> CounterClosure | None:
    """The closure suspending counter reception at ``unit`` (or an agency above it) on ``day``
    (the agency chain's closures are memoised until the catalogue changes)."""
    data = memo("catalogue")
    parents = remembered(
        data, "agency_parents", lambda: dict(Agency.objects.values_list("pk", "parent_id"))
    )
    chain: list[int] = []
    current: int | None = unit.pk
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    closures = remembered(
        data,
        ("closures", tuple(chain)),
        lambda: list(CounterClosure.objects.filter(agency_id__in=chain).order_by("start", "pk")),
    )
    return next((c for c in closures if c.start <= day <= c.end), None)


def _snapshot(*, procedure: Procedure, agency: Agency) -> dict[str, Any]:
    """Processing time, unit, online class and one-way flag at reception (agency override first),
    read from the database (memoised until the catalogue changes)."""
    return dict(
        remembered(
            memo("catalogue"),
            ("snapshot", procedure.pk, agency.pk),
            lambda: _load_snapshot(procedure_id=procedure.pk, agency_id=agency.pk),
        )
    )


def _load_snapshot(*, procedure_id: int, agency_id: int) -> dict[str, Any]:
    assignment = (
        ProcedureAssignment.objects.filter(procedure_id=procedure_id, agency_id=agency_id)
        .select_related("procedure")
        .first()
    )
    if assignment is not None:
        procedure = assignment.procedure
        time, online = assignment.effective_processing_time, assignment.effective_online_class
    else:
        procedure = Procedure.objects.get(pk=procedure_id)
        time, online = procedure.processing_time, procedure.online_class
    return {
        "processing_time": time,
        "time_unit": procedure.time_unit,
        "online_class": online,
        "one_way": procedure.one_way,
    }


def _required_documents(*, procedure_id: int) -> list[RequiredDocument]:
    return remembered(
        memo("catalogue"),
        ("documents", procedure_id),
        lambda: list(RequiredDocument.objects.filter(procedure_id=procedure_id)),
    )


def _check_choices(*, channel: str, delivery_channel: str, applicant_kind: str) -> None:
    if channel not in Channel.values:
        raise MotcuaError(_("unknown reception channel %(value)r") % {"value": channel})
    if delivery_channel and delivery_channel not in DeliveryChannel.values:
        raise MotcuaError(
            _("unknown result delivery channel %(value)r") % {"value": delivery_channel}
        )
    if applicant_kind not in ApplicantKind.values:
        raise MotcuaError(_("unknown applicant kind %(value)r") % {"value": applicant_kind})


def _new_dossier(
    *,
    agency: Agency | int,
    procedure: Procedure | int,
    receiving_unit: Agency | int | None,
    channel: str,
    applicant: dict[str, str],
    delivery_channel: str,
    delivery_address: str,
    note: str,
) -> Dossier:
    agency_obj = agency_of(agency)
    procedure_obj = procedure_of(procedure)
    require(
        procedure_obj.is_active,
        _("procedure %(code)s is no longer in force") % {"code": procedure_obj.code},
    )
    _check_choices(
        channel=channel,
        delivery_channel=delivery_channel,
        applicant_kind=applicant["applicant_kind"],
    )
    check_reception(
        applicant=applicant, delivery_channel=delivery_channel, delivery_address=delivery_address
    )
    check_postal(procedure=procedure_obj, channel=channel, delivery_channel=delivery_channel)
    snapshot = _snapshot(procedure=procedure_obj, agency=agency_obj)
    require(
        snapshot["one_way"] or snapshot["processing_time"] is not None,
        _("procedure %(code)s has no processing time") % {"code": procedure_obj.code},
    )
    return Dossier(
        agency=agency_obj,
        procedure=procedure_obj,
        receiving_unit=agency_of(receiving_unit) if receiving_unit is not None else None,
        channel=channel,
        delivery_channel=delivery_channel,
        delivery_address=delivery_address,
        note=note,
        applicant_search=applicant_search_text(
            applicant.get("applicant_name"),
            applicant.get("applicant_id_number"),
            applicant.get("applicant_phone"),
        ),
        **applicant,
        **snapshot,
    )


def _make_checklist(
    dossier: Dossier, submitted: Iterable[int] | None, required: list[RequiredDocument]
) -> list[DossierDocument]:
    """Copy the procedure's required documents; ``submitted`` lists RequiredDocument ids
    handed in (None: every mandatory one)."""
    wanted = None if submitted is None else set(submitted)
    rows = []
    for doc in required:
        handed = doc.mandatory if wanted is None else doc.pk in wanted
        rows.append(
            DossierDocument(
                dossier=dossier,
                required=doc,
                name=doc.name,
                originals=doc.originals,
                copies=doc.copies,
                submitted=handed,
            )
        )
    return DossierDocument.objects.bulk_create(rows)


def _receive(
    dossier: Dossier,
    *,
    at: dt.datetime,
) -> dict[str, Any]:
    """Reception time, due date (or filing for one-way), then the code; returns the payload.

    Everything that only reads comes first: the code counter stays locked from its allocation
    to the end of the transaction, so that part is kept short."""
    dossier.received_at = at
    if dossier.one_way:
        dossier.outcome, dossier.closed_at, dossier.due_at = "filed", at, None
    else:
        work = calendar_of(dossier.agency_id)
        dossier.due_at = work.due_for_reception(at, dossier.processing_time, dossier.time_unit)
        dossier.process = internal_process_in_force(
            procedure_id=dossier.procedure_id,
            agency_id=dossier.agency_id,
            on=reception_day(at),
        )
    unit = dossier.receiving_unit or dossier.agency
    dossier.code = allocate_code(agency=unit, day=reception_day(at))
    transaction.on_commit(partial(count_reception, dossier.channel))
    return {
        "code": dossier.code,
        "agency_id": dossier.agency_id,
        "receiving_unit_id": dossier.receiving_unit_id,
        "channel": dossier.channel,
        "processing_time": _decimal_text(dossier.processing_time),
        "time_unit": dossier.time_unit,
        "one_way": dossier.one_way,
        "due_at": iso(dossier.due_at),
    }


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@memo_scope()
@transaction.atomic
def dossier_receive(
    *,
    actor: Actor | None,
    agency: Agency | int,
    procedure: Procedure | int,
    applicant_name: str,
    channel: str = Channel.DIRECT,
    applicant_kind: str = ApplicantKind.PERSON,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    receiving_unit: Agency | int | None = None,
    delivery_channel: str = "",
    delivery_address: str = "",
    documents_submitted: Iterable[int] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Receive a complete dossier (counter, post, or online already checked elsewhere).

    Allocates the code and the due date; a one-way procedure is filed at once. Counter
    reception is refused during a counter-closure period of the receiving unit.
    """
    at = instant(at)
    dossier = _new_dossier(
        agency=agency,
        procedure=procedure,
        receiving_unit=receiving_unit,
        channel=channel,
        applicant={
            "applicant_name": applicant_name,
            "applicant_kind": applicant_kind,
            "applicant_id_number": applicant_id_number,
            "applicant_phone": applicant_phone,
            "applicant_email": applicant_email,
            "applicant_address": applicant_address,
        },
        delivery_channel=delivery_channel,
        delivery_address=delivery_address,
        note=note,
    )
    action = E.FILE if dossier.one_way else E.RECEIVE
    authorize_reception(actor, action, agency=dossier.agency, receiving_unit=dossier.receiving_unit)
    if channel == Channel.DIRECT:
        unit = dossier.receiving_unit or dossier.agency
        closure = counter_closure_at(unit=unit, day=reception_day(at))
        if closure is not None:
            raise MotcuaError(
                _(
                    "counter reception at %(unit)s is suspended from %(start)s to %(end)s "
                    "(%(reason)s); online and postal reception stay open"
                )
                % {
                    "unit": unit,
                    "start": closure.start.strftime("%d/%m/%Y"),
                    "end": closure.end.strftime("%d/%m/%Y"),
                    "reason": closure.reason,
                }
            )
    dossier.state = NEW
    from_state, _to = move(dossier, action, at)
    dossier.submitted_at = at
    required = _required_documents(procedure_id=dossier.procedure_id)
    payload = _receive(dossier, at=at)
    insert_row(dossier)
    _make_checklist(dossier, documents_submitted, required)
    record_event(
        dossier=dossier, type=action, actor=actor, at=at, from_state=from_state, payload=payload
    )
    return dossier


@memo_scope()
@transaction.atomic
def dossier_submit_online(
    *,
    actor: Actor | None,
    agency: Agency | int,
    procedure: Procedure | int,
    applicant_name: str,
    applicant_kind: str = ApplicantKind.PERSON,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    receiving_unit: Agency | int | None = None,
    delivery_channel: str = "",
    delivery_address: str = "",
    documents_submitted: Iterable[int] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    files: Mapping[int, tuple[File, CheckedUpload]] | None = None,
) -> Dossier:
    """An online submission, waiting for the officer's pre-check (no code, no due date yet).

    ``files``: the uploads that come with it, by RequiredDocument id, each with what
    ``core.uploads.check_upload`` said of it (the caller checks every file before calling):
    each is stored and attached (one ATTACH event each, as ``dossier_attach_file`` writes it)
    in this transaction, the chain going on from the SUBMIT event without reading it back."""
    at = instant(at)
    dossier = _new_dossier(
        agency=agency,
        procedure=procedure,
        receiving_unit=receiving_unit,
        channel=Channel.ONLINE,
        applicant={
            "applicant_name": applicant_name,
            "applicant_kind": applicant_kind,
            "applicant_id_number": applicant_id_number,
            "applicant_phone": applicant_phone,
            "applicant_email": applicant_email,
            "applicant_address": applicant_address,
        },
        delivery_channel=delivery_channel,
        delivery_address=delivery_address,
        note=note,
    )
    authorize_reception(
        actor, E.SUBMIT, agency=dossier.agency, receiving_unit=dossier.receiving_unit
    )
    dossier.state = NEW
    from_state, _to = move(dossier, E.SUBMIT, at)
    dossier.submitted_at = at
    insert_row(dossier)
    required = _required_documents(procedure_id=dossier.procedure_id)
    checklist = _make_checklist(dossier, documents_submitted, required)
    event = record_event(
        dossier=dossier,
        type=E.SUBMIT,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "agency_id": dossier.agency_id,
            "receiving_unit_id": dossier.receiving_unit_id,
            "channel": dossier.channel,
            # The terms taken at submission, so that replay rebuilds them (decisions #5).
            "processing_time": _decimal_text(dossier.processing_time),
            "time_unit": dossier.time_unit,
        },
    )
    if files:
        attach_submitted(dossier, actor=actor, files=files, checklist=checklist, after=event)
    return dossier
