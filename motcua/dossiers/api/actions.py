"""POST /api/v1/dossiers/{ref}/actions/{action}: one endpoint per workflow action.

Each action has its own body schema and calls exactly one dossier service; a move the workflow
does not allow is 409, an unknown action 404. (No ``from __future__ import annotations`` here:
the handlers are built from the table below and their annotations must be real types.)
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.core.errors import NotFound
from motcua.dossiers import services
from motcua.dossiers.api.present import dossier_detail, get_visible
from motcua.dossiers.api.schemas import (
    AdvanceIn,
    ApologizeIn,
    AssignIn,
    DeliverIn,
    DossierDetailOut,
    ErrorOut,
    NoteIn,
    OptionalReasonIn,
    RateIn,
    ReasonIn,
    ResolveIn,
    StopIn,
    TransferIn,
)
from motcua.dossiers.models import Dossier

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise HttpError(
            422, _("%(field)s: unknown user '%(name)s'") % {"field": field, "name": username}
        )
    return user


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise HttpError(422, _("to_agency_code: unknown agency '%(code)s'") % {"code": code})
    return agency


def _aware(value: dt.datetime) -> dt.datetime:
    """A time without offset is local time (``core.localtime``), as in the CSV files."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


Call = Callable[[Any, Dossier, Any], Any]

# name -> (body schema, summary, service call)
ACTIONS: dict[str, tuple[type[Schema], str, Call]] = {
    "precheck_accept": (
        NoteIn,
        "Accept an online submission after pre-check (it is received: code and due date)",
        lambda u, d, b: services.dossier_precheck_accept(dossier=d, actor=u, note=b.note),
    ),
    "precheck_refuse": (
        ReasonIn,
        "Refuse an online submission at pre-check (never received)",
        lambda u, d, b: services.dossier_precheck_refuse(dossier=d, actor=u, reason=b.reason),
    ),
    "assign": (
        AssignIn,
        "Assign the dossier to an official (and a step)",
        lambda u, d, b: services.dossier_assign(
            dossier=d,
            actor=u,
            assignee=_user(b.assignee, "assignee"),
            step=b.step_id,
            note=b.note,
        ),
    ),
    "advance": (
        AdvanceIn,
        "Move the dossier to the next step of its internal process",
        lambda u, d, b: services.dossier_step_advance(
            dossier=d,
            actor=u,
            step=b.step_id,
            assignee=_user(b.assignee, "assignee"),
            note=b.note,
        ),
    ),
    "request_supplement": (
        ReasonIn,
        "Ask the applicant for a supplement (form 02): the clock stops",
        lambda u, d, b: services.dossier_supplement_request(dossier=d, actor=u, reason=b.reason),
    ),
    "receive_supplement": (
        NoteIn,
        "Record the supplement received: the clock runs again",
        lambda u, d, b: services.dossier_supplement_receive(dossier=d, actor=u, note=b.note),
    ),
    "refuse": (
        ReasonIn,
        "Refuse the dossier (not eligible)",
        lambda u, d, b: services.dossier_refuse(dossier=d, actor=u, reason=b.reason),
    ),
    "withdraw": (
        OptionalReasonIn,
        "Withdraw the dossier at the applicant's request",
        lambda u, d, b: services.dossier_withdraw(dossier=d, actor=u, reason=b.reason),
    ),
    "stop": (
        StopIn,
        "Stop the handling without a result",
        lambda u, d, b: services.dossier_stop(
            dossier=d, actor=u, reason=b.reason, notice_number=b.notice_number
        ),
    ),
    "transfer": (
        TransferIn,
        "Hand the dossier over to another agency (inter-agency)",
        lambda u, d, b: services.dossier_transfer(
            dossier=d, actor=u, to_agency=_agency(b.to_agency_code), note=b.note
        ),
    ),
    "accept_transfer": (
        NoteIn,
        "Accept a hand-over",
        lambda u, d, b: services.dossier_transfer_accept(dossier=d, actor=u, note=b.note),
    ),
    "resolve": (
        ResolveIn,
        "Record the result: the dossier is resolved",
        lambda u, d, b: services.dossier_resolve(dossier=d, actor=u, result=b.result),
    ),
    "deliver": (
        DeliverIn,
        "Record the result handed to the applicant",
        lambda u, d, b: services.dossier_deliver(
            dossier=d,
            actor=u,
            delivery_channel=b.delivery_channel,
            postal_tracking=b.postal_tracking,
            delivery_address=b.delivery_address,
        ),
    ),
    "apologize": (
        ApologizeIn,
        "Issue an apology letter with a new appointment (form 04)",
        lambda u, d, b: services.dossier_apologize(
            dossier=d, actor=u, new_due_at=_aware(b.new_due_at), reason=b.reason
        ),
    ),
    "rate": (
        RateIn,
        "Record the applicant's satisfaction rating",
        lambda u, d, b: services.dossier_rate(dossier=d, actor=u, value=b.value, comment=b.comment),
    ),
}


def _handler(name: str, schema: type[Schema], call: Call) -> Callable[..., Any]:
    def handler(request, ref, body):
        dossier = get_visible(request.auth, ref)
        call(request.auth, dossier, body)
        return dossier_detail(get_visible(request.auth, str(dossier.pk)))

    handler.__name__ = f"dossier_{name}"
    handler.__annotations__ = {"request": HttpRequest, "ref": str, "body": schema}
    return handler


def register_actions(router: Router) -> None:
    for name, (schema, summary, call) in ACTIONS.items():
        router.post(
            f"/{{ref}}/actions/{name}",
            response={200: DossierDetailOut, **ERRORS},
            summary=summary,
            description=f"{summary}. Returns the dossier with its history.",
            operation_id=f"dossier_action_{name}",
        )(_handler(name, schema, call))

    @router.post(
        "/{ref}/actions/{action}",
        response={404: ErrorOut},
        summary="Unknown action",
        description="Any other action name is refused with 404. Actions: " + ", ".join(ACTIONS),
        operation_id="dossier_action_unknown",
        include_in_schema=False,
    )
    def unknown_action(request: HttpRequest, ref: str, action: str):
        raise NotFound(
            _("unknown action '%(action)s'; one of: %(actions)s")
            % {"action": action, "actions": ", ".join(ACTIONS)}
        )
