"""Reads of the catalogue. The agency tree is small (thousands of rows): walk it in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from motcua.catalog.models import Agency


def agency_children_map() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def agency_subtree_ids(
    *, roots: Iterable[int], children: dict[int | None, list[int]] | None = None
) -> set[int]:
    """The given agencies and all their descendants."""
    children = agency_children_map() if children is None else children
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return seen


def agency_get_by_code(*, code: str) -> Agency | None:
    return Agency.objects.select_related("level", "parent").filter(code=code).first()


def agency_list(*, ids: Iterable[int] | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("level", "parent")
    return qs if ids is None else qs.filter(pk__in=list(ids))
