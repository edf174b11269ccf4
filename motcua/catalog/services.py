"""Writes to the catalogue. Every function takes keyword-only typed arguments and validated data.

The bulk functions (`agencies_upsert`, `procedures_upsert`) are what the CSV imports use: a few
queries for the whole batch, never one SELECT per row. The single-object functions are thin
wrappers over them, so that both paths apply exactly the same rules.

None of these functions writes an audit row by itself: the caller (an import, an admin action)
records one `AuditLog` row for the whole operation, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db import transaction

from motcua.catalog.choices import OnlineClass, TimeUnit
from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure, ProcedureAssignment
from motcua.core.interchange import ImportResult

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
BATCH = 500

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = 2000) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class AgencySpec:
    """One agency as it should be after the write. `parent_code` must exist (batch or database)."""

    code: str
    name: str
    level_id: int
    parent_code: str | None = None
    abbreviation: str | None = None  # None: keep the agency's (a new one gets none)


@dataclass(frozen=True)
class ProcedureSpec:
    """One procedure as it should be after the write, with the agencies that must handle it.

    Assignments are only ever added: an agency missing from `agency_codes` keeps its assignment
    (dossiers may refer to it; removing a handling agency is a decision taken in the admin).
    """

    code: str
    name: str
    field_name: str
    processing_time: Decimal | None
    time_unit: str = TimeUnit.WORKING_DAYS
    one_way: bool = False
    online_class: str = OnlineClass.NONE
    postal_reception: bool = False
    postal_return: bool = False
    agency_codes: tuple[str, ...] = ()


# --- agencies -------------------------------------------------------------------------------


def _agency_ids_by_code(codes: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(codes))
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found.update(Agency.objects.filter(code__in=chunk).values_list("code", "pk"))
    return found


@transaction.atomic
def agencies_upsert(*, specs: Sequence[AgencySpec]) -> ImportResult:
    """Create or update agencies by code; the batch may reference parents in any order.

    The caller has checked that codes are unique, levels exist, parents exist and that the
    resulting tree has no cycle.
    """
    result = ImportResult()
    existing = Agency.objects.in_bulk([s.code for s in specs], field_name="code")
    new = [
        Agency(code=s.code, name=s.name, level_id=s.level_id, abbreviation=s.abbreviation or "")
        for s in specs
        if s.code not in existing
    ]
    Agency.objects.bulk_create(new, batch_size=BATCH)
    ids = {a.code: a.pk for a in existing.values()}
    ids.update(_agency_ids_by_code(a.code for a in new))
    outside = {s.parent_code for s in specs if s.parent_code and s.parent_code not in ids}
    ids.update(_agency_ids_by_code(outside))

    by_code = {a.code: a for a in new}
    changed: list[Agency] = []
    new_with_parent: list[Agency] = []
    for spec in specs:
        parent_id = ids[spec.parent_code] if spec.parent_code else None
        if spec.code in existing:
            agency = existing[spec.code]
            abbreviation = agency.abbreviation if spec.abbreviation is None else spec.abbreviation
            if (agency.name, agency.level_id, agency.parent_id, agency.abbreviation) == (
                spec.name,
                spec.level_id,
                parent_id,
                abbreviation,
            ):
                result.unchanged += 1
                continue
            agency.name, agency.level_id, agency.parent_id = spec.name, spec.level_id, parent_id
            agency.abbreviation = abbreviation
            changed.append(agency)
            result.updated += 1
        else:
            agency = by_code[spec.code]
            agency.pk = ids[spec.code]
            if parent_id is not None:
                agency.parent_id = parent_id
                new_with_parent.append(agency)
            result.created += 1
    Agency.objects.bulk_update(
        changed, ["name", "level", "parent", "abbreviation"], batch_size=BATCH
    )
    Agency.objects.bulk_update(new_with_parent, ["parent"], batch_size=BATCH)
    return result


def agency_upsert(
    *, code: str, name: str, level: AgencyLevel, parent: Agency | None = None
) -> tuple[Agency, str]:
    """Create or update one agency; returns it with 'created', 'updated' or 'unchanged'."""
    spec = AgencySpec(
        code=code, name=name, level_id=level.pk, parent_code=parent.code if parent else None
    )
    result = agencies_upsert(specs=[spec])
    status = CREATED if result.created else UPDATED if result.updated else UNCHANGED
    return Agency.objects.get(code=code), status


# --- fields and procedures ------------------------------------------------------------------


def fields_get_or_create(*, names: Iterable[str]) -> dict[str, int]:
    """The ids of the fields with these names, creating the missing ones."""
    wanted = sorted(set(names))
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found.update(Field.objects.filter(name__in=chunk).values_list("name", "pk"))
    missing = [Field(name=name) for name in wanted if name not in found]
    if missing:
        Field.objects.bulk_create(missing, batch_size=BATCH)
        for chunk in _chunks([f.name for f in missing]):
            found.update(Field.objects.filter(name__in=chunk).values_list("name", "pk"))
    return found


PROCEDURE_COLUMNS = (
    "name",
    "field_id",
    "processing_time",
    "time_unit",
    "one_way",
    "online_class",
    "postal_reception",
    "postal_return",
)


def _procedure_values(spec: ProcedureSpec, field_ids: dict[str, int]) -> dict[str, object]:
    return {
        "name": spec.name,
        "field_id": field_ids[spec.field_name],
        "processing_time": spec.processing_time,
        "time_unit": spec.time_unit,
        "one_way": spec.one_way,
        "online_class": spec.online_class,
        "postal_reception": spec.postal_reception,
        "postal_return": spec.postal_return,
    }


@transaction.atomic
def procedures_upsert(*, specs: Sequence[ProcedureSpec]) -> ImportResult:
    """Create or update procedures by code and add their missing agency assignments.

    A procedure counts as updated when one of its own attributes changed or an assignment was
    added. The caller has checked the values, and that every agency code exists.
    """
    result = ImportResult()
    field_ids = fields_get_or_create(names=(s.field_name for s in specs))
    existing = Procedure.objects.in_bulk([s.code for s in specs], field_name="code")
    new = [
        Procedure(code=s.code, **_procedure_values(s, field_ids)).refresh_search_text()
        for s in specs
        if s.code not in existing
    ]
    Procedure.objects.bulk_create(new, batch_size=BATCH)
    changed: list[Procedure] = []
    touched: set[str] = set()
    for spec in specs:
        procedure = existing.get(spec.code)
        if procedure is None:
            continue
        values = _procedure_values(spec, field_ids)
        if any(getattr(procedure, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(procedure, name, value)
            changed.append(procedure.refresh_search_text())
            touched.add(spec.code)
    fields = [c.removesuffix("_id") for c in PROCEDURE_COLUMNS] + ["search_text"]
    Procedure.objects.bulk_update(changed, fields, batch_size=BATCH)

    procedure_ids = {p.code: p.pk for p in existing.values()}
    for chunk in _chunks([p.code for p in new]):
        procedure_ids.update(Procedure.objects.filter(code__in=chunk).values_list("code", "pk"))
    agency_ids = _agency_ids_by_code(code for s in specs for code in s.agency_codes)
    assigned: set[tuple[int, int]] = set()
    for chunk in _chunks([p.pk for p in existing.values()]):
        assigned.update(
            ProcedureAssignment.objects.filter(procedure_id__in=chunk).values_list(
                "procedure_id", "agency_id"
            )
        )
    assignments: list[ProcedureAssignment] = []
    for spec in specs:
        for agency_code in spec.agency_codes:
            pair = (procedure_ids[spec.code], agency_ids[agency_code])
            if pair not in assigned:
                assigned.add(pair)
                assignments.append(ProcedureAssignment(procedure_id=pair[0], agency_id=pair[1]))
                touched.add(spec.code)
    ProcedureAssignment.objects.bulk_create(assignments, batch_size=BATCH)

    result.created = len(new)
    new_codes = {p.code for p in new}
    result.updated = len(touched - new_codes)
    result.unchanged = len(specs) - result.created - result.updated
    return result


def procedure_upsert(*, spec: ProcedureSpec) -> tuple[Procedure, str]:
    """Create or update one procedure; returns it with 'created', 'updated' or 'unchanged'."""
    result = procedures_upsert(specs=[spec])
    status = CREATED if result.created else UPDATED if result.updated else UNCHANGED
    return Procedure.objects.get(code=spec.code), status
