"""Who may do what to a dossier: one table, as data, and the one check every service calls.

``PERMISSIONS[action][scope]`` is the set of roles allowed to perform ``action`` on a dossier
from where the user sits:

- ``HANDLING``: a role at the dossier's handling agency (or an agency above it: a role covers
  its subtree, ``docs/decisions.md`` #3). The handling agency's officials decide.
- ``RECEIVING``: a role at the unit that received the dossier for another agency (Decree
  118/2025 "reception anywhere") and no role at the handling agency for this action. It only
  does the counter work for what it received: pre-check, supplements, withdrawal, delivery.
- ``TARGET``: a role at the agency a pending hand-over is addressed to. Only it accepts.
- ``RECEPTION``: a role at the unit where the dossier is received (the user's own unit), for
  receiving, filing and online submissions.

Monitors and TTHC-control officers appear nowhere: they only read. System administrators
(superusers, or the ``admin`` role) may do everything. Processes whose steps name a role
narrow the table further (:func:`step_role_required`, :func:`approving_role`).

Actors that are not people are explicit :class:`SystemActor` values with their own list of
allowed actions; ``None`` is refused (``docs/decisions.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.catalog.choices import Role
from motcua.catalog.models import Agency, ProcessStep
from motcua.catalog.selectors import agency_subtree_ids
from motcua.core.errors import PermissionDenied
from motcua.core.generations import memo, remembered
from motcua.dossiers.choices import DossierState
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import CHECKLIST

HANDLING, RECEIVING, TARGET, RECEPTION = "handling", "receiving", "target", "reception"

# Actions that are not dossier events (the checklist's home is the workflow: its states).
COUNTER_CLOSURE = "counter_closure"
# The header, number, recipients and signer a unit's reports print, remembered for the unit
# (stats.ReportSettings): its officials and those above it; monitors only read.
REPORT_SETTINGS = "report_settings"

C, S, H, L = Role.COUNTER_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.LEADER
OFFICIALS = frozenset({C, S, H, L})
DECIDERS = frozenset({H, L})

PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    E.SUBMIT: {RECEPTION: frozenset({C})},
    E.RECEIVE: {RECEPTION: frozenset({C})},
    E.FILE: {RECEPTION: frozenset({C})},
    E.PRECHECK_ACCEPT: {HANDLING: frozenset({C, S}), RECEIVING: frozenset({C})},
    E.PRECHECK_REFUSE: {HANDLING: frozenset({C, S}), RECEIVING: frozenset({C})},
    E.PRECHECK_RETURN: {HANDLING: frozenset({C, S}), RECEIVING: frozenset({C})},
    E.RESUBMIT: {},  # the applicant, through the portal (PORTAL) or the national portal
    E.ASSIGN: {HANDLING: DECIDERS},
    E.STEP: {HANDLING: OFFICIALS, RECEIVING: frozenset({C})},
    E.SUPPLEMENT_REQUEST: {HANDLING: frozenset({S, H, L})},
    E.SUPPLEMENT_RECEIVE: {HANDLING: frozenset({C, S}), RECEIVING: frozenset({C})},
    E.RESOLVE: {HANDLING: DECIDERS},
    E.REFUSE: {HANDLING: DECIDERS},
    E.WITHDRAW: {HANDLING: frozenset({C, H, L}), RECEIVING: frozenset({C})},
    E.STOP: {HANDLING: DECIDERS},
    E.APOLOGIZE: {HANDLING: DECIDERS},
    E.TRANSFER: {HANDLING: frozenset({S, H, L})},
    E.TRANSFER_ACCEPT: {TARGET: frozenset({C, H, L})},
    E.DELIVER: {HANDLING: frozenset({C}), RECEIVING: frozenset({C})},
    E.POSTAL_RETURN: {HANDLING: frozenset({C}), RECEIVING: frozenset({C})},
    E.RATE: {HANDLING: frozenset({C}), RECEIVING: frozenset({C})},
    E.ATTACH: {HANDLING: OFFICIALS, RECEIVING: frozenset({C})},
    CHECKLIST: {HANDLING: frozenset({C, S}), RECEIVING: frozenset({C})},
    COUNTER_CLOSURE: {HANDLING: frozenset({L})},
    REPORT_SETTINGS: {HANDLING: OFFICIALS},
    # Retention erasure (services/retention.py): no role; the RETENTION program or an administrator.
    E.ERASE: {},
}

ACTION_NAMES = {
    COUNTER_CLOSURE: gettext_lazy("suspend counter reception at"),
    REPORT_SETTINGS: gettext_lazy("change the report settings of"),
}


@dataclass(frozen=True)
class SystemActor:
    """A program acting on its own behalf, allowed a fixed list of actions (no agency scope)."""

    name: str
    actions: frozenset[str]

    pk = None  # recorded events have no user
    is_authenticated = False

    def __str__(self) -> str:
        return self.name


_ALL_ACTIONS = frozenset(PERMISSIONS)
# The citizen portal (and the national portal through integrations): submissions and ratings.
# Citizens on the portal: file online with their documents, rate the service.
PORTAL = SystemActor("portal", frozenset({E.SUBMIT, E.RESUBMIT, E.RATE, E.ATTACH}))
INTEGRATION = SystemActor("integration", frozenset({E.SUBMIT, E.RESUBMIT, E.RATE, E.ATTACH}))
# The public postal operator's callbacks: a result delivered by post, or brought back.
POSTAL = SystemActor("postal", frozenset({E.DELIVER, E.POSTAL_RETURN}))
# Bulk history: the importer and the demo builder rebuild what officials did elsewhere.
IMPORT = SystemActor("import", _ALL_ACTIONS)
DEMO = SystemActor("demo", _ALL_ACTIONS)
# The retention job (motcua retention apply): erasing closed dossiers' personal data only.
RETENTION = SystemActor("retention", frozenset({E.ERASE}))

Actor = User | SystemActor


def _role_ids(user: Any) -> dict[str, frozenset[int]] | None:
    """Role -> agencies (with their subtrees) where the user holds it; None for administrators.

    Memoised per process until memberships or agencies change."""
    if user.is_superuser:
        return None

    def load() -> dict[str, frozenset[int]] | None:
        by_role: dict[str, list[int]] = {}
        for agency_id, role in user.memberships.values_list("agency_id", "role"):
            by_role.setdefault(role, []).append(agency_id)
        if Role.ADMIN in by_role:
            return None
        return {r: frozenset(agency_subtree_ids(roots=ids)) for r, ids in by_role.items()}

    return remembered(memo("access", "catalogue"), ("role_ids", user.pk), load)


def roles_at(user: Any, agency_id: int | None) -> set[str] | None:
    """The roles ``user`` holds at ``agency_id`` (None: every role, an administrator)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    by_role = _role_ids(user)
    if by_role is None:
        return None
    return {role for role, ids in by_role.items() if agency_id in ids}


def is_administrator(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and _role_ids(user) is None


def _pending_target_id(dossier: Dossier) -> int | None:
    handover = dossier.handovers.filter(accepted_at__isnull=True).order_by("-sent_at", "-pk")
    return handover.values_list("to_agency_id", flat=True).first()


def scoped_roles(user: Any, action: str, dossier: Dossier) -> set[str] | None:
    """The roles that count for ``action`` on ``dossier`` given where the user sits."""
    rules = PERMISSIONS.get(action, {})
    granted: set[str] = set()
    for scope, allowed in rules.items():
        if scope == HANDLING:
            held = roles_at(user, dossier.agency_id)
        elif scope == RECEIVING and dossier.receiving_unit_id not in (None, dossier.agency_id):
            held = roles_at(user, dossier.receiving_unit_id)
        elif scope == TARGET:
            target = _pending_target_id(dossier)
            held = set() if target is None else roles_at(user, target)
        else:
            continue
        if held is None:
            return None
        granted |= held & allowed
    return granted


# The roles that count from each scope for at least one action.
_ANY_ACTION: dict[str, frozenset[str]] = {
    scope: frozenset().union(*(rules.get(scope, frozenset()) for rules in PERMISSIONS.values()))
    for scope in (HANDLING, RECEIVING, TARGET)
}


def handles(user: Any, dossier: Dossier) -> bool:
    """Whether ``user`` handles ``dossier``: holds a role that the table grants for some action
    on it from where the user sits (its handling agency, the unit that received it for another
    agency, the agency a pending hand-over of a dossier being handed over is addressed to), or
    is an administrator. Monitors and TTHC-control officers appear nowhere in the table: they
    read, they do not handle. ``dossiers/masking.py`` shows personal data in full only to them.

    No query beyond the memoised roles, except for a dossier being handed over."""
    if not getattr(user, "is_authenticated", False):
        return False
    held = roles_at(user, dossier.agency_id)
    if held is None or held & _ANY_ACTION[HANDLING]:
        return True
    received_elsewhere = dossier.receiving_unit_id not in (None, dossier.agency_id)
    if received_elsewhere and (
        (roles_at(user, dossier.receiving_unit_id) or set()) & _ANY_ACTION[RECEIVING]
    ):
        return True
    if dossier.state == DossierState.TRANSFERRING:
        target = _pending_target_id(dossier)
        if target is not None and (roles_at(user, target) or set()) & _ANY_ACTION[TARGET]:
            return True
    return False


def step_role_required(dossier: Dossier, step: ProcessStep | None) -> str | None:
    """The role that performs a move between steps: the current step's, else the entered one's."""
    current = dossier.current_step if dossier.current_step_id else None
    performer = current or step
    return performer.role if performer is not None and performer.role else None


def approving_role(dossier: Dossier) -> str | None:
    """The role of the process's approval: its last step held by a department head or leader."""
    if dossier.process_id is None:
        return None
    roles = list(
        dossier.process.steps.filter(role__in=DECIDERS)
        .order_by("-position")
        .values_list("role", flat=True)[:1]
    )
    return roles[0] if roles else None


def may(user: Any, action: str, dossier: Dossier, *, step: ProcessStep | None = None) -> bool:
    """Whether ``user`` may perform ``action`` on ``dossier`` (for menus and buttons)."""
    try:
        authorize(user, action, dossier, step=step)
    except PermissionDenied:
        return False
    return True


def authorize(
    actor: Any, action: str, dossier: Dossier, *, step: ProcessStep | None = None
) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``action`` on ``dossier``.

    ``step`` is the step entered by a STEP move (the current step's role performs the move)."""
    if _system_allows(actor, action):
        return
    roles = scoped_roles(actor, action, dossier)
    if roles is None:
        return
    needed: str | None = None
    if action == E.STEP:
        needed = step_role_required(dossier, step)
    elif action == E.RESOLVE:
        needed = approving_role(dossier)
        if needed is not None:
            roles = (roles_at(actor, dossier.agency_id) or set()) & {needed}
    if roles and (needed is None or needed in roles):
        return
    raise PermissionDenied(_refusal(actor, action, dossier.code or f"#{dossier.pk}", needed))


def _system_allows(actor: Any, action: str) -> bool:
    if actor is None:
        raise PermissionDenied(_("no acting user: every change to a dossier says who makes it"))
    if isinstance(actor, SystemActor):
        if action in actor.actions:
            return True
        raise PermissionDenied(
            _("%(actor)s may not %(action)s a dossier")
            % {"actor": actor.name, "action": action_verb(action)}
        )
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", True):
        raise PermissionDenied(_("sign in to change dossiers"))
    return False


def action_verb(action: str) -> str:
    from motcua.dossiers.workflow import ACTION_VERBS

    return str(ACTION_VERBS.get(action) or ACTION_NAMES.get(action) or action)


def _refusal(actor: Any, action: str, what: str, needed: str | None) -> str:
    message = _("%(user)s may not %(action)s dossier %(dossier)s") % {
        "user": actor,
        "action": action_verb(action),
        "dossier": what,
    }
    if needed:
        message += _(" (the internal process gives this to the role: %(role)s)") % {
            "role": Role(needed).label if needed in Role.values else needed
        }
    return message


# --- reception ---------------------------------------------------------------------------


def reception_units(user: Any, action: str = E.RECEIVE) -> list[int] | None:
    """The units where ``user`` may receive (direct memberships first); None: anywhere."""
    if isinstance(user, SystemActor) or not getattr(user, "is_authenticated", False):
        return []
    if _role_ids(user) is None:
        return None
    allowed = PERMISSIONS[action][RECEPTION]
    rows = user.memberships.filter(role__in=allowed).order_by("pk")
    return list(dict.fromkeys(rows.values_list("agency_id", flat=True)))


def may_receive(user: Any, action: str = E.RECEIVE) -> bool:
    """Whether ``user`` may receive (``action``: receive or file) for the handling agencies of
    the deployment: ``authorize_reception`` passes at the user's own counter
    (``receiving_unit_for``) whenever the user holds a reception role somewhere (Decree 118
    "reception anywhere"). What the reception picker offers (``selectors.reception_choices``)."""
    units = reception_units(user, action)
    return units is None or bool(units)


def receiving_unit_for(user: Any, agency: Agency | int) -> int | None:
    """Where ``user`` receives a dossier for ``agency``: None when at the agency itself (or an
    administrator), else the user's own counter unit (Decree 118 "reception anywhere")."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    roles = roles_at(user, agency_id)
    if roles is None or roles & PERMISSIONS[E.RECEIVE][RECEPTION]:
        return None
    units = reception_units(user)
    return units[0] if units else None


def authorize_reception(
    actor: Any, action: str, *, agency: Agency, receiving_unit: Agency | None
) -> None:
    """Raise PermissionDenied unless ``actor`` may receive at ``receiving_unit`` (its own unit;
    the handling agency when None). Under Decree 118's "reception anywhere" the unit may receive
    for any handling agency of the deployment (one deployment serves one province)."""
    if _system_allows(actor, action):
        return
    unit = receiving_unit or agency
    roles = roles_at(actor, unit.pk)
    if roles is None:
        return
    if not roles & PERMISSIONS[action][RECEPTION]:
        raise PermissionDenied(
            _("%(user)s does not work at the counter of %(unit)s: no reception there")
            % {"user": actor, "unit": unit.code}
        )


def may_act_for_agency(actor: Any, action: str, agency: Agency) -> bool:
    """Whether ``actor`` may perform ``action`` for ``agency`` itself (a role of the table's
    HANDLING column at the agency or above it, an administrator, or an allowed program)."""
    if _system_allows(actor, action):
        return True
    roles = roles_at(actor, agency.pk)
    return roles is None or bool(roles & PERMISSIONS[action].get(HANDLING, frozenset()))


def authorize_agency(actor: Any, action: str, agency: Agency) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``action`` for ``agency`` itself."""
    if may_act_for_agency(actor, action, agency):
        return
    raise PermissionDenied(
        _("%(user)s may not %(action)s %(agency)s")
        % {"user": actor, "action": action_verb(action), "agency": agency.code}
    )


def may_be_assigned(user: User, dossier: Dossier) -> bool:
    """An assignee works for the handling agency (or a department under it)."""
    if not user.is_active:
        return False
    subtree = agency_subtree_ids(roots=[dossier.agency_id])
    return user.memberships.filter(agency_id__in=subtree).exists()


def authorize_history(actor: Any) -> None:
    """Recording history done elsewhere (apologies, ratings and applicants of imported dossiers,
    in bulk) is for the import and demo programs and for administrators only."""
    if isinstance(actor, SystemActor) and actor in (IMPORT, DEMO):
        return
    if actor is not None and is_administrator(actor):
        return
    raise PermissionDenied(_("%(actor)s may not record imported history") % {"actor": actor or "?"})
