"""Queueing: the outbox rows an event causes, written in the event's own transaction.

``queue_for_event`` is called by ``dossiers.services.common.record_event`` for every event, so
every channel that changes a dossier through the services is covered; a rolled-back change
rolls its messages back with it. A peer that is not configured gets nothing queued.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.adapters import PEERS, adapter
from motcua.integrations.models import OutboxMessage


def enabled_peers() -> list[str]:
    return [peer for peer in PEERS if adapter(peer).enabled()]


def queue_for_event(dossier: Dossier, event: DossierEvent) -> list[OutboxMessage]:
    """Write the messages ``event`` causes for every configured peer (caller's transaction)."""
    rows: list[OutboxMessage] = []
    now = timezone.now()
    for peer in PEERS:
        module = adapter(peer)
        if not module.enabled():
            continue
        for kind, payload in module.messages_for_event(dossier, event):
            rows.append(
                OutboxMessage(
                    peer=peer,
                    kind=kind,
                    dossier_id=dossier.pk,
                    event_seq=event.seq,
                    payload=payload,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    if rows:
        OutboxMessage.objects.bulk_create(rows)
    return rows


# The peers that carry messages to applicants (their adapters offer messages_for_occasion).
NOTICE_PEERS = ("sms", "email")


def queue_notice(
    dossier: Dossier,
    occasion: str,
    values: Callable[[], dict[str, str]],
    *,
    seq: int = 0,
    secret: str = "",
) -> list[OutboxMessage]:
    """The messages of one occasion to the applicant, for every configured notice peer (caller's
    transaction). ``secret`` goes to ``OutboxMessage.secret``, never into the payload, and is
    wiped once the message is sent (``delivery``)."""
    now = timezone.now()
    rows = [
        OutboxMessage(
            peer=peer,
            kind=kind,
            dossier_id=dossier.pk,
            event_seq=seq,
            payload=payload,
            secret=secret,
            created_at=now,
            next_attempt_at=now,
        )
        for peer in NOTICE_PEERS
        if adapter(peer).enabled()
        for kind, payload in adapter(peer).messages_for_occasion(dossier, occasion, values)
    ]
    if rows:
        OutboxMessage.objects.bulk_create(rows)
    return rows


def queue(dossier: Dossier, peer: str, kind: str, payload: dict, seq: int = 0) -> OutboxMessage:
    """One message outside the event rules (a catch-up re-send); caller's transaction."""
    now = timezone.now()
    return OutboxMessage.objects.create(
        peer=peer,
        kind=kind,
        dossier_id=dossier.pk,
        event_seq=seq,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
