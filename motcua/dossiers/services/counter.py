"""Counter closures: a unit suspends reception at its counter for a period."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.audit import audit_record
from motcua.dossiers.models import (
    CounterClosure,
)
from motcua.dossiers.permissions import (
    COUNTER_CLOSURE,
    Actor,
    authorize_agency,
)
from motcua.dossiers.services.common import (
    agency_of,
    require,
)


@transaction.atomic
def counter_closure_create(
    *, actor: Actor | None, agency: Agency | int, start: dt.date, end: dt.date, reason: str
) -> CounterClosure:
    """Suspend counter reception at a unit (and the units below it) from ``start`` to ``end``."""
    agency = agency_of(agency)
    authorize_agency(actor, COUNTER_CLOSURE, agency)
    require(end >= start, _("the closure must end on or after its first day"))
    require(bool(reason.strip()), _("a counter closure needs its reason"))
    closure = CounterClosure.objects.create(agency=agency, start=start, end=end, reason=reason)
    audit_record(
        actor=actor,
        action="counter_closure.create",
        obj=closure,
        payload={"start": start.isoformat(), "end": end.isoformat(), "reason": reason},
    )
    return closure
