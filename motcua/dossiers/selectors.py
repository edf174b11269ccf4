"""Reads of dossiers. Every queryset reaching a page or the API goes through these (scoped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import ALL, user_agency_ids
from motcua.core.errors import NotFound
from motcua.core.localtime import day_start
from motcua.dossiers.choices import OPEN_STATES, DeadlineStatus
from motcua.dossiers.deadlines import deadline_day_aliases, open_deadline_q, resolved_deadline_q
from motcua.dossiers.models import Apology, CounterClosure, Dossier, DossierEvent, Handover
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
