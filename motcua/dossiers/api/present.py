"""Turning dossiers into API bodies (plain dicts matching `schemas.py`)."""

from __future__ import annotations

from typing import Any

from motcua.core.ids import parse_id
from motcua.dossiers.deadlines import deadline_status
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_events, dossier_get
from motcua.ops.models import PersonalDataAccess
from motcua.ops.personal import log_access
from motcua.worktime.selectors import calendar_for_agency


def log_shown(request: Any, dossiers: list[Dossier], *, viewer: Viewer, purpose: str) -> None:
    """The personal-data access log: these dossiers' applicant data went to the caller."""
    kind = PersonalDataAccess.Kind.VIEW
    log_access(actor=request.auth, dossiers=dossiers, kind=kind, purpose=purpose, viewer=viewer)


def get_visible(user: Any, ref: str) -> Dossier:
    """A dossier the user may see, by code or numeric id; NotFound (404) otherwise."""
    ref = ref.strip()
    pk = parse_id(ref)
    if pk is not None:
        return dossier_get(user=user, pk=pk)
    return dossier_get(user=user, code=ref)


def dossier_summary(
    dossier: Dossier, *, viewer: Viewer, calendars: dict[int, Any] | None = None
) -> dict[str, Any]:
    """The list's body of a dossier; personal data as ``viewer`` may see it (``masking``)."""
    calendars = {} if calendars is None else calendars
    needs_calendar = dossier.closed_at is None and dossier.due_at is not None
    calendar = None
    if needs_calendar:
        calendar = calendars.get(dossier.agency_id)
        if calendar is None:
            calendar = calendars[dossier.agency_id] = calendar_for_agency(
                agency_id=dossier.agency_id
            )
    status, remaining = deadline_status(dossier, calendar=calendar)
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "agency_code": dossier.agency.code,
        "receiving_unit_code": dossier.receiving_unit.code if dossier.receiving_unit_id else None,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "channel": dossier.channel,
        "online_class": dossier.online_class,
        "state": dossier.state,
        "outcome": dossier.outcome,
        "one_way": dossier.one_way,
        "processing_time": dossier.processing_time,
        "time_unit": dossier.time_unit,
        "applicant_kind": dossier.applicant_kind,
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": viewer.value(dossier, "applicant_id_number"),
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "closed_at": dossier.closed_at,
        "paused_at": dossier.paused_at,
        "delivered_at": dossier.delivered_at,
        "delivery_channel": dossier.delivery_channel,
        "imported": dossier.imported,
        "deadline_status": str(status),
        "remaining_seconds": None if remaining is None else int(remaining.total_seconds()),
    }


def dossier_detail(dossier: Dossier, *, viewer: Viewer) -> dict[str, Any]:
    body = dossier_summary(dossier, viewer=viewer)
    body.update(
        applicant_phone=viewer.value(dossier, "applicant_phone"),
        applicant_email=viewer.value(dossier, "applicant_email"),
        applicant_address=viewer.value(dossier, "applicant_address"),
        delivery_address=viewer.value(dossier, "delivery_address"),
        note=dossier.note,
        events=[
            {
                "seq": e.seq,
                "type": e.type,
                "at": e.at,
                "actor": e.actor.username if e.actor_id else None,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "payload": viewer.payload(dossier, e.payload),
            }
            for e in dossier_events(dossier=dossier)
        ],
    )
    return body
