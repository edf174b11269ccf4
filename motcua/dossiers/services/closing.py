"""Closing a dossier: refusal, withdrawal, stopping (Decree 118/2025), resolution, delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers.choices import DeliveryChannel, Outcome
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Actor, authorize
from motcua.dossiers.services.common import (
    check_postal,
    instant,
    iso,
    lock_dossier,
    move,
    record_event,
    require,
)


def _close(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    action: str,
    outcome: str,
    at: dt.datetime | None,
    payload: dict[str, Any],
) -> Dossier:
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, action, dossier)
    from_state, _to = move(dossier, action, at)
    paused_at = dossier.paused_at
    dossier.outcome, dossier.closed_at, dossier.paused_at = outcome, at, None
    dossier.save(update_fields=["state", "outcome", "closed_at", "paused_at"])
    payload = {**payload, "outcome": outcome, "due_at": iso(dossier.due_at)}
    if paused_at is not None:
        payload["paused_at"] = iso(paused_at)
    record_event(
        dossier=dossier, type=action, actor=actor, at=at, from_state=from_state, payload=payload
    )
    return dossier


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier | int, actor: Actor | None, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """Return the dossier: it does not meet the conditions (refused)."""
    require(bool(reason.strip()), _("a reason is required to refuse a dossier"))
    return _close(
        dossier=dossier,
        actor=actor,
        action=E.REFUSE,
        outcome=Outcome.REFUSED,
        at=at,
        payload={"reason": reason},
    )


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier | int, actor: Actor | None, reason: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The applicant withdraws the dossier."""
    return _close(
        dossier=dossier,
        actor=actor,
        action=E.WITHDRAW,
        outcome=Outcome.WITHDRAWN,
        at=at,
        payload={"reason": reason},
    )


@transaction.atomic
def dossier_stop(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    reason: str,
    notice_number: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Stop processing without a result (dừng giải quyết, Decree 118/2025) with its notice."""
    require(bool(reason.strip()), _("a reason is required to stop a dossier"))
    return _close(
        dossier=dossier,
        actor=actor,
        action=E.STOP,
        outcome=Outcome.STOPPED,
        at=at,
        payload={"reason": reason, "notice_number": notice_number},
    )


@transaction.atomic
def dossier_resolve(
    *, dossier: Dossier | int, actor: Actor | None, result: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The agency finished: the result (decision, licence, answer) is ready to hand out."""
    return _close(
        dossier=dossier,
        actor=actor,
        action=E.RESOLVE,
        outcome=Outcome.RESOLVED,
        at=at,
        payload={"result": result},
    )


@transaction.atomic
def dossier_deliver(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    delivery_channel: str = "",
    postal_tracking: str = "",
    delivery_address: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant received the result: at the counter, by post (tracking number) or online.

    ``delivery_channel`` defaults to the one the applicant chose at reception."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.DELIVER, dossier)
    from_state, _to = move(dossier, E.DELIVER, at)
    delivery_channel = delivery_channel or dossier.delivery_channel
    require(bool(delivery_channel), _("say how the result was delivered"))
    require(
        delivery_channel in DeliveryChannel.values,
        _("unknown result delivery channel %(value)r") % {"value": delivery_channel},
    )
    require(
        delivery_channel != DeliveryChannel.POSTAL or bool(postal_tracking.strip()),
        _("a postal delivery needs its tracking number"),
    )
    if delivery_channel != dossier.delivery_channel:
        # A channel chosen and accepted at reception stands; a new choice follows today's rule.
        check_postal(procedure=dossier.procedure, channel="", delivery_channel=delivery_channel)
    dossier.delivered_at = at
    dossier.delivery_channel = delivery_channel
    dossier.postal_tracking = postal_tracking.strip()
    if delivery_address:
        dossier.delivery_address = delivery_address
    dossier.save(
        update_fields=[
            "state",
            "delivered_at",
            "delivery_channel",
            "postal_tracking",
            "delivery_address",
        ]
    )
    record_event(
        dossier=dossier,
        type=E.DELIVER,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "delivery_channel": delivery_channel,
            "postal_tracking": dossier.postal_tracking,
            "delivery_address": dossier.delivery_address,
        },
    )
    return dossier
