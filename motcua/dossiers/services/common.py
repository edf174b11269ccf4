"""What every dossier service shares: locking, the clock, the one event per change."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.core.db import insert_row
from motcua.core.errors import MotcuaError, NotFound
from motcua.dossiers.audit import GENESIS, hash_of
from motcua.dossiers.choices import Channel, DeliveryChannel
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import NEW, transition
from motcua.integrations.outbox import queue_for_event
from motcua.worktime.calendar import WorkCalendar
from motcua.worktime.selectors import calendar_for_agency

M = TypeVar("M", bound=models.Model)


def instant(at: dt.datetime | None) -> dt.datetime:
    """``at`` or now; a naive ``at`` is read in the deployment's time zone."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        return timezone.make_aware(at)
    return at


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def get_instance(model: type[M], value: M | int, what: str) -> M:
    if isinstance(value, model):
        return value
    try:
        return model.objects.get(pk=value)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("%(what)s %(id)s does not exist") % {"what": what, "id": value}) from None


def agency_of(value: Agency | int) -> Agency:
    return get_instance(Agency, value, _("agency"))


def procedure_of(value: Procedure | int) -> Procedure:
    return get_instance(Procedure, value, _("procedure"))


def user_of(value: User | int | None) -> User | None:
    return None if value is None else get_instance(User, value, _("user"))


def lock_dossier(dossier: Dossier | int) -> Dossier:
    """The dossier, re-read and locked for the rest of the transaction."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    try:
        return Dossier.objects.select_for_update().get(pk=pk)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("dossier %(id)s does not exist") % {"id": pk}) from None


def calendar_of(agency_id: int | None) -> WorkCalendar:
    return calendar_for_agency(agency_id=agency_id)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise MotcuaError(message)


def move(
    dossier: Dossier, action: str, at: dt.datetime, *, last_at: dt.datetime | None = None
) -> tuple[str, str]:
    """Check ``action`` against the workflow and the clock; set and return (from, to) states.

    ``last_at``: the time of the dossier's last event when the caller wrote that event itself in
    this transaction (the dossier locked or new), so that it need not be read back."""
    from_state = dossier.state
    to_state = transition(from_state, action)
    if dossier.pk is not None:
        if last_at is None:
            last_at = dossier.events.aggregate(last=Max("at"))["last"]
        if last_at is not None and at < last_at:
            raise MotcuaError(
                _("the time %(at)s is before the dossier's last recorded step (%(last)s)")
                % {"at": _local(at), "last": _local(last_at)}
            )
    if dossier.received_at is not None and at < dossier.received_at:
        raise MotcuaError(_("the time is before the dossier's reception"))
    dossier.state = to_state
    return from_state, to_state


def record_event(
    *,
    dossier: Dossier,
    type: str,
    actor: User | None,
    at: dt.datetime,
    from_state: str,
    payload: dict[str, Any] | None = None,
    after: DossierEvent | None = None,
) -> DossierEvent:
    """Append the dossier's next event (seq = last + 1) in the caller's transaction, with the
    messages it causes to other systems (``integrations.outbox``, same transaction).

    ``after``: the dossier's last event when the caller recorded it itself in this transaction
    (the chain goes on from it without reading it back)."""
    if from_state == NEW:
        last, previous = 0, GENESIS
    elif after is not None:
        last, previous = after.seq, after.hash
    else:
        last, previous = _last_event(dossier)
    event = DossierEvent(
        dossier=dossier,
        seq=last + 1,
        type=type,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=from_state,
        to_state=dossier.state,
        payload=payload or {},
    )
    event.hash = hash_of(event, previous)
    insert_row(event)
    queue_for_event(dossier, event)
    return event


def _last_event(dossier: Dossier) -> tuple[int, str]:
    """The dossier's last event's seq and hash (the chain goes on from it)."""
    last = dossier.events.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS)


def check_postal(*, procedure: Procedure, channel: str, delivery_channel: str) -> None:
    """Post is for the procedures registered for public postal service (Decision 45/2016/QĐ-TTg):
    reception by post needs ``postal_reception``, results by post ``postal_return``."""
    if channel == Channel.POSTAL and not procedure.postal_reception:
        raise MotcuaError(
            _(
                "procedure %(code)s is not registered for reception by public postal service; "
                "receive it at the counter or online"
            )
            % {"code": procedure.code}
        )
    if delivery_channel == DeliveryChannel.POSTAL and not procedure.postal_return:
        raise MotcuaError(
            _(
                "procedure %(code)s is not registered for returning results by public postal "
                "service; choose the counter or online"
            )
            % {"code": procedure.code}
        )


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
