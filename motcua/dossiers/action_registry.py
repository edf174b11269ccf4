"""The one list of dossier actions that pages and the API offer.

Each action has its name (the ``EventType`` it records), its label, the small HTML form and the
API body schema, the service it calls, and the roles allowed (read from the permission table,
``dossiers.permissions.PERMISSIONS``). ``views/actions.py`` and ``api/actions.py`` both read
``ACTIONS``; the API also accepts the names it used before (``API_ALIASES``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import HttpError

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.dossiers import services, workflow
from motcua.dossiers.api.schemas import (
    AdvanceIn,
    ApologizeIn,
    AssignIn,
    DeliverIn,
    NoteIn,
    OptionalReasonIn,
    RateIn,
    ReasonIn,
    ResolveIn,
    StopIn,
    TransferIn,
)
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.forms import (
    ActionForm,
    ApologizeForm,
    AssignForm,
    DeliverForm,
    NoteForm,
    OptionalReasonForm,
    ReasonForm,
    ResolveForm,
    StepForm,
    StopForm,
    TransferForm,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import PERMISSIONS, may


@dataclass(frozen=True)
class DossierAction:
    name: str  # the EventType recorded, also the URL segment on pages and in the API
    label: Promise
    colour: str  # Bootstrap colour of the button
    summary: str  # the API operation's summary
    service: Callable[..., Any]
    schema: type[Schema]
    body_kwargs: Callable[[Any], dict[str, Any]]  # API body -> service keyword arguments
    form: type[ActionForm] | None = None  # None: not offered on the dossier page
    aliases: tuple[str, ...] = field(default=())  # older API names

    @property
    def roles(self) -> dict[str, frozenset[str]]:
        """Scope -> roles allowed (the permission table's row)."""
        return PERMISSIONS[self.name]

    def call(self, *, actor: Any, dossier: Dossier, **kwargs: Any) -> Any:
        return self.service(dossier=dossier, actor=actor, **kwargs)


def user_by_name(username: str | None, field_name: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise HttpError(
            422, _("%(field)s: unknown user '%(name)s'") % {"field": field_name, "name": username}
        )
    return user


def agency_by_code(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise HttpError(422, _("to_agency_code: unknown agency '%(code)s'") % {"code": code})
    return agency


def aware(value: dt.datetime) -> dt.datetime:
    """A time without offset is local time, as in the CSV files."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _note(b: Any) -> dict[str, Any]:
    return {"note": b.note}


def _reason(b: Any) -> dict[str, Any]:
    return {"reason": b.reason}


_LIST = [
    DossierAction(
        E.PRECHECK_ACCEPT,
        gettext_lazy("Accept (pre-check)"),
        "success",
        "Accept an online submission after pre-check (it is received: code and due date)",
        services.dossier_precheck_accept,
        NoteIn,
        _note,
        NoteForm,
    ),
    DossierAction(
        E.PRECHECK_REFUSE,
        gettext_lazy("Refuse (pre-check)"),
        "danger",
        "Refuse an online submission at pre-check (never received)",
        services.dossier_precheck_refuse,
        ReasonIn,
        _reason,
        ReasonForm,
    ),
    DossierAction(
        E.PRECHECK_RETURN,
        gettext_lazy("Return for changes (pre-check)"),
        "warning",
        "Send an online submission back to the applicant with what to fix (not received yet)",
        services.dossier_precheck_return,
        ReasonIn,
        _reason,
        ReasonForm,
    ),
    DossierAction(
        E.ASSIGN,
        gettext_lazy("Assign"),
        "primary",
        "Assign the dossier to an official of the handling agency (and a step)",
        services.dossier_assign,
        AssignIn,
        lambda b: {
            "assignee": user_by_name(b.assignee, "assignee"),
            "step": b.step_id,
            "note": b.note,
        },
        AssignForm,
    ),
    DossierAction(
        E.STEP,
        gettext_lazy("Move to the next step"),
        "primary",
        "Move the dossier to the next step of its internal process",
        services.dossier_step_advance,
        AdvanceIn,
        lambda b: {
            "step": b.step_id,
            "assignee": user_by_name(b.assignee, "assignee"),
            "note": b.note,
        },
        StepForm,
        ("advance",),
    ),
    DossierAction(
        E.SUPPLEMENT_REQUEST,
        gettext_lazy("Request a supplement"),
        "warning",
        "Ask the applicant for a supplement (form 02): the clock stops",
        services.dossier_supplement_request,
        ReasonIn,
        _reason,
        ReasonForm,
        ("request_supplement",),
    ),
    DossierAction(
        E.SUPPLEMENT_RECEIVE,
        gettext_lazy("Supplement received"),
        "success",
        "Record the supplement received: the clock runs again",
        services.dossier_supplement_receive,
        NoteIn,
        _note,
        NoteForm,
        ("receive_supplement",),
    ),
    DossierAction(
        E.TRANSFER,
        gettext_lazy("Hand over"),
        "secondary",
        "Hand the dossier over to another agency (inter-agency)",
        services.dossier_transfer,
        TransferIn,
        lambda b: {"to_agency": agency_by_code(b.to_agency_code), "note": b.note},
        TransferForm,
    ),
    DossierAction(
        E.TRANSFER_ACCEPT,
        gettext_lazy("Accept the hand-over"),
        "success",
        "Accept a hand-over addressed to the caller's agency",
        services.dossier_transfer_accept,
        NoteIn,
        _note,
        NoteForm,
        ("accept_transfer",),
    ),
    DossierAction(
        E.RESOLVE,
        gettext_lazy("Resolve"),
        "success",
        "Record the result: the dossier is resolved",
        services.dossier_resolve,
        ResolveIn,
        lambda b: {"result": b.result},
        ResolveForm,
    ),
    DossierAction(
        E.DELIVER,
        gettext_lazy("Deliver the result"),
        "success",
        "Record the result handed to the applicant",
        services.dossier_deliver,
        DeliverIn,
        lambda b: {
            "delivery_channel": b.delivery_channel,
            "postal_tracking": b.postal_tracking,
            "delivery_address": b.delivery_address,
        },
        DeliverForm,
    ),
    DossierAction(
        E.APOLOGIZE,
        gettext_lazy("Apology and new appointment"),
        "warning",
        "Issue an apology letter with a new appointment on a working day (form 04)",
        services.dossier_apologize,
        ApologizeIn,
        lambda b: {"new_due_at": aware(b.new_due_at), "reason": b.reason},
        ApologizeForm,
    ),
    DossierAction(
        E.REFUSE,
        gettext_lazy("Refuse"),
        "danger",
        "Refuse the dossier (not eligible)",
        services.dossier_refuse,
        ReasonIn,
        _reason,
        ReasonForm,
    ),
    DossierAction(
        E.WITHDRAW,
        gettext_lazy("Withdraw"),
        "secondary",
        "Withdraw the dossier at the applicant's request",
        services.dossier_withdraw,
        OptionalReasonIn,
        _reason,
        OptionalReasonForm,
    ),
    DossierAction(
        E.STOP,
        gettext_lazy("Stop processing"),
        "dark",
        "Stop the handling without a result",
        services.dossier_stop,
        StopIn,
        lambda b: {"reason": b.reason, "notice_number": b.notice_number},
        StopForm,
    ),
    DossierAction(
        E.RATE,
        gettext_lazy("Record the applicant's rating"),
        "secondary",
        "Record the applicant's satisfaction rating",
        services.dossier_rate,
        RateIn,
        lambda b: {"value": b.value, "comment": b.comment},
    ),
]

ACTIONS: dict[str, DossierAction] = {a.name: a for a in _LIST}
# Older API names -> action name.
API_ALIASES: dict[str, str] = {alias: a.name for a in _LIST for alias in a.aliases}


def action_named(name: str) -> DossierAction | None:
    """The action called ``name`` or one of its older API names."""
    return ACTIONS.get(API_ALIASES.get(name, name))


def actions_for(user: Any, dossier: Dossier, *, web: bool = False) -> list[DossierAction]:
    """The actions the dossier's state allows and ``user`` may perform (menus and buttons)."""
    possible = set(workflow.allowed_actions(dossier.state))
    return [
        a
        for a in ACTIONS.values()
        if a.name in possible and (a.form is not None or not web) and may(user, a.name, dossier)
    ]
