"""The workflow table: the single source of allowed moves."""

from __future__ import annotations

import pytest

from motcua.core.errors import IllegalTransition
from motcua.dossiers.choices import OPEN_STATES, DossierState, EventType
from motcua.dossiers.workflow import NEW, TRANSITIONS, allowed, allowed_actions, transition

CLOSED = {
    DossierState.DELIVERED,
    DossierState.REFUSED,
    DossierState.WITHDRAWN,
    DossierState.STOPPED,
    DossierState.FILED,
    DossierState.NOT_RECEIVED,
}
SELF_LOOPS = {EventType.APOLOGIZE, EventType.RATE, EventType.ATTACH}


def test_every_target_is_a_known_state():
    assert set(TRANSITIONS.values()) <= set(DossierState.values)
    assert {s for s, _a in TRANSITIONS} <= {NEW, *DossierState.values}
    assert {a for _s, a in TRANSITIONS} <= set(EventType.values)


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (NEW, EventType.SUBMIT, DossierState.SUBMITTED),
        (NEW, EventType.RECEIVE, DossierState.RECEIVED),
        (NEW, EventType.FILE, DossierState.FILED),
        (DossierState.SUBMITTED, EventType.PRECHECK_ACCEPT, DossierState.RECEIVED),
        (DossierState.SUBMITTED, EventType.PRECHECK_REFUSE, DossierState.NOT_RECEIVED),
        (DossierState.SUBMITTED, EventType.FILE, DossierState.FILED),
        (DossierState.RECEIVED, EventType.ASSIGN, DossierState.IN_PROCESS),
        (DossierState.IN_PROCESS, EventType.STEP, DossierState.IN_PROCESS),
        (DossierState.IN_PROCESS, EventType.SUPPLEMENT_REQUEST, DossierState.AWAITING_SUPPLEMENT),
        (DossierState.AWAITING_SUPPLEMENT, EventType.SUPPLEMENT_RECEIVE, DossierState.IN_PROCESS),
        (DossierState.AWAITING_SUPPLEMENT, EventType.REFUSE, DossierState.REFUSED),
        (DossierState.AWAITING_SUPPLEMENT, EventType.STOP, DossierState.STOPPED),
        (DossierState.TRANSFERRING, EventType.WITHDRAW, DossierState.WITHDRAWN),
        (DossierState.IN_PROCESS, EventType.TRANSFER, DossierState.TRANSFERRING),
        (DossierState.TRANSFERRING, EventType.TRANSFER_ACCEPT, DossierState.IN_PROCESS),
        (DossierState.RECEIVED, EventType.RESOLVE, DossierState.RESOLVED),
        (DossierState.RESOLVED, EventType.DELIVER, DossierState.DELIVERED),
        (DossierState.AWAITING_SUPPLEMENT, EventType.APOLOGIZE, DossierState.AWAITING_SUPPLEMENT),
        (DossierState.DELIVERED, EventType.RATE, DossierState.DELIVERED),
    ],
)
def test_allowed_moves(state, action, expected):
    assert transition(state, action) == expected
    assert allowed(state, action)
    assert action in allowed_actions(state)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (DossierState.DELIVERED, EventType.RESOLVE),
        (DossierState.RESOLVED, EventType.SUPPLEMENT_REQUEST),
        (DossierState.AWAITING_SUPPLEMENT, EventType.RESOLVE),
        (DossierState.TRANSFERRING, EventType.RESOLVE),
        (DossierState.SUBMITTED, EventType.ASSIGN),
        (DossierState.NOT_RECEIVED, EventType.PRECHECK_ACCEPT),
        (DossierState.FILED, EventType.RESOLVE),
        (DossierState.RECEIVED, EventType.DELIVER),
        (NEW, EventType.RESOLVE),
        (DossierState.RECEIVED, EventType.IMPORT),
    ],
)
def test_illegal_moves_raise_a_clear_error(state, action):
    assert not allowed(state, action)
    with pytest.raises(IllegalTransition, match="cannot"):
        transition(state, action)


def test_error_names_the_action_and_the_state(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(IllegalTransition) as info:
        transition(DossierState.DELIVERED, EventType.RESOLVE)
    assert str(info.value) == "cannot resolve a dossier that is result delivered"


def test_closed_states_allow_no_move_out():
    for state in CLOSED:
        assert set(allowed_actions(state)) <= SELF_LOOPS, state
        assert all(transition(state, a) == state for a in allowed_actions(state))
    assert allowed_actions(DossierState.NOT_RECEIVED) == []


def test_open_states_can_always_be_withdrawn_or_apologized():
    for state in OPEN_STATES:
        assert transition(state, EventType.WITHDRAW) == DossierState.WITHDRAWN
        assert transition(state, EventType.APOLOGIZE) == state


def test_self_loops_never_change_the_state():
    for (state, action), target in TRANSITIONS.items():
        if action in SELF_LOOPS:
            assert target == state
