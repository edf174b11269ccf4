"""Who may see what. Every queryset that reaches a page or the API is narrowed with these."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.catalog.choices import Role
from motcua.catalog.selectors import agency_subtree_ids
from motcua.core.generations import memo, remembered

ALL = None  # sentinel: no restriction


def user_agency_ids(*, user: Any, roles: set[str] | None = None) -> set[int] | None:
    """The agencies (with their descendants) the user works for; None means every agency.

    Superusers and system administrators see everything. Anonymous users see nothing.
    Memoised per process until users, memberships or agencies change (``core.generations``).
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return ALL
    key = ("agency_ids", user.pk, None if roles is None else frozenset(roles))
    ids = remembered(memo("access", "catalogue"), key, lambda: _agency_ids(user, roles))
    return ALL if ids is ALL else set(ids)


def _agency_ids(user: Any, roles: set[str] | None) -> frozenset[int] | None:
    memberships = list(user.memberships.values_list("agency_id", "role"))
    if any(role == Role.ADMIN for _, role in memberships):
        return ALL
    roots = [agency_id for agency_id, role in memberships if roles is None or role in roles]
    return frozenset(agency_subtree_ids(roots=roots))


def user_has_role(*, user: Any, role: str, agency_id: int | None = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if agency_id is None:
        return user.memberships.filter(role=role).exists()
    ids = user_agency_ids(user=user, roles={role})
    return ids is ALL or agency_id in ids


def restrict_to_user(qs: QuerySet, *, user: Any, field: str = "agency_id") -> QuerySet:
    """Narrow a queryset to the rows whose agency the user may see."""
    ids = user_agency_ids(user=user)
    if ids is ALL:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def officials_of_user_agencies(*, user: Any) -> QuerySet:
    """Active officials holding a role in one of ``user``'s agencies (their subtrees): whom the
    dossier list may be filtered by as assignee. Nobody for an anonymous user."""
    ids = user_agency_ids(user=user)
    qs = User.objects.filter(is_active=True)
    if ids is ALL:
        qs = qs.filter(memberships__isnull=False)
    else:
        qs = qs.filter(memberships__agency_id__in=ids)
    return qs.distinct().order_by("full_name", "username")
