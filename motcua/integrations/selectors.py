"""Reads about synchronisation: backlog, lag and failures per peer; sync timeliness."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from motcua.integrations.models import OutboxMessage, OutboxStatus, Peer, PostalOrder


def peer_summary(*, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per peer: messages waiting, parked, sent in the last hour, the age of the oldest waiting
    one (the lag) and the latest delivery."""
    now = now or timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    rows = OutboxMessage.objects.values("peer").annotate(
        waiting=Count("id", filter=Q(status=OutboxStatus.PENDING)),
        failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
        sent_last_hour=Count("id", filter=Q(status=OutboxStatus.SENT, sent_at__gte=hour_ago)),
        oldest_waiting=Min("created_at", filter=Q(status=OutboxStatus.PENDING)),
        last_sent=Max("sent_at"),
    )
    by_peer = {r["peer"]: r for r in rows}
    out = []
    for peer in Peer:
        r = by_peer.get(peer.value, {})
        oldest = r.get("oldest_waiting")
        out.append(
            {
                "peer": peer.value,
                "label": peer.label,
                "waiting": r.get("waiting", 0),
                "failed": r.get("failed", 0),
                "sent_last_hour": r.get("sent_last_hour", 0),
                "lag_seconds": (now - oldest).total_seconds() if oldest else 0.0,
                "last_sent": r.get("last_sent"),
            }
        )
    return out


def sync_timeliness(*, peer: str = Peer.NATIONAL) -> dict[str, int]:
    """Dossiers by how soon all their messages reached ``peer``: within 1 minute / 1 hour /
    later (the slowest of their messages), or never (one of them is not delivered yet)."""
    out = {"within_minute": 0, "within_hour": 0, "later": 0, "never": 0}
    rows = (
        OutboxMessage.objects.filter(peer=peer)
        .values("dossier_id")
        .annotate(
            unsent=Count("id", filter=~Q(status=OutboxStatus.SENT)),
            worst=Max(
                ExpressionWrapper(F("sent_at") - F("created_at"), output_field=DurationField())
            ),
        )
        .values_list("unsent", "worst")
    )
    for unsent, worst in rows.iterator():
        if unsent or worst is None:
            out["never"] += 1
            continue
        lag = worst.total_seconds()
        out["within_minute" if lag <= 60 else "within_hour" if lag <= 3600 else "later"] += 1
    return out


def postal_delivery_tracking(dossier_pk: OuterRef) -> Subquery:
    """The tracking number the postal operator gave for the delivery of a dossier's result (an
    expression, to annotate a dossier query with); NULL before the order is known."""
    from motcua.integrations.adapters.postal import DELIVERY

    orders = PostalOrder.objects.filter(dossier=dossier_pk, kind=DELIVERY).exclude(tracking="")
    return Subquery(orders.order_by("-id").values("tracking")[:1])
