"""Reads about synchronisation: backlog, lag and failures per peer; sync timeliness; the
dossiers synchronised with the national portal in real time (Decision 766 criterion 1.2)."""

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
    QuerySet,
    Subquery,
)
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.integrations.adapters import adapter
from motcua.integrations.adapters.national import DOSSIER as STATUS_KIND
from motcua.integrations.models import OutboxMessage, OutboxStatus, Peer, PostalOrder

# "Real time": a message counts as synchronised in real time when the peer had it within this
# many seconds of the change that caused it (the first bucket of ``sync_timeliness``; decisions.md
# #17, criterion 1.2).
REALTIME_SECONDS = 60


def outbox_backlog(*, now: dt.datetime | None = None) -> dict[str, dict[str, float]]:
    """Per configured-or-not peer: messages waiting to be sent, parked after failing, and the
    lag (seconds since the oldest waiting message was queued; 0 when none waits). Reads only
    the pending and failed rows (partial and status indexes), so ``/metrics`` may ask often."""
    now = now or timezone.now()
    rows = (
        OutboxMessage.objects.filter(status__in=(OutboxStatus.PENDING, OutboxStatus.FAILED))
        .values("peer")
        .annotate(
            waiting=Count("id", filter=Q(status=OutboxStatus.PENDING)),
            failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
            oldest_waiting=Min("created_at", filter=Q(status=OutboxStatus.PENDING)),
        )
    )
    by_peer = {r["peer"]: r for r in rows}
    out = {}
    for peer in Peer:
        r = by_peer.get(peer.value, {})
        oldest = r.get("oldest_waiting")
        out[peer.value] = {
            "waiting": r.get("waiting", 0),
            "failed": r.get("failed", 0),
            "lag_seconds": max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        }
    return out


def peer_summary(*, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per peer: messages waiting, parked, sent in the last hour, the age of the oldest waiting
    one (the lag, ``outbox_backlog``) and the latest delivery."""
    now = now or timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    backlog = outbox_backlog(now=now)
    rows = OutboxMessage.objects.values("peer").annotate(
        sent_last_hour=Count("id", filter=Q(status=OutboxStatus.SENT, sent_at__gte=hour_ago)),
        last_sent=Max("sent_at"),
    )
    by_peer = {r["peer"]: r for r in rows}
    out = []
    for peer in Peer:
        r = by_peer.get(peer.value, {})
        out.append(
            {
                "peer": peer.value,
                "label": peer.label,
                **backlog[peer.value],
                "sent_last_hour": r.get("sent_last_hour", 0),
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
        if lag <= REALTIME_SECONDS:
            out["within_minute"] += 1
        else:
            out["within_hour" if lag <= 3600 else "later"] += 1
    return out


def national_sync_enabled() -> bool:
    """Whether this deployment reports to the national portal (``MOTCUA_NATIONAL_URL``)."""
    return bool(adapter(Peer.NATIONAL).enabled())


def _lag() -> ExpressionWrapper:
    return ExpressionWrapper(F("sent_at") - F("created_at"), output_field=DurationField())


def late_q(now: dt.datetime) -> Q:
    """Messages the peer did not have within ``REALTIME_SECONDS`` of being queued: sent later,
    or still not sent (waiting or parked) that long after. One still waiting, queued less than
    ``REALTIME_SECONDS`` before ``now``, is not late (yet)."""
    limit = dt.timedelta(seconds=REALTIME_SECONDS)
    return Q(status=OutboxStatus.SENT, lag__gt=limit) | (
        ~Q(status=OutboxStatus.SENT) & Q(created_at__lt=now - limit)
    )


def status_messages(
    *, agency_ids: set[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[OutboxMessage]:
    """The dossier-status messages (``DongBoHoSoMC``: reception and every change of state) to
    the national portal queued in [start, end), of dossiers handled by ``agency_ids``; each
    with its ``lag`` (sent − queued) as an alias."""
    # The handling agency is looked up per message through the dossier's primary key (a
    # correlated subquery) rather than joined: a join lets the planner scan the whole dossier
    # table for a month's messages (docs/performance.md). Every status is named so that the
    # (peer, status, created_at) index serves the date range.
    handler = Subquery(
        Dossier.objects.filter(pk=OuterRef("dossier_id")).order_by().values("agency_id")[:1]
    )
    return (
        OutboxMessage.objects.filter(
            peer=Peer.NATIONAL,
            status__in=OutboxStatus.values,
            kind=STATUS_KIND,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(handling_agency=handler)
        .filter(handling_agency__in=agency_ids)
        .alias(lag=_lag())
    )


def realtime_sync_by_agency(
    *, agency_ids: set[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Per handling agency: (dossiers whose every status message of [start, end) reached the
    national portal within ``REALTIME_SECONDS``, dossiers with a status message in [start, end))."""
    now = now or timezone.now()
    rows = (
        status_messages(agency_ids=agency_ids, start=start, end=end)
        .order_by()
        .values("handling_agency")
        .annotate(
            n=Count("dossier_id", distinct=True),
            late=Count("dossier_id", distinct=True, filter=late_q(now)),
        )
    )
    return {r["handling_agency"]: (r["n"] - r["late"], r["n"]) for r in rows}


def late_synced_dossier_ids(
    *, agency_ids: set[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> QuerySet[OutboxMessage]:
    """The ids of the dossiers of ``realtime_sync_by_agency`` that were not synchronised in
    real time (a values queryset, for ``pk__in``)."""
    now = now or timezone.now()
    return (
        status_messages(agency_ids=agency_ids, start=start, end=end)
        .filter(late_q(now))
        .order_by()
        .values("dossier_id")
    )


def postal_delivery_tracking(dossier_pk: OuterRef) -> Subquery:
    """The tracking number the postal operator gave for the delivery of a dossier's result (an
    expression, to annotate a dossier query with); NULL before the order is known."""
    from motcua.integrations.adapters.postal import DELIVERY

    orders = PostalOrder.objects.filter(dossier=dossier_pk, kind=DELIVERY).exclude(tracking="")
    return Subquery(orders.order_by("-id").values("tracking")[:1])
