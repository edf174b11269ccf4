"""The officials' worklists: one definition of each, read by the home page's cards, the list's
tabs and their counts, so a card always opens exactly the list it counts.

A worklist is a filter on the dossiers the user may see (``selectors.dossier_list``): its rows
are ``dossier_list(user).filter(worklist.condition(user, now))`` and its count is the same
condition inside one aggregate for all of them (``worklist_counts``). Which worklists a user is
shown follows the roles of the permission table (``dossiers.permissions.PERMISSIONS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
    return Q(state=DossierState.TRANSFERRING) & Q(Exists(pending))


@dataclass(frozen=True)
class Worklist:
    name: str
    label: Promise
    condition: Callable[[Any, dt.datetime], Q]
    action: str | None  # the permission table's action whose roles see this list; None: all


WORKLISTS: tuple[Worklist, ...] = (
    Worklist(
        "to_precheck",
        _("To pre-check (online)"),
        lambda u, now: Q(state=DossierState.SUBMITTED),
        E.PRECHECK_ACCEPT,
    ),
    Worklist(
        "to_assign",
        _("To assign"),
        lambda u, now: Q(state__in=WORKING, assignee__isnull=True),
        E.ASSIGN,
    ),
    Worklist(
        "mine",
        _("Assigned to me"),
        lambda u, now: Q(state__in=OPEN_STATES, assignee_id=u.pk),
        E.STEP,
    ),
    Worklist(
        "to_approve",
        _("To approve"),
        lambda u, now: Q(
            state__in=WORKING, current_step__role__in=[Role.LEADER, Role.DEPARTMENT_HEAD]
        ),
        E.RESOLVE,
    ),
    Worklist(
        "awaiting_supplement",
        _("Waiting for a supplement"),
        lambda u, now: Q(state=DossierState.AWAITING_SUPPLEMENT),
        E.SUPPLEMENT_RECEIVE,
    ),
    Worklist(
        "to_deliver",
        _("Results to deliver"),
        lambda u, now: Q(state=DossierState.RESOLVED),
        E.DELIVER,
    ),
    Worklist("incoming", _("Incoming hand-overs"), _incoming, E.TRANSFER_ACCEPT),
    Worklist(
        "due_soon",
        _("Due soon"),
        lambda u, now: open_deadline_q(DeadlineStatus.DUE_SOON, now=now),
        None,
    ),
    Worklist(
        "overdue",
        _("Overdue"),
        lambda u, now: open_deadline_q(DeadlineStatus.OVERDUE, now=now),
        None,
    ),
    Worklist("open", _("All open"), lambda u, now: Q(state__in=OPEN_STATES), None),
)
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
    return dossier_list(user=user).filter(worklist.condition(user, now or timezone.now()))


def worklist_counts(*, user: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """Every worklist's count for ``user``, in one query."""
    now = now or timezone.now()
    return dossier_list(user=user).aggregate(
        **{w.name: Count("id", filter=w.condition(user, now)) for w in WORKLISTS}
    )
