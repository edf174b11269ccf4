"""The pre-check of online submissions: accept (received: code and deadline), refuse, or
return to the applicant for changes; and the applicant's resubmission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.generations import memo_scope
from motcua.dossiers.choices import DossierState
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Actor, authorize
from motcua.dossiers.services.common import (
    instant,
    lock_dossier,
    move,
    record_event,
    require,
)
from motcua.dossiers.services.reception import _receive


@memo_scope()
@transaction.atomic
def dossier_precheck_accept(
    *, dossier: Dossier | int, actor: Actor | None, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The officer accepts an online submission: it is received (code, due date) or filed."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.PRECHECK_ACCEPT, dossier)
    action = E.FILE if dossier.one_way and dossier.state == DossierState.SUBMITTED else None
    action = action or E.PRECHECK_ACCEPT
    from_state, _to = move(dossier, action, at)
    payload = _receive(dossier, at=at)
    payload["note"] = note
    dossier.save()
    record_event(
        dossier=dossier, type=action, actor=actor, at=at, from_state=from_state, payload=payload
    )
    return dossier


def _precheck_with_reason(
    dossier: Dossier | int, actor: Actor | None, action: str, reason: str, at: dt.datetime
) -> Dossier:
    """A pre-check move that keeps the submission unreceived and tells the applicant why."""
    dossier = lock_dossier(dossier)
    authorize(actor, action, dossier)
    from_state, _to = move(dossier, action, at)
    dossier.save(update_fields=["state"])
    record_event(
        dossier=dossier,
        type=action,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={"reason": reason},
    )
    return dossier


@transaction.atomic
def dossier_precheck_refuse(
    *, dossier: Dossier | int, actor: Actor | None, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """The officer refuses an online submission (guidance given): never received, no code."""
    require(bool(reason.strip()), _("a reason is required to refuse a submission"))
    return _precheck_with_reason(dossier, actor, E.PRECHECK_REFUSE, reason, instant(at))


@transaction.atomic
def dossier_precheck_return(
    *, dossier: Dossier | int, actor: Actor | None, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """Pre-check "needs changes": the online submission goes back to the applicant with what to
    fix (still not received: no code, no deadline)."""
    require(bool(reason.strip()), _("say what the applicant must fix"))
    return _precheck_with_reason(dossier, actor, E.PRECHECK_RETURN, reason, instant(at))


@transaction.atomic
def dossier_resubmit(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    documents_submitted: Iterable[int] = (),
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant has corrected a returned submission: it waits for the pre-check again.
    ``documents_submitted`` lists the checklist rows (DossierDocument ids) now handed in."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.RESUBMIT, dossier)
    from_state, _to = move(dossier, E.RESUBMIT, at)
    dossier.save(update_fields=["state"])
    handed = sorted(set(documents_submitted))
    if handed:
        dossier.documents.filter(pk__in=handed).update(submitted=True)
    record_event(
        dossier=dossier,
        type=E.RESUBMIT,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={"note": note, "documents": handed},
    )
    return dossier
