"""Apology letters (*thư xin lỗi*): a late dossier's new appointment, on a working day."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import (
    Apology,
    Dossier,
)
from motcua.dossiers.permissions import (
    Actor,
    authorize,
)
from motcua.dossiers.services.common import (
    calendar_of,
    instant,
    iso,
    lock_dossier,
    move,
    record_event,
    require,
)


@transaction.atomic
def dossier_apologize(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    new_due_at: dt.datetime,
    reason: str,
    at: dt.datetime | None = None,
) -> Apology:
    """Issue the apology letter with a new appointment (form 04). The law wants it before the
    deadline; a later one is accepted and flagged ``issued_late``. The due date does not move."""
    at = instant(at)
    new_due_at = instant(new_due_at)
    require(bool(reason.strip()), _("an apology needs its reason"))
    dossier = lock_dossier(dossier)
    authorize(actor, E.APOLOGIZE, dossier)
    from_state, _to = move(dossier, E.APOLOGIZE, at)
    require(dossier.due_at is not None, _("this dossier has no due date"))
    require(
        new_due_at > dossier.due_at and new_due_at > at,
        _("the new appointment must be after the current due date and after the letter"),
    )
    calendar = calendar_of(dossier.agency_id)
    day = new_due_at.astimezone(calendar.tz).date()
    require(
        calendar.is_working_day(day),
        _("the new appointment (%(day)s) is not a working day of %(agency)s")
        % {"day": day.strftime("%d/%m/%Y"), "agency": dossier.agency},
    )
    apology = Apology.objects.create(
        dossier=dossier,
        issued_at=at,
        new_due_at=new_due_at,
        reason=reason,
        issued_late=at > dossier.due_at,
    )
    record_event(
        dossier=dossier,
        type=E.APOLOGIZE,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "apology_id": apology.pk,
            "new_due_at": iso(new_due_at),
            "issued_late": apology.issued_late,
            "reason": reason,
        },
    )
    return apology
