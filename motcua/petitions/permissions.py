"""Who may act on a petition: the roles of each action, as data.

A petition is handled by the officials of the agency it is addressed to (a membership in that
agency itself, not in a parent). Leaders and heads of department assign it and publish answers;
the assignee (or a leader or head) answers. Monitors and TTHC-control officers read only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.choices import Role
from motcua.core.errors import PermissionDenied
from motcua.petitions.models import Petition

ASSIGN = "assign"
ANSWER = "answer"
PUBLISH = "publish"

ROLES: dict[str, frozenset[str]] = {
    ASSIGN: frozenset({Role.LEADER, Role.DEPARTMENT_HEAD}),
    ANSWER: frozenset({Role.LEADER, Role.DEPARTMENT_HEAD, Role.SPECIALIST}),
    PUBLISH: frozenset({Role.LEADER, Role.DEPARTMENT_HEAD}),
}
# Roles that may be given a petition to answer.
ASSIGNABLE: frozenset[str] = ROLES[ANSWER]


def roles_at(user: Any, agency_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.memberships.filter(agency_id=agency_id).values_list("role", flat=True))


def may(user: Any, action: str, petition: Petition) -> bool:
    roles = roles_at(user, petition.agency_id) & ROLES[action]
    if not roles:
        return False
    if action == ANSWER and roles == {Role.SPECIALIST}:
        return petition.assigned_to_id == user.pk
    return True


def authorize(user: Any, action: str, petition: Petition) -> None:
    if not may(user, action, petition):
        raise PermissionDenied(
            _("You may not %(action)s this petition: it is handled by %(agency)s.")
            % {"action": _ACTION_WORDS[action](), "agency": petition.agency.name}
        )


_ACTION_WORDS = {
    ASSIGN: lambda: _("assign"),
    ANSWER: lambda: _("answer"),
    PUBLISH: lambda: _("publish the answer of"),
}
