"""The officials' worklists: one definition of each, read by the home page's cards, the list's
tabs and their counts, so a card always opens exactly the list it counts.

A worklist is a filter on the dossiers the user may see (``selectors.dossier_list``): its rows
are ``dossier_list(user).filter(worklist.q(user, now))`` (its states and its condition) and its
count is the same filter inside one aggregate for all of them (``worklist_counts``), which reads
only the dossiers in a state some list holds (over a province, the open and resolved ones, not
its whole history). Which worklists a user is shown follows the roles of the permission table
(``dossiers.permissions.PERMISSIONS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.selectors import ALL, user_agency_ids
from motcua.catalog.choices import Role
from motcua.dossiers.choices import OPEN_STATES, DeadlineStatus, DossierState
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.deadlines import open_deadline_q
from motcua.dossiers.models import Dossier, Handover
from motcua.dossiers.permissions import PERMISSIONS
from motcua.dossiers.selectors import dossier_list

WORKING = (DossierState.RECEIVED, DossierState.IN_PROCESS)


def _incoming(user: Any, now: dt.datetime) -> Q:
    ids = user_agency_ids(user=user)
    pending = Handover.objects.filter(dossier=OuterRef("pk"), accepted_at__isnull=True)
    if ids is not ALL:
        pending = pending.filter(to_agency_id__in=ids)
    return Q(Exists(pending))


@dataclass(frozen=True)
class Worklist:
    name: str
    label: Promise
    states: frozenset[str]  # the states its dossiers are in (the index narrows the counts by them)
    condition: Callable[[Any, dt.datetime], Q]  # what else its dossiers must satisfy
    action: str | None  # the permission table's action whose roles see this list; None: all

    def q(self, user: Any, now: dt.datetime) -> Q:
        """The list's filter: the one read by its rows and by its count."""
        return Q(state__in=sorted(self.states)) & self.condition(user, now)


def _always(user: Any, now: dt.datetime) -> Q:
    return Q()


ONE = frozenset
WORKLISTS: tuple[Worklist, ...] = (
    Worklist(
        "to_precheck",
        _("To pre-check (online)"),
        ONE({DossierState.SUBMITTED}),
        _always,
        E.PRECHECK_ACCEPT,
    ),
    Worklist(
        "to_assign",
        _("To assign"),
        ONE(WORKING),
        lambda u, now: Q(assignee__isnull=True),
        E.ASSIGN,
    ),
    Worklist(
        "mine",
        _("Assigned to me"),
        OPEN_STATES,
        lambda u, now: Q(assignee_id=u.pk),
        E.STEP,
    ),
    Worklist(
        "to_approve",
        _("To approve"),
        ONE(WORKING),
        lambda u, now: Q(current_step__role__in=[Role.LEADER, Role.DEPARTMENT_HEAD]),
        E.RESOLVE,
    ),
    Worklist(
        "awaiting_supplement",
        _("Waiting for a supplement"),
        ONE({DossierState.AWAITING_SUPPLEMENT}),
        _always,
        E.SUPPLEMENT_RECEIVE,
    ),
    Worklist(
        "to_deliver",
        _("Results to deliver"),
        ONE({DossierState.RESOLVED}),
        _always,
        E.DELIVER,
    ),
    Worklist(
        "incoming",
        _("Incoming hand-overs"),
        ONE({DossierState.TRANSFERRING}),
        _incoming,
        E.TRANSFER_ACCEPT,
    ),
    Worklist(
        "due_soon",
        _("Due soon"),
        OPEN_STATES,
        lambda u, now: open_deadline_q(DeadlineStatus.DUE_SOON, now=now),
        None,
    ),
    Worklist(
        "overdue",
        _("Overdue"),
        OPEN_STATES,
        lambda u, now: open_deadline_q(DeadlineStatus.OVERDUE, now=now),
        None,
    ),
    Worklist("open", _("All open"), OPEN_STATES, _always, None),
)
# Every state some list holds (no list shows a closed dossier).
LISTED_STATES: frozenset[str] = frozenset().union(*(w.states for w in WORKLISTS))
BY_NAME = {w.name: w for w in WORKLISTS}


def _roles(user: Any) -> set[str] | None:
    """The user's roles anywhere; None for administrators (every list)."""
    if getattr(user, "is_superuser", False):
        return None
    roles = set(user.memberships.values_list("role", flat=True))
    return None if Role.ADMIN in roles else roles


def worklists_for(user: Any) -> list[Worklist]:
    """The worklists a user is shown: those whose action one of the user's roles may take."""
    roles = _roles(user)
    shown = []
    for w in WORKLISTS:
        if w.action is None or roles is None:
            shown.append(w)
            continue
        allowed = set().union(*PERMISSIONS[w.action].values())
        if roles & allowed:
            shown.append(w)
    return shown


def worklist_rows(*, user: Any, name: str, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """The rows of one worklist (KeyError for an unknown name)."""
    worklist = BY_NAME[name]
    return dossier_list(user=user).filter(worklist.q(user, now or timezone.now()))


def worklist_counts(
    *, user: Any, now: dt.datetime | None = None, names: Iterable[str] | None = None
) -> dict[str, int]:
    """The counts of the worklists ``names`` (default: all) for ``user``, in one query that
    reads only the dossiers in a state one of those lists holds (pages count the lists they
    show: a leader's tabs do not read the province's resolved dossiers waiting at the counter)."""
    now = now or timezone.now()
    lists = WORKLISTS if names is None else [BY_NAME[name] for name in names]
    if not lists:
        return {}
    states = sorted(frozenset().union(*(w.states for w in lists)))
    return (
        dossier_list(user=user)
        .filter(state__in=states)
        .aggregate(**{w.name: Count("id", filter=w.q(user, now)) for w in lists})
    )
