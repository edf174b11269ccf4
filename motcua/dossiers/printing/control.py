"""Form 06 (2018's 05): the process control sheet, one row per hand-over of the dossier, read
from its events, with the time and the parties of each and whether it happened before, on or
after the due date then in force (``dossiers.deadlines.closed_status``: the one rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.core.documents import Document, Fields, Paragraph, Signature, Table
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.choices import Outcome
from motcua.dossiers.deadlines import closed_status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.printing.common import (
    clock_text,
    contact,
    filename,
    form_title,
    header,
    person,
    reception_day,
)
from motcua.dossiers.printing.letters import receiving_unit
from motcua.dossiers.printing.sets import CONTROL, form_spec

# The events that hand the dossier from someone to someone else.
HANDOVER_EVENTS = (
    E.RECEIVE,
    E.PRECHECK_ACCEPT,
    E.FILE,
    E.ASSIGN,
    E.STEP,
    E.TRANSFER,
    E.TRANSFER_ACCEPT,
    E.SUPPLEMENT_REQUEST,
    E.SUPPLEMENT_RECEIVE,
    E.RESOLVE,
    E.REFUSE,
    E.STOP,
    E.WITHDRAW,
    E.DELIVER,
    E.POSTAL_RETURN,
)
RECEPTION_EVENTS = (E.RECEIVE, E.PRECHECK_ACCEPT, E.FILE)
CLOSING_EVENTS = {E.RESOLVE, E.REFUSE, E.STOP, E.WITHDRAW}


def _instant(value) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _who(user: User | None, agency: Agency | None) -> str:
    name = person(user)
    if agency is None:
        return name or "—"
    return f"{name} ({agency.name})" if name else agency.name


class _Names:
    """Users and agencies named by id in the payloads, read in two queries."""

    def __init__(self, events: Sequence[DossierEvent]) -> None:
        user_ids, agency_ids = set(), set()
        for e in events:
            p = e.payload or {}
            if p.get("assignee_id"):
                user_ids.add(p["assignee_id"])
            for key in ("from_agency_id", "to_agency_id"):
                if p.get(key):
                    agency_ids.add(p[key])
        self.users = User.objects.in_bulk(user_ids)
        self.agencies = Agency.objects.in_bulk(agency_ids)

    def user(self, pk) -> User | None:
        return self.users.get(pk)

    def agency(self, pk) -> Agency | None:
        return self.agencies.get(pk)


def _parties(dossier: Dossier, e: DossierEvent, names: _Names) -> tuple[str, str]:
    p = e.payload or {}
    applicant = dossier.applicant_name or _("the applicant")
    unit = receiving_unit(dossier)
    actor = person(e.actor)
    if e.type in RECEPTION_EVENTS:
        return applicant, _who(e.actor, unit)
    if e.type in (E.ASSIGN, E.STEP):
        receiver = person(names.user(p.get("assignee_id")))
        step = p.get("step", "")
        target = ", ".join(x for x in (step, receiver) if x) or dossier.agency.name
        return actor or "—", target
    if e.type == E.TRANSFER:
        return (
            _who(e.actor, names.agency(p.get("from_agency_id"))),
            _who(None, names.agency(p.get("to_agency_id"))),
        )
    if e.type == E.TRANSFER_ACCEPT:
        return (
            _who(None, names.agency(p.get("from_agency_id"))),
            _who(e.actor, names.agency(p.get("to_agency_id"))),
        )
    if e.type == E.SUPPLEMENT_RECEIVE:
        return applicant, actor or "—"
    if e.type == E.RESOLVE:
        return _who(e.actor, dossier.agency), unit.name
    if e.type == E.POSTAL_RETURN:
        return _("the postal operator"), unit.name
    # Supplement request, refusal, stop, withdrawal, delivery: from the official to the applicant.
    return actor or "—", applicant


def _result(e: DossierEvent, due: dt.datetime | None, paused: bool, one_way: bool) -> str:
    if one_way or e.type in RECEPTION_EVENTS or due is None:
        return ""
    if paused and e.type != E.SUPPLEMENT_RECEIVE:
        return _("clock stopped")
    return str(closed_status(closed_at=e.at, due_at=due).label).capitalize()


def _imported_rows(dossier: Dossier, types: set[str]) -> list[tuple[str, str, str, str]]:
    """A dossier imported from another system has no hand-over events: its reception, closing
    and delivery as the import recorded them (the dossier's projection of its import event)."""
    note = str(_("imported from another system")).capitalize()
    applicant = dossier.applicant_name or _("the applicant")
    unit = receiving_unit(dossier).name
    hands = _("1. Hands over: %(giver)s\n2. Receives: %(receiver)s")
    out = [
        (
            hands % {"giver": applicant, "receiver": unit},
            clock_text(dossier.received_at),
            "",
            f"{note}: {E.RECEIVE.label}",
        )
    ]
    if dossier.closed_at is not None and not types & CLOSING_EVENTS:
        result = ""
        if dossier.outcome == Outcome.RESOLVED and not dossier.one_way:
            status = closed_status(closed_at=dossier.closed_at, due_at=dossier.due_at)
            result = str(status.label).capitalize()
        out.append(
            (
                hands % {"giver": dossier.agency.name, "receiver": unit},
                clock_text(dossier.closed_at),
                result,
                f"{note}: {dossier.get_outcome_display()}",
            )
        )
    if dossier.delivered_at is not None and E.DELIVER not in types:
        out.append(
            (
                hands % {"giver": unit, "receiver": applicant},
                clock_text(dossier.delivered_at),
                "",
                f"{note}: {E.DELIVER.label}",
            )
        )
    return out


def rows(dossier: Dossier, events: Sequence[DossierEvent]) -> list[tuple[str, str, str, str]]:
    """One row per hand-over: parties, time, before / on / after time, note."""
    names = _Names(events)
    due = None
    paused = False
    out = []
    imported = any(e.type == E.IMPORT for e in events)
    if imported and not any(e.type in RECEPTION_EVENTS for e in events) and dossier.received_at:
        out.extend(_imported_rows(dossier, {e.type for e in events}))
    for e in events:
        p = e.payload or {}
        if e.type in RECEPTION_EVENTS or e.type == E.SUPPLEMENT_RECEIVE or e.type == E.IMPORT:
            due = _instant(p.get("due_at")) or due
        if e.type == E.IMPORT and due is None:
            due = dossier.due_at
        if e.type not in HANDOVER_EVENTS:
            continue
        if e.type == E.SUPPLEMENT_RECEIVE:
            paused = False
        giver, receiver = _parties(dossier, e, names)
        parties = _("1. Hands over: %(giver)s\n2. Receives: %(receiver)s") % {
            "giver": giver,
            "receiver": receiver,
        }
        note = str(e.get_type_display()).capitalize()
        detail = p.get("reason") or p.get("note") or p.get("result") or ""
        if detail:
            note += f": {detail}"
        out.append((parties, clock_text(e.at), _result(e, due, paused, dossier.one_way), note))
        if e.type == E.SUPPLEMENT_REQUEST:
            paused = True
    return out


def control_sheet(
    dossier: Dossier, events: Sequence[DossierEvent], *, personal: Mapping[str, str]
) -> Document:
    spec = form_spec(CONTROL, reception_day(dossier))
    unit = receiving_unit(dossier)
    fields = Fields(
        (
            (_("Dossier code"), dossier.code or "—"),
            (_("Applicant"), dossier.applicant_name or "—"),
            (_("Address, phone"), contact(personal) or "—"),
            (_("Procedure"), dossier.procedure.name),
            (_("Received at"), clock_text(dossier.received_at)),
            (_("Appointment"), clock_text(dossier.due_at) if not dossier.one_way else "—"),
            (_("Handling agency"), dossier.agency.name),
        )
    )
    table = Table(
        columns=(
            _("Agency, unit"),
            _("Time of hand-over"),
            _("Result (before, on, after time)"),
            _("Note"),
        ),
        rows=tuple(rows(dossier, events)),
        widths=(3.4, 2.2, 1.6, 2.6),
        numbers=True,
    )
    return Document(
        header=header(unit, issued=dossier.received_at, numbered=False),
        title=form_title(spec),
        form_label=spec.label,
        paper=spec.paper,
        orientation=spec.orientation,
        blocks=(
            fields,
            table,
            Paragraph(
                _("Each party signs beside the time of the hand-over it gave or received."),
                italic=True,
            ),
        ),
        signatures=(Signature(_("Receiving officer"), _("(signature, full name)")),),
        filename=filename(spec, dossier.code or f"id{dossier.pk}"),
        meta={"kind": spec.kind, "circular": spec.circular, "number": spec.number},
    )
