"""Reads of the catalogue. The agency tree is small (thousands of rows): walk it in memory."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from motcua.catalog.models import Agency, InternalProcess, Procedure, ProcedureAssignment
from motcua.core.generations import memo, remembered
from motcua.core.text import search_words


def agency_children_map() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def _agency_children() -> dict[int | None, tuple[int, ...]]:
    """``agency_children_map`` memoised (shared: read only); every permission check and form
    that walks a subtree used to read the whole agency table again."""
    return remembered(
        memo("catalogue"),
        ("agency_children",),
        lambda: {parent: tuple(kids) for parent, kids in agency_children_map().items()},
    )


def agency_subtree_ids(
    *, roots: Iterable[int], children: Mapping[int | None, Sequence[int]] | None = None
) -> set[int]:
    """The given agencies and all their descendants (the tree memoised per process until the
    catalogue changes, when ``children`` is not given)."""
    children = _agency_children() if children is None else children
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return seen


COMMITTEE_LEVELS = ("province", "district", "commune")


def _identity_part(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": {"code": agency.level.code, "name": agency.level.name},
    }


def agency_identity(agency: Agency) -> dict[str, Any]:
    """What a document needs to name its issuer: the agency's code, name, short name,
    abbreviation and level, its parent (the same keys, or None) and its locality (the nearest
    People's Committee at or above it, whose area gives the place of a date line; None when the
    tree has none). A few reads: the tree is walked upwards, at most its depth."""
    ancestors = []
    node: Agency | None = agency
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        ancestors.append(node)
        node = (
            Agency.objects.select_related("level").filter(pk=node.parent_id).first()
            if node.parent_id
            else None
        )
    locality = next((a for a in ancestors if a.level.code in COMMITTEE_LEVELS), None)
    identity = _identity_part(agency)
    identity["abbreviation"] = agency.abbreviation
    identity["parent"] = _identity_part(ancestors[1]) if len(ancestors) > 1 else None
    identity["locality"] = _identity_part(locality) if locality is not None else None
    return identity


def agency_for_code(*, code: str) -> Agency | None:
    """The agency with this code, memoised per process until the catalogue changes.

    The instance is shared: read it, never change and save it."""
    return remembered(
        memo("catalogue"), ("agency", code), lambda: Agency.objects.filter(code=code).first()
    )


def procedure_for_code(*, code: str) -> Procedure | None:
    """The procedure with this code, memoised like `agency_for_code` (shared instance)."""
    return remembered(
        memo("catalogue"), ("procedure", code), lambda: Procedure.objects.filter(code=code).first()
    )


def agency_list(*, ids: Iterable[int] | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("level", "parent")
    return qs if ids is None else qs.filter(pk__in=list(ids))


def procedure_text_q(query: str | None) -> Q:
    """Procedures whose code or name holds every word of ``query``, ignoring case and diacritics.

    The one procedure-matching rule: the officials' catalogue, the reception picker and the
    portal all call it (``cap phep``, ``CẤP PHÉP`` and ``Cấp phép`` match alike; ``đ`` = ``d``).
    """
    condition = Q()
    for word in search_words(query):
        condition &= Q(search_text__contains=word)
    return condition


def procedure_list() -> QuerySet[Procedure]:
    """Every procedure with its field and the number of agencies handling it."""
    return (
        Procedure.objects.select_related("field")
        .annotate(agency_count=Count("assignments", distinct=True))
        .order_by("code")
    )


def procedure_get_by_code(*, code: str) -> Procedure | None:
    """One procedure with what its page shows: documents, agencies, internal processes."""
    return (
        Procedure.objects.select_related("field")
        .prefetch_related(
            "documents",
            Prefetch(
                "assignments",
                queryset=ProcedureAssignment.objects.select_related("agency__level").order_by(
                    "agency__code"
                ),
            ),
            Prefetch(
                "processes",
                queryset=InternalProcess.objects.select_related("agency").prefetch_related("steps"),
            ),
        )
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class AgencyNode:
    agency: Agency
    depth: int
    procedure_count: int


def agency_tree() -> list[AgencyNode]:
    """Every agency in tree order (each parent followed by its children, by code), in two queries.

    Agencies whose parent chain loops (which imports reject) would never be reached from a root;
    they are appended at depth 0 so that nothing disappears from the page.
    """
    agencies = list(
        Agency.objects.select_related("level").annotate(
            procedure_count=Count("assignments", distinct=True)
        )
    )
    by_parent: dict[int | None, list[Agency]] = defaultdict(list)
    for agency in agencies:
        by_parent[agency.parent_id].append(agency)
    for siblings in by_parent.values():
        siblings.sort(key=lambda a: (a.level.rank, a.code))
    nodes: list[AgencyNode] = []
    placed: set[int] = set()
    stack: list[tuple[Agency, int]] = [(a, 0) for a in reversed(by_parent[None])]
    while stack:
        agency, depth = stack.pop()
        if agency.pk in placed:
            continue
        placed.add(agency.pk)
        nodes.append(AgencyNode(agency, depth, agency.procedure_count))
        stack.extend((child, depth + 1) for child in reversed(by_parent[agency.pk]))
    nodes.extend(AgencyNode(a, 0, a.procedure_count) for a in agencies if a.pk not in placed)
    return nodes


def internal_process_in_force(
    *, procedure_id: int, agency_id: int | None, on: dt.date
) -> InternalProcess | None:
    """The internal-process version a dossier received on `on` follows, memoised per process
    until the catalogue changes (shared instance: read it, never change and save it).

    The agency's own process if it has one in force, else the procedure-wide one; among
    versions, the latest effective date on or before `on` (no date: in force since always),
    then the highest version number.
    """
    return remembered(
        memo("catalogue"),
        ("process", procedure_id, agency_id, on),
        lambda: _process_in_force(procedure_id=procedure_id, agency_id=agency_id, on=on),
    )


def _process_in_force(
    *, procedure_id: int, agency_id: int | None, on: dt.date
) -> InternalProcess | None:
    in_force = InternalProcess.objects.filter(procedure_id=procedure_id).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on)
    )
    order = (F("effective_from").desc(nulls_last=True), "-version")
    if agency_id:
        own = in_force.filter(agency_id=agency_id).order_by(*order).first()
        if own is not None:
            return own
    return in_force.filter(agency__isnull=True).order_by(*order).first()
