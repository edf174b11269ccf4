"""Dossier API under /api/v1/dossiers: receive, list, get; actions in `actions.py`.

Authentication: ``Authorization: Bearer <key>`` (other systems, see ``motcua token create``) or
the browser's session (CSRF token required for POST). Every list and look-up is narrowed to the
user's agencies; a dossier the user may not see is "not found".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from motcua.accounts.tokens import api_auth
from motcua.catalog.models import Agency, Procedure
from motcua.catalog.selectors import agency_for_code, procedure_for_code
from motcua.core.ids import MAX_OFFSET
from motcua.dossiers import services
from motcua.dossiers.api.actions import register_actions
from motcua.dossiers.api.present import (
    dossier_detail,
    dossier_summary,
    get_visible,
    log_shown,
)
from motcua.dossiers.api.schemas import (
    ChannelIn,
    DossierDetailOut,
    DossierOut,
    DossierPage,
    ErrorOut,
    Line,
    ReceptionIn,
    SubmissionIn,
)
from motcua.dossiers.choices import DossierState
from motcua.dossiers.masking import Viewer
from motcua.dossiers.permissions import receiving_unit_for
from motcua.dossiers.selectors import dossier_list
from motcua.dossiers.services.common import agency_of

router = Router(tags=["dossiers"], auth=api_auth())

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_LIMIT = 500


def _agency(code: str, field: str) -> Agency:
    agency = agency_for_code(code=code)
    if agency is None:
        raise HttpError(
            422, _("%(field)s: unknown agency '%(code)s'") % {"field": field, "code": code}
        )
    return agency


def _procedure(code: str) -> Procedure:
    procedure = procedure_for_code(code=code)
    if procedure is None:
        raise HttpError(422, _("procedure_code: unknown procedure '%(code)s'") % {"code": code})
    return procedure


def _reception_args(request: HttpRequest, body: ReceptionIn | SubmissionIn) -> dict[str, Any]:
    agency = _agency(body.agency_code, "agency_code")
    unit = (
        _agency(body.receiving_unit_code, "receiving_unit_code")
        if body.receiving_unit_code
        else None
    )
    procedure = _procedure(body.procedure_code)
    if unit is None:  # the caller's own counter (the service checks a unit that is given)
        unit_id = receiving_unit_for(request.auth, agency)
        unit = agency_of(unit_id) if unit_id is not None else None
    return {
        "actor": request.auth,
        "agency": agency,
        "procedure": procedure,
        "receiving_unit": unit,
        "applicant_name": body.applicant_name,
        "applicant_kind": body.applicant_kind,
        "applicant_id_number": body.applicant_id_number,
        "applicant_phone": body.applicant_phone,
        "applicant_email": body.applicant_email,
        "applicant_address": body.applicant_address,
        "delivery_channel": body.delivery_channel,
        "delivery_address": body.delivery_address,
        "documents_submitted": body.documents_submitted,
        "note": body.note,
    }


@router.post(
    "/",
    response={201: DossierOut, **ERRORS},
    summary="Receive a dossier",
    description="Reception at the counter, by post, or of an online dossier checked elsewhere: "
    "allocates the code and the due date (a one-way procedure is filed at once).",
    operation_id="dossier_receive",
)
def receive(request: HttpRequest, body: ReceptionIn):
    dossier = services.dossier_receive(channel=body.channel, **_reception_args(request, body))
    return Status(201, dossier_summary(dossier, viewer=Viewer(request.auth)))


@router.post(
    "/online",
    response={201: DossierOut, **ERRORS},
    summary="Submit a dossier online",
    description="An online submission, waiting for the officer's pre-check: no code and no due "
    "date yet (refer to it by its id).",
    operation_id="dossier_submit_online",
)
def submit_online(request: HttpRequest, body: SubmissionIn):
    dossier = services.dossier_submit_online(**_reception_args(request, body))
    return Status(201, dossier_summary(dossier, viewer=Viewer(request.auth)))


PURPOSE = (
    "Why the caller reads applicants' data; kept in the personal-data access log (each dossier "
    "returned is logged: who, when, which dossier, why)."
)


class ListFilters(Schema):
    agency_code: str | None = SchemaField(None, description="Handling agency.")
    procedure_code: str | None = None
    state: DossierState | None = None
    channel: ChannelIn | None = None
    received_from: dt.date | None = SchemaField(None, description="Local reception day, included.")
    received_to: dt.date | None = SchemaField(None, description="Local reception day, included.")
    q: str | None = SchemaField(
        None, description="Part of the code or applicant name, or an ID number."
    )
    limit: int = SchemaField(50, ge=1, le=MAX_LIMIT)
    offset: int = SchemaField(0, ge=0, le=MAX_OFFSET)
    purpose: Line | None = SchemaField(None, max_length=255, description=PURPOSE)


class ReadParams(Schema):
    purpose: Line | None = SchemaField(None, max_length=255, description=PURPOSE)


@router.get(
    "/",
    response={200: DossierPage, **ERRORS},
    summary="List dossiers",
    description="Dossiers of the caller's agencies, newest reception first, filtered and paged.",
    operation_id="dossier_list",
)
def list_dossiers(request: HttpRequest, filters: Query[ListFilters]):
    if (
        filters.received_from
        and filters.received_to
        and filters.received_to < filters.received_from
    ):
        raise HttpError(422, _("received_to: before received_from"))
    qs = dossier_list(
        user=request.auth,
        state=filters.state,
        agency_id=_agency(filters.agency_code, "agency_code").pk if filters.agency_code else None,
        procedure_id=_procedure(filters.procedure_code).pk if filters.procedure_code else None,
        channel=filters.channel,
        q=filters.q,
        received_from=filters.received_from,
        received_to=filters.received_to,
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    calendars: dict[int, Any] = {}
    viewer = Viewer(request.auth)
    items = [dossier_summary(d, viewer=viewer, calendars=calendars) for d in page]
    log_shown(request, page, viewer=viewer, purpose=filters.purpose or "API: dossier list")
    return {"count": qs.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/{ref}",
    response={200: DossierDetailOut, **ERRORS},
    summary="Get a dossier",
    description="One dossier by its code (or its numeric id), with its history and deadline status.",
    operation_id="dossier_get",
)
def get_dossier(request: HttpRequest, ref: str, params: Query[ReadParams]):
    dossier, viewer = get_visible(request.auth, ref), Viewer(request.auth)
    body = dossier_detail(dossier, viewer=viewer)
    log_shown(request, [dossier], viewer=viewer, purpose=params.purpose or "API: dossier")
    return body


register_actions(router)
