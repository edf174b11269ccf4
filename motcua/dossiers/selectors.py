"""Reads of dossiers. Every queryset reaching a page or the API goes through these (scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import ALL, user_agency_ids
from motcua.catalog.models import Agency, Field, Procedure, ProcedureAssignment
from motcua.catalog.selectors import procedure_text_q
from motcua.core.errors import NotFound
from motcua.core.localtime import day_start
from motcua.dossiers.choices import OPEN_STATES, DeadlineStatus
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.deadlines import deadline_day_aliases, open_deadline_q, resolved_deadline_q
from motcua.dossiers.models import Apology, CounterClosure, Dossier, DossierEvent, Handover
from motcua.dossiers.permissions import may_receive
from motcua.dossiers.search import dossier_text_q


def _scoped(qs: QuerySet[Dossier], *, user: Any) -> QuerySet[Dossier]:
    """Dossiers the user's agencies handle, received at one of the user's units, or handed over
    to one of the user's agencies and not yet accepted (its incoming list)."""
    ids = user_agency_ids(user=user)
    if ids is ALL:
        return qs
    incoming = Handover.objects.filter(
        dossier=OuterRef("pk"), accepted_at__isnull=True, to_agency_id__in=ids
    )
    return qs.filter(Q(agency_id__in=ids) | Q(receiving_unit_id__in=ids) | Exists(incoming))


def dossier_list(
    *,
    user: Any,
    state: str | list[str] | None = None,
    agency_id: int | None = None,
    procedure_id: int | None = None,
    channel: str | None = None,
    q: str | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    open_only: bool = False,
    assignee_id: int | None = None,
) -> QuerySet[Dossier]:
    """Dossiers visible to ``user``, newest reception first, filtered as asked.

    ``q`` matches the code, the applicant's name or ID number; dates are local reception days
    (both included)."""
    qs = _scoped(Dossier.objects.all(), user=user).select_related(
        "agency", "receiving_unit", "procedure", "assignee", "current_step"
    )
    if state:
        qs = qs.filter(state__in=[state] if isinstance(state, str) else state)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    if channel:
        qs = qs.filter(channel=channel)
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    if q:
        qs = qs.filter(dossier_text_q(q.strip()))
    if received_from is not None:
        qs = qs.filter(received_at__gte=day_start(received_from))
    if received_to is not None:
        qs = qs.filter(received_at__lt=day_start(received_to + dt.timedelta(days=1)))
    return qs


def dossier_get(*, user: Any, pk: int | None = None, code: str | None = None) -> Dossier:
    """One dossier visible to ``user`` by id or code; NotFound otherwise (also when hidden)."""
    if pk is None and not code:
        raise NotFound(_("say which dossier: its id or its code"))
    qs = _scoped(Dossier.objects.all(), user=user).select_related(
        "agency", "receiving_unit", "procedure", "process", "assignee", "current_step"
    )
    lookup = {"pk": pk} if pk is not None else {"code": code}
    try:
        return qs.get(**lookup)
    except (Dossier.DoesNotExist, ValueError):
        raise NotFound(
            _("dossier %(ref)s not found") % {"ref": pk if pk is not None else code}
        ) from None


def dossier_events(*, dossier: Dossier | int) -> QuerySet[DossierEvent]:
    """The dossier's history in order (the process control sheet, form 05)."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    return DossierEvent.objects.filter(dossier_id=pk).select_related("actor").order_by("seq")


def dossier_events_brief(*, dossier_id: int) -> QuerySet[DossierEvent]:
    """The dossier's events in order with only their type, instant and payload (no actor): what
    the citizen portal derives its page from."""
    return (
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .only("seq", "type", "at", "payload")
        .order_by("seq")
    )


def dossier_lookup_public(*, code: str, id_number: str) -> Dossier | None:
    """The citizen portal's look-up: the dossier only when its code AND the applicant's ID
    number both match."""
    code, id_number = (code or "").strip(), (id_number or "").strip()
    if not code or not id_number:
        return None
    return (
        Dossier.objects.select_related("agency", "procedure")
        .filter(code=code, applicant_id_number=id_number)
        .first()
    )


def dossier_late_without_apology(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Late dossiers with no apology letter: open and overdue (clock running), or resolved
    late (the rules of :mod:`motcua.dossiers.deadlines`)."""
    now = now or timezone.now()
    apologized = Apology.objects.filter(dossier=OuterRef("pk"))
    qs = _scoped(Dossier.objects.alias(**deadline_day_aliases()), user=user)
    open_overdue = open_deadline_q(DeadlineStatus.OVERDUE, now=now)
    resolved_late = resolved_deadline_q(DeadlineStatus.LATE)
    return (
        qs.filter(open_overdue | resolved_late)
        .exclude(Exists(apologized))
        .select_related("agency", "procedure")
        .order_by("due_at")
    )


def counter_closure_list(*, agency_id: int | None = None) -> QuerySet[CounterClosure]:
    qs = CounterClosure.objects.select_related("agency")
    return qs if agency_id is None else qs.filter(agency_id=agency_id)


# --- reception: what this officer may receive ------------------------------------------------


def receivable_procedures(*, user: Any) -> QuerySet[Procedure]:
    """Procedures ``user`` may receive: in force, handled by some agency, and received (or
    filed, for one-way ones) where the permission table lets the user (``may_receive``)."""
    kinds = [
        one_way
        for one_way, action in ((False, E.RECEIVE), (True, E.FILE))
        if may_receive(user, action)
    ]
    handled = ProcedureAssignment.objects.filter(procedure=OuterRef("pk"))
    return Procedure.objects.filter(Exists(handled), is_active=True, one_way__in=kinds)


def reception_agency(*, user: Any, agencies: list[Agency]) -> Agency | None:
    """The handling agency a reception of ``user`` is for by default: the first (by code) of
    the user's own agencies that handles it, else the only one; None when the officer chooses."""
    ids = user_agency_ids(user=user)
    ordered = sorted(agencies, key=lambda a: a.code)
    own = next((a for a in ordered if ids is ALL or a.pk in ids), None)
    if own is not None:
        return own
    return ordered[0] if len(ordered) == 1 else None


@dataclass
class ReceptionGroup:
    """Procedures of one field received for one agency (``agency`` None: several agencies
    handle each of them, the officer chooses after)."""

    field: Field
    agency: Agency | None
    choices: list[tuple[Procedure, int]] = dataclass_field(
        default_factory=list
    )  # (procedure, agencies)


def reception_choices(
    *, user: Any, q: str | None = None, limit: int = 30
) -> tuple[list[ReceptionGroup], int]:
    """The reception picker: receivable procedures matching ``q`` (code or name, without
    diacritics: ``catalog.selectors.procedure_text_q``), at most ``limit``, grouped by field
    and by the agency received for; and how many matched in all."""
    matched = receivable_procedures(user=user).filter(procedure_text_q(q))
    total = matched.count()
    procedures = list(matched.select_related("field").order_by("field__name", "code")[:limit])
    agencies: dict[int, list[Agency]] = {}
    rows = ProcedureAssignment.objects.filter(procedure__in=[p.pk for p in procedures])
    for row in rows.select_related("agency"):
        agencies.setdefault(row.procedure_id, []).append(row.agency)
    groups: dict[tuple[int, int | None], ReceptionGroup] = {}
    for procedure in procedures:
        handling = agencies.get(procedure.pk, [])
        agency = reception_agency(user=user, agencies=handling)
        key = (procedure.field_id, agency.pk if agency else None)
        group = groups.setdefault(key, ReceptionGroup(field=procedure.field, agency=agency))
        group.choices.append((procedure, len(handling)))
    fields = {p.field_id: i for i, p in reversed(list(enumerate(procedures)))}
    ordered = sorted(
        groups.values(),
        key=lambda g: (fields[g.field.pk], g.agency is None, g.agency.code if g.agency else ""),
    )
    return ordered, total
