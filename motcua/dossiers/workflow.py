"""The dossier workflow: the single table of allowed moves.

Every service asks :func:`transition` before it writes anything. A new dossier has no state yet
(``NEW``, the empty string); actions are the event types of ``dossiers.choices.EventType``.
Actions that do not change the state (assign, step, apologize, rate, attach) map a state to itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from motcua.core.errors import IllegalTransition
from motcua.dossiers.choices import DossierState as S
from motcua.dossiers.choices import EventType as E

NEW = ""  # the "state" of a dossier that does not exist yet

# States in which the handling agency still works on a received dossier.
_WORKING = (S.RECEIVED, S.IN_PROCESS)
_OPEN = (S.RECEIVED, S.IN_PROCESS, S.AWAITING_SUPPLEMENT, S.TRANSFERRING)
_RECEIVED_EVER = (*_OPEN, S.RESOLVED, S.DELIVERED, S.REFUSED, S.WITHDRAWN, S.STOPPED, S.FILED)


def _table() -> dict[tuple[str, str], str]:
    t: dict[tuple[str, str], str] = {
        (NEW, E.SUBMIT): S.SUBMITTED,
        (NEW, E.RECEIVE): S.RECEIVED,
        (NEW, E.FILE): S.FILED,  # one-way procedure received at the counter / by post
        (S.SUBMITTED, E.PRECHECK_ACCEPT): S.RECEIVED,
        (S.SUBMITTED, E.PRECHECK_REFUSE): S.NOT_RECEIVED,
        # Pre-check "needs changes": back to the applicant, who corrects it and sends it again.
        (S.SUBMITTED, E.PRECHECK_RETURN): S.RETURNED,
        (S.RETURNED, E.RESUBMIT): S.SUBMITTED,
        (S.RETURNED, E.PRECHECK_REFUSE): S.NOT_RECEIVED,
        (S.RETURNED, E.ATTACH): S.RETURNED,
        (S.SUBMITTED, E.FILE): S.FILED,  # one-way procedure accepted after the online pre-check
        (S.AWAITING_SUPPLEMENT, E.SUPPLEMENT_RECEIVE): S.IN_PROCESS,
        (S.TRANSFERRING, E.TRANSFER_ACCEPT): S.IN_PROCESS,
        (S.RESOLVED, E.DELIVER): S.DELIVERED,
        (S.RESOLVED, E.POSTAL_RETURN): S.RESOLVED,  # the post brought the result back
    }
    for state in _WORKING:
        t[(state, E.ASSIGN)] = S.IN_PROCESS
        t[(state, E.STEP)] = S.IN_PROCESS
        t[(state, E.SUPPLEMENT_REQUEST)] = S.AWAITING_SUPPLEMENT
        t[(state, E.TRANSFER)] = S.TRANSFERRING
        t[(state, E.RESOLVE)] = S.RESOLVED
    for state in (*_WORKING, S.AWAITING_SUPPLEMENT):
        t[(state, E.REFUSE)] = S.REFUSED
        t[(state, E.STOP)] = S.STOPPED
    for state in _OPEN:
        t[(state, E.WITHDRAW)] = S.WITHDRAWN
        t[(state, E.APOLOGIZE)] = state
    for state in _RECEIVED_EVER:
        t[(state, E.RATE)] = state
    for state in (S.SUBMITTED, *_OPEN, S.RESOLVED):
        t[(state, E.ATTACH)] = state
    return t


TRANSITIONS: dict[tuple[str, str], str] = _table()

# Not a move (no event): marking which documents of the checklist were handed in. Allowed while
# the documents are still being checked, from the online submission until the dossier closes;
# a closed dossier's checklist is part of its record.
CHECKLIST = "checklist"
CHECKLIST_STATES = frozenset({S.SUBMITTED, S.RETURNED, *_OPEN})

# The closing moves and the outcome each one records.
CLOSING_OUTCOMES: dict[str, str] = {
    E.REFUSE: "refused",
    E.WITHDRAW: "withdrawn",
    E.STOP: "stopped",
    E.RESOLVE: "resolved",
    E.FILE: "filed",
}


# The verb of each action, for error messages ("cannot resolve a dossier that is delivered").
# The moves whose performer handled the dossier: receiving it, processing it (assignment, steps,
# supplements, hand-overs), approving and signing the result (the last step, resolve or refuse),
# delivering it, apologising. A rating is tied to these officials (services/rating.py; replay.py
# rebuilds the tie from the events with ``handling_officials``).
HANDLING_EVENTS = frozenset(
    {
        E.RECEIVE,
        E.PRECHECK_ACCEPT,
        E.FILE,
        E.ASSIGN,
        E.STEP,
        E.SUPPLEMENT_REQUEST,
        E.SUPPLEMENT_RECEIVE,
        E.TRANSFER,
        E.TRANSFER_ACCEPT,
        E.RESOLVE,
        E.REFUSE,
        E.STOP,
        E.DELIVER,
        E.APOLOGIZE,
    }
)


def handling_officials(events: Iterable[Any]) -> list[int]:
    """The user ids of the officials who performed the handling moves among ``events`` (rows or
    alike, with ``type`` and ``actor_id``), sorted; system actors (portal, post, import) have no
    user id and are left out."""
    return sorted(
        {e.actor_id for e in events if e.type in HANDLING_EVENTS and getattr(e, "actor_id", None)}
    )


ACTION_VERBS = {
    CHECKLIST: gettext_lazy("update the checklist of"),
    E.SUBMIT: gettext_lazy("submit"),
    E.PRECHECK_ACCEPT: gettext_lazy("accept after pre-check"),
    E.PRECHECK_REFUSE: gettext_lazy("refuse at pre-check"),
    E.RECEIVE: gettext_lazy("receive"),
    E.ASSIGN: gettext_lazy("assign"),
    E.STEP: gettext_lazy("move to another step"),
    E.SUPPLEMENT_REQUEST: gettext_lazy("request a supplement for"),
    E.SUPPLEMENT_RECEIVE: gettext_lazy("receive a supplement for"),
    E.REFUSE: gettext_lazy("refuse"),
    E.WITHDRAW: gettext_lazy("withdraw"),
    E.STOP: gettext_lazy("stop"),
    E.TRANSFER: gettext_lazy("hand over"),
    E.TRANSFER_ACCEPT: gettext_lazy("accept the hand-over of"),
    E.RESOLVE: gettext_lazy("resolve"),
    E.DELIVER: gettext_lazy("deliver the result of"),
    E.APOLOGIZE: gettext_lazy("issue an apology for"),
    E.FILE: pgettext_lazy("dossier action", "file"),
    E.IMPORT: gettext_lazy("import"),
    E.RATE: gettext_lazy("rate"),
    E.ATTACH: gettext_lazy("attach a file to"),
    E.ERASE: gettext_lazy("erase the personal data of"),
    E.POSTAL_RETURN: gettext_lazy("take back from the post the result of"),
}


def allowed(state: str, action: str) -> bool:
    if action == CHECKLIST:
        return state in CHECKLIST_STATES
    return (state, action) in TRANSITIONS


def check_allowed(state: str, action: str) -> None:
    """Raise IllegalTransition unless ``action`` is possible from ``state`` (moves, and the
    checklist, which changes no state)."""
    if action == CHECKLIST:
        if state not in CHECKLIST_STATES:
            raise _illegal(state, action)
        return
    transition(state, action)


def allowed_actions(state: str) -> list[str]:
    """The actions possible from ``state`` (for buttons in the UI)."""
    return [action for (s, action) in TRANSITIONS if s == state]


def transition(state: str, action: str) -> str:
    """The state after ``action``; raises IllegalTransition when the workflow forbids it."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise _illegal(state, action) from None


def _illegal(state: str, action: str) -> IllegalTransition:
    return IllegalTransition(
        _("cannot %(action)s a dossier that is %(state)s")
        % {"action": ACTION_VERBS.get(action, action), "state": _label(S, state) or _("new")}
    )


def _label(choices: type, value: str) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
