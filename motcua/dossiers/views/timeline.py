"""The dossier page's history: each event said in words, with its steps and who performed it.

A step move names the step left and the step entered ("Chuyển bước: Thẩm định → Phê duyệt"):
the step service records both (``from_step``); for events written before it did, the step left
is the one the previous events had entered. A state change is shown only when there was a state
before and it changed: a reception does not read "→ received" nor "received → received".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import ProcessStep
from motcua.dossiers.choices import DossierState
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import DossierEvent

# Events made by the applicant (through a portal) when no official is recorded.
_APPLICANT_EVENTS = frozenset({E.SUBMIT, E.RESUBMIT, E.RATE})


@dataclass(frozen=True)
class TimelineEntry:
    event: DossierEvent
    title: str
    states: str  # "A → B", or "" when the state did not change (or there was none)
    performer: str
    note: str


def _state_label(value: str) -> str:
    return str(DossierState(value).label) if value in DossierState.values else value


def _performer(event: DossierEvent) -> str:
    if event.actor_id is not None:
        return event.actor.full_name or event.actor.username
    return _("the applicant") if event.type in _APPLICANT_EVENTS else _("the system")


def timeline(events: Iterable[DossierEvent]) -> list[TimelineEntry]:
    """The entries of the dossier page's history, oldest first."""
    events = list(events)
    assigns = [e.payload or {} for e in events if e.type == E.ASSIGN]
    step_ids = [p["step_id"] for p in assigns if p.get("step_id")]
    names = dict(ProcessStep.objects.filter(pk__in=step_ids).values_list("pk", "name"))
    people = {
        pk: full_name or username
        for pk, full_name, username in User.objects.filter(
            pk__in=[p["assignee_id"] for p in assigns if p.get("assignee_id")]
        ).values_list("pk", "full_name", "username")
    }
    current = ""  # the step the dossier is at after the events seen so far
    entries = []
    for event in events:
        p = event.payload or {}
        title = capfirst(event.get_type_display())
        if event.type == E.STEP:
            left = p.get("from_step", current) or ""
            current = p.get("step") or ""
            if left:
                title = _("Step moved: %(from)s → %(to)s") % {"from": left, "to": current}
            else:
                title = _("Moved to the step: %(to)s") % {"to": current}
        elif event.type == E.ASSIGN:
            current = names.get(p.get("step_id"), current)
            person = people.get(p.get("assignee_id"), "—")
            title = _("Assigned to %(person)s") % {"person": person}
            if current:
                title = _("Assigned to %(person)s (step: %(step)s)") % {
                    "person": person,
                    "step": current,
                }
        states = ""
        if event.from_state and event.from_state != event.to_state:
            states = f"{_state_label(event.from_state)} → {_state_label(event.to_state)}"
        elif not event.from_state and _state_label(event.to_state).lower() != title.lower():
            states = _state_label(event.to_state)
        note = " ".join(str(p[k]) for k in ("reason", "note", "result") if p.get(k))
        entries.append(TimelineEntry(event, title, states, _performer(event), note))
    return entries
