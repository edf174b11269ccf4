"""Replay: the projection rebuilt from events alone; inconsistent histories are refused."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from motcua.core.errors import MotcuaError
from motcua.dossiers import services
from motcua.dossiers.choices import DossierState, EventType
from motcua.dossiers.replay import import_payload, replay
from tests.dossiers.factories import local, received_dossier, staff

pytestmark = pytest.mark.django_db


def event(seq, type_, from_state, to_state, payload=None, at=None):
    return SimpleNamespace(
        seq=seq,
        type=type_,
        from_state=from_state,
        to_state=to_state,
        payload=payload or {},
        at=at or local(2026, 11, 23, 9),
    )


def test_full_life_replayed_from_stored_payloads():
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 25, 9))
    d = services.dossier_deliver(
        dossier=d, actor=staff(d), delivery_channel="counter", at=local(2026, 11, 26, 9)
    )
    again = replay(reversed(list(d.events.all())))  # order comes from seq, not from the input
    assert (again.state, again.code, again.due_at, again.closed_at, again.delivered_at) == (
        DossierState.DELIVERED,
        d.code,
        d.due_at,
        d.closed_at,
        d.delivered_at,
    )
    assert again.outcome == "resolved"


def test_history_that_breaks_the_workflow_is_refused():
    events = [
        event(1, EventType.RECEIVE, "", DossierState.RECEIVED),
        event(2, EventType.DELIVER, DossierState.RECEIVED, DossierState.DELIVERED),
    ]
    with pytest.raises(MotcuaError, match="cannot"):
        replay(events)


def test_history_with_a_hole_is_refused():
    events = [
        event(1, EventType.RECEIVE, "", DossierState.RECEIVED),
        event(2, EventType.RESOLVE, DossierState.IN_PROCESS, DossierState.RESOLVED),
    ]
    with pytest.raises(MotcuaError, match="starts from"):
        replay(events)


def test_imported_dossier_replays_from_its_import_payload():
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 25, 9))
    imported = [event(1, EventType.IMPORT, "", d.state, import_payload(d))]
    again = replay(imported)
    assert (again.state, again.code, again.due_at, again.closed_at, again.outcome) == (
        d.state,
        d.code,
        d.due_at,
        d.closed_at,
        d.outcome,
    )
