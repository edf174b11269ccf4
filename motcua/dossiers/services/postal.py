"""The post brings a result back undelivered: it waits at the counter again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers.choices import DeliveryChannel
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Actor, authorize
from motcua.dossiers.services.common import instant, lock_dossier, move, record_event, require


@transaction.atomic
def dossier_postal_return(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    postal_tracking: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """A result sent by post came back: the applicant now collects it at the counter."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.POSTAL_RETURN, dossier)
    from_state, _to = move(dossier, E.POSTAL_RETURN, at)
    require(
        dossier.delivery_channel == DeliveryChannel.POSTAL,
        _("this dossier's result was not sent by post"),
    )
    dossier.delivery_channel = DeliveryChannel.COUNTER
    dossier.save(update_fields=["state", "delivery_channel"])
    record_event(
        dossier=dossier,
        type=E.POSTAL_RETURN,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "postal_tracking": postal_tracking,
            "reason": reason,
            "delivery_channel": DeliveryChannel.COUNTER,
        },
    )
    return dossier
