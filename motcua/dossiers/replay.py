"""Rebuild a dossier's state from its events alone.

The dossier row is a projection of its events; ``replay`` recomputes that projection so tests
(and audits) can check one against the other. Given ``calendar_for`` (agency id -> WorkCalendar)
it recomputes the due date from the reception time, the snapshot of the processing time and
each supplement rule recorded in the events, instead of trusting the stored due instants.

An ``import`` event (dossiers brought from another system) carries the imported projection in
its payload: ``state`` is its ``to_state``; ``code``, ``agency_id``, ``received_at``,
``due_at``, ``closed_at``, ``outcome``, ``paused_at``, ``delivered_at`` (ISO instants) are read
when present. An ``import`` event may also carry history recorded later
(``dossiers.services.history``): ``applicant`` (the applicant columns), ``apologies`` and
``ratings`` (each with its row id and original instants).

Apology letters and ratings are rebuilt too, from ``apologize`` and ``rate`` events and from
those imports: ``apologies`` as (id, issued_at, new_due_at, issued_late, reason) and ``ratings``
as (id, value, at), in the order they were recorded; ``rating_officials`` maps a rated rating's
id to the officials it is tied to (a ``rate`` event's ``officials``; for one written before they
were recorded, the handlers of the earlier events, as the migration that tied them did).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from motcua.core.errors import MotcuaError
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.workflow import CLOSING_OUTCOMES, NEW, handling_officials, transition
from motcua.worktime.calendar import WorkCalendar


@dataclass
class ReplayedDossier:
    state: str = NEW
    code: str | None = None
    agency_id: int | None = None
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    outcome: str = ""
    processing_time: Decimal | None = None
    time_unit: str = ""
    applicant: dict[str, str] | None = None
    apologies: list[tuple] = field(default_factory=list)
    ratings: list[tuple] = field(default_factory=list)
    rating_officials: dict[Any, list[int]] = field(default_factory=dict)


def _instant(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def replay(
    events: Iterable[Any],
    *,
    calendar_for: Callable[[int | None], WorkCalendar] | None = None,
) -> ReplayedDossier:
    """The projection described by ``events`` (DossierEvent rows or alike, in any order)."""
    d = ReplayedDossier()
    done: list[Any] = []
    for event in sorted(events, key=lambda e: e.seq):
        _apply(d, event, calendar_for)
        if event.type == E.RATE:
            # The officials recorded with the rating; a rating recorded before they were, the
            # handlers among the events before it (the same rule: workflow.handling_officials).
            officials = (event.payload or {}).get("officials")
            if officials is None:
                officials = handling_officials(done)
            d.rating_officials[(event.payload or {}).get("rating_id")] = sorted(officials)
        done.append(event)
    return d


def _apply(
    d: ReplayedDossier, event: Any, calendar_for: Callable[[int | None], WorkCalendar] | None
) -> None:
    p = event.payload or {}
    kind, at = event.type, event.at
    if event.from_state != d.state:
        raise MotcuaError(
            f"event {event.seq} starts from {event.from_state!r} but the dossier was {d.state!r}"
        )
    if kind == E.IMPORT:
        _apply_import(d, event.to_state, p)
        return
    if kind == E.ERASE:  # retention (services/retention.py): no move, the projection stands
        if event.to_state != d.state:
            raise MotcuaError(f"event {event.seq} (erase) changes the state to {event.to_state!r}")
        return
    expected = transition(d.state, kind)
    if expected != event.to_state:
        raise MotcuaError(
            f"event {event.seq} ({kind}) leads to {expected!r}, not {event.to_state!r}"
        )
    d.state = expected
    if "agency_id" in p and kind in (E.SUBMIT, E.RECEIVE, E.PRECHECK_ACCEPT, E.FILE):
        d.agency_id = p["agency_id"]
    if kind in (E.SUBMIT, E.RECEIVE, E.PRECHECK_ACCEPT, E.FILE) and "time_unit" in p:
        d.time_unit = p["time_unit"]
        pt = p.get("processing_time")
        d.processing_time = Decimal(pt) if pt is not None else None
    if kind in (E.RECEIVE, E.PRECHECK_ACCEPT, E.FILE):
        d.code, d.received_at = p.get("code"), at
        if kind == E.FILE:
            d.due_at = None
        elif calendar_for is not None:
            cal = calendar_for(d.agency_id)
            d.due_at = cal.due_for_reception(at, d.processing_time, d.time_unit)
        else:
            d.due_at = _instant(p.get("due_at"))
    elif kind == E.SUPPLEMENT_REQUEST:
        d.paused_at = at
    elif kind == E.SUPPLEMENT_RECEIVE:
        if calendar_for is not None:
            cal = calendar_for(d.agency_id)
            if p.get("rule") == "restart":
                d.due_at = cal.due_for_reception(at, d.processing_time, d.time_unit)
            else:
                d.due_at = cal.resume_due(d.due_at, d.paused_at, at)
        else:
            d.due_at = _instant(p.get("due_at"))
        d.paused_at = None
    elif kind == E.TRANSFER_ACCEPT:
        d.agency_id = p.get("to_agency_id", d.agency_id)
    elif kind == E.DELIVER:
        d.delivered_at = at
    elif kind == E.APOLOGIZE:
        d.apologies.append(
            (
                p.get("apology_id"),
                at,
                _instant(p.get("new_due_at")),
                p.get("issued_late", False),
                p.get("reason", ""),
            )
        )
    elif kind == E.RATE:
        d.ratings.append((p.get("rating_id"), p.get("value"), at))
    if kind in CLOSING_OUTCOMES:
        d.outcome, d.closed_at, d.paused_at = CLOSING_OUTCOMES[kind], at, None


def _apply_import(d: ReplayedDossier, to_state: str, p: dict[str, Any]) -> None:
    d.state = to_state
    d.code = p.get("code", d.code)
    d.agency_id = p.get("agency_id", d.agency_id)
    d.outcome = p.get("outcome", d.outcome) or ""
    for name in ("received_at", "due_at", "paused_at", "closed_at", "delivered_at"):
        if name in p:
            setattr(d, name, _instant(p[name]))
    if p.get("processing_time") is not None:
        d.processing_time = Decimal(str(p["processing_time"]))
    d.time_unit = p.get("time_unit", d.time_unit)
    if "applicant" in p:
        d.applicant = {**(d.applicant or {}), **p["applicant"]}
    for a in p.get("apologies", ()):
        d.apologies.append(
            (
                a.get("apology_id"),
                _instant(a.get("issued_at")),
                _instant(a.get("new_due_at")),
                a.get("issued_late", False),
                a.get("reason", ""),
            )
        )
    for r in p.get("ratings", ()):
        d.ratings.append((r.get("rating_id"), r.get("value"), _instant(r.get("at"))))


def import_payload(dossier: Any) -> dict[str, Any]:
    """The projection fields an ``import`` event should carry so that ``replay`` reproduces an
    imported dossier (merge it into the event's payload)."""

    def when(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "code": dossier.code,
        "agency_id": dossier.agency_id,
        "received_at": when(dossier.received_at),
        "due_at": when(dossier.due_at),
        "paused_at": when(dossier.paused_at),
        "closed_at": when(dossier.closed_at),
        "delivered_at": when(dossier.delivered_at),
        "outcome": dossier.outcome,
        "processing_time": None
        if dossier.processing_time is None
        else str(dossier.processing_time),
        "time_unit": dossier.time_unit,
    }
