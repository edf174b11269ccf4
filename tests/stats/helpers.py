"""Dossier histories for counting, written straight with the ORM (bulk, fast).

The statistics read the projection fields of ``Dossier`` and its supplement waits, apologies
and ratings; these helpers set exactly those, the way the services leave them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from motcua.catalog.models import Agency, AgencyLevel, Procedure
from motcua.core.localtime import LOCAL_TZ as VN
from motcua.dossiers.choices import DossierState, Outcome
from motcua.dossiers.models import Apology, Dossier, Handover, Rating, SupplementWait
from tests.catalog.factories import AgencyFactory, ProcedureFactory


def at(*args: int) -> dt.datetime:
    """A local instant: at(2025, 3, 1, 9) → 2025-03-01 09:00 +07:00."""
    return dt.datetime(*args, tzinfo=VN)


def agency(code: str, *, parent: Agency | None = None, name: str = "", level: str = "") -> Agency:
    level_obj = AgencyLevel.objects.get(
        code=level or ("province" if parent is None else "provincial_agency")
    )
    return AgencyFactory(code=code, name=name or code, parent=parent, level=level_obj)


def procedure(**kwargs) -> Procedure:
    return ProcedureFactory(**kwargs)


@dataclass
class Wait:
    requested_at: dt.datetime
    received_at: dt.datetime | None = None
    due_before: dt.datetime | None = None
    due_after: dt.datetime | None = None


@dataclass
class Spec:
    """One dossier's history as the statistics see it."""

    agency: Agency
    procedure: Procedure
    received_at: dt.datetime | None
    due_at: dt.datetime | None = None
    outcome: str = ""
    closed_at: dt.datetime | None = None
    channel: str = "direct"
    online_class: str = "none"
    one_way: bool = False
    delivered_at: dt.datetime | None = None
    delivery_channel: str = ""
    code: str = ""
    note: str = ""
    waits: Sequence[Wait] = field(default_factory=list)
    apology: tuple[dt.datetime, dt.datetime] | None = None
    receiving_unit: Agency | None = None


STATE = {
    Outcome.RESOLVED: DossierState.RESOLVED,
    Outcome.REFUSED: DossierState.REFUSED,
    Outcome.WITHDRAWN: DossierState.WITHDRAWN,
    Outcome.STOPPED: DossierState.STOPPED,
    Outcome.FILED: DossierState.FILED,
}


def build(specs: Iterable[Spec]) -> list[Dossier]:
    """Create the dossiers (and their waits and apologies) in a few bulk inserts."""
    specs = list(specs)
    objs = []
    for s in specs:
        if s.delivered_at is not None:
            state = DossierState.DELIVERED
        elif s.outcome:
            state = STATE[s.outcome]
        elif s.received_at is None:
            state = DossierState.SUBMITTED
        elif any(w.received_at is None for w in s.waits):
            state = DossierState.AWAITING_SUPPLEMENT
        else:
            state = DossierState.IN_PROCESS
        objs.append(
            Dossier(
                code=s.code or None,
                agency=s.agency,
                procedure=s.procedure,
                channel=s.channel,
                online_class=s.online_class,
                one_way=s.one_way,
                received_at=s.received_at,
                due_at=s.due_at,
                state=state,
                outcome=s.outcome,
                closed_at=s.closed_at,
                delivered_at=s.delivered_at,
                delivery_channel=s.delivery_channel,
                note=s.note,
                receiving_unit=s.receiving_unit,
            )
        )
    created = Dossier.objects.bulk_create(objs, batch_size=500)
    if created and created[0].pk is None:  # backends that do not return keys
        created = list(Dossier.objects.order_by("pk"))[-len(objs) :]
    waits, apologies = [], []
    for d, s in zip(created, specs, strict=True):
        waits += [SupplementWait(dossier=d, **vars(w)) for w in s.waits]
        if s.apology:
            apologies.append(Apology(dossier=d, issued_at=s.apology[0], new_due_at=s.apology[1]))
    SupplementWait.objects.bulk_create(waits, batch_size=500)
    Apology.objects.bulk_create(apologies, batch_size=500)
    return created


def rate(agency: Agency, value: str, when: dt.datetime, n: int = 1) -> None:
    Rating.objects.bulk_create([Rating(agency=agency, value=value, at=when) for _ in range(n)])


def handover(
    dossier: Dossier,
    sender: Agency,
    receiver: Agency,
    sent_at: dt.datetime,
    accepted_at: dt.datetime | None = None,
) -> Handover:
    return Handover.objects.create(
        dossier=dossier,
        from_agency=sender,
        to_agency=receiver,
        sent_at=sent_at,
        accepted_at=accepted_at,
    )
