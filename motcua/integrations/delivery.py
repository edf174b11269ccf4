"""The delivery loop: sends due outbox messages, in order per dossier, in parallel across them.

One round: claim the due messages (a lease, so that two loops never send the same dossier's
messages at once and a killed loop's claims run out), send them from worker threads (HTTP only,
no database), then record every outcome from the main thread. A message is due when it is
waiting, its time has come and no earlier waiting message of the same dossier and peer is held
back (by a retry delay or another loop's claim). Parked (failed) messages do not hold later ones
back: the peer can take the newer state; an administrator can send the parked one again.

Outcomes: sent; retry (connection error, timeout, 5xx: exponential backoff with jitter, parked
after MOTCUA_SYNC_MAX_ATTEMPTS); refused (parked at once with the peer's answer). A batch the
peer refuses as a whole is sent again item by item, so only the refused items are parked.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import random
import socket
import threading
import uuid
from collections import defaultdict, deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from motcua.integrations.adapters import Outcome, adapter
from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.notices import fill_secret
from motcua.integrations.outbox import enabled_peers

log = logging.getLogger(__name__)
P = OutboxStatus.PENDING
BACKOFF_CAP_SECONDS = 3600.0


def backoff_seconds(attempts: int, *, base: float | None = None) -> float:
    """Delay before retry number ``attempts``: base · 2^(attempts−1), capped at one hour, then
    jittered to between half and all of it (so retries of many messages spread out)."""
    base = settings.MOTCUA_SYNC_BACKOFF_SECONDS if base is None else base
    delay = min(BACKOFF_CAP_SECONDS, base * (2 ** max(0, attempts - 1)))
    return delay * random.uniform(0.5, 1.0)


@dataclass
class RoundStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    parked: int = 0


@dataclass
class _Result:
    message: OutboxMessage
    outcome: Outcome | None  # None: not attempted (an earlier message of its dossier failed)


def _owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(peer: str, *, limit: int, lease: float) -> list[OutboxMessage]:
    """Claim up to ``limit`` due messages of ``peer``; each dossier's are a prefix in order."""
    now = timezone.now()
    waiting = OutboxMessage.objects.filter(peer=peer, status=P)
    # The first message of each dossier held back (retry delay or another loop's claim):
    # usually few, and each hides the later messages of its dossier.
    held = dict(
        waiting.filter(Q(next_attempt_at__gt=now) | Q(claimed_until__gt=now))
        .values("dossier_id")
        .annotate(first=Min("id"))
        .values_list("dossier_id", "first")
    )
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    due = waiting.filter(free, next_attempt_at__lte=now).order_by("id")
    ids: list[tuple[int, int]] = []
    after = 0
    while len(ids) < limit:
        page = list(due.filter(id__gt=after).values_list("id", "dossier_id")[: limit * 2])
        for pk, dossier_id in page:
            first_held = held.get(dossier_id)
            if first_held is None or pk < first_held:
                ids.append((pk, dossier_id))
                if len(ids) == limit:
                    break
        if len(page) < limit * 2:
            break
        after = page[-1][0]
    if not ids:
        return []
    owner = _owner()
    OutboxMessage.objects.filter(pk__in=[i for i, _d in ids], status=P).filter(free).update(
        claimed_until=now + dt.timedelta(seconds=lease), claimed_by=owner
    )
    got = {m.pk: m for m in OutboxMessage.objects.filter(claimed_by=owner)}
    # Another loop may have taken some rows in between: keep, per dossier, only the prefix of
    # the selected rows that this loop holds, and give the rest back.
    keep: list[OutboxMessage] = []
    release: list[int] = []
    broken: set[int] = set()
    for pk, dossier_id in ids:
        if pk in got and dossier_id not in broken:
            keep.append(got[pk])
        else:
            broken.add(dossier_id)
            if pk in got:
                release.append(pk)
    if release:
        OutboxMessage.objects.filter(pk__in=release).update(claimed_until=None, claimed_by="")
    return keep


def _send_group(peer: str, messages: list[OutboxMessage]) -> list[_Result]:
    """Send one group of dossiers' messages (worker thread: HTTP only, no database)."""
    module = adapter(peer)
    queues: dict[int, deque[OutboxMessage]] = defaultdict(deque)
    for m in messages:
        queues[m.dossier_id].append(m)
    results: list[_Result] = []

    def stop_stream(dossier_id: int) -> None:
        results.extend(_Result(m, None) for m in queues.pop(dossier_id, ()))

    while queues:
        if not module.BATCHABLE:
            for dossier_id in list(queues):
                while dossier_id in queues and queues[dossier_id]:
                    m = queues[dossier_id].popleft()
                    outcome = _safe_send(module, m.kind, [_wire(m)])
                    results.append(_Result(m, outcome))
                    if outcome.status == "retry":
                        stop_stream(dossier_id)
                queues.pop(dossier_id, None)
            break
        first = min((q[0] for q in queues.values()), key=lambda m: m.pk)
        kind = first.kind
        batch: list[OutboxMessage] = []
        for q in queues.values():
            while q and q[0].kind == kind:
                batch.append(q.popleft())
        outcome = _safe_send(module, kind, [_wire(m) for m in batch])
        if outcome.status == "refused" and len(batch) > 1:
            # Find the refused items: send them one by one, each dossier in order.
            retrying: set[int] = set()
            for m in batch:
                if m.dossier_id in retrying:
                    results.append(_Result(m, None))
                    continue
                one = _safe_send(module, kind, [_wire(m)])
                results.append(_Result(m, one))
                if one.status == "retry":
                    retrying.add(m.dossier_id)
            for dossier_id in retrying:
                stop_stream(dossier_id)
        else:
            results.extend(_Result(m, outcome) for m in batch)
            if outcome.status == "retry":
                for dossier_id in {m.dossier_id for m in batch}:
                    stop_stream(dossier_id)
        for dossier_id in [d for d, q in queues.items() if not q]:
            del queues[dossier_id]
    return results


def _wire(m: OutboxMessage) -> dict:
    """The payload as sent: a secret the message carries filled in (notices.fill_secret)."""
    return fill_secret(m.payload, m.secret)


def _safe_send(module, kind: str, payloads: list[dict]) -> Outcome:
    try:
        return module.send(kind, payloads)
    except Exception as exc:  # a bug or an unexpected answer must not stop the loop
        log.exception("sending %s failed", kind)
        return Outcome.retry(f"{type(exc).__name__}: {exc}"[:1000])


def _record(peer: str, results: Iterable[_Result], stats: RoundStats) -> None:
    now = timezone.now()
    max_attempts = settings.MOTCUA_SYNC_MAX_ATTEMPTS
    module = adapter(peer)
    sent: list[int] = []
    released: list[int] = []
    with transaction.atomic():
        for r in results:
            m, outcome = r.message, r.outcome
            if outcome is None:
                released.append(m.pk)
            elif outcome.status == "sent":
                sent.append(m.pk)
                if hasattr(module, "on_sent"):
                    module.on_sent(m.dossier_id, m.kind, m.payload, outcome.answer)
            else:
                attempts = m.attempts + 1
                park = outcome.status == "refused" or attempts >= max_attempts
                OutboxMessage.objects.filter(pk=m.pk).update(
                    status=OutboxStatus.FAILED if park else P,
                    attempts=attempts,
                    next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts)),
                    claimed_until=None,
                    claimed_by="",
                    last_error=outcome.answer[:4000],
                )
                stats.parked += park
                stats.retried += not park
        for chunk in _chunks(sent, 500):
            OutboxMessage.objects.filter(pk__in=chunk).update(
                status=OutboxStatus.SENT,
                sent_at=now,
                secret="",  # a secret is not kept once sent
                attempts=F("attempts") + 1,
                claimed_until=None,
                claimed_by="",
                last_error="",
            )
        for chunk in _chunks(released, 500):
            OutboxMessage.objects.filter(pk__in=chunk).update(claimed_until=None, claimed_by="")
    stats.sent += len(sent)


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def deliver_round(
    pool: ThreadPoolExecutor, *, peers: list[str] | None = None, workers: int | None = None
) -> RoundStats:
    """Claim, send and record one round for every enabled peer (or ``peers``)."""
    stats = RoundStats()
    workers = workers or settings.MOTCUA_SYNC_WORKERS
    for peer in peers or enabled_peers():
        messages = claim(
            peer, limit=settings.MOTCUA_SYNC_BATCH, lease=settings.MOTCUA_SYNC_LEASE_SECONDS
        )
        if not messages:
            continue
        stats.claimed += len(messages)
        groups: dict[int, list[OutboxMessage]] = defaultdict(list)
        for m in messages:
            groups[m.dossier_id % workers].append(m)
        futures = [pool.submit(_send_group, peer, group) for group in groups.values()]
        results = [r for f in futures for r in f.result()]
        _record(peer, results, stats)
    return stats


def waiting_or_failed(peers: list[str] | None = None) -> int:
    """Messages of the configured peers (or ``peers``) not sent: parked or waiting."""
    qs = OutboxMessage.objects.exclude(status=OutboxStatus.SENT)
    return qs.filter(peer__in=peers or enabled_peers()).count()


def run(
    *,
    until_idle: bool,
    peers: list[str] | None = None,
    stop: threading.Event | None = None,
    poll_seconds: float = 0.5,
) -> int:
    """The loop. ``until_idle``: return 0 when nothing is left waiting, 3 when messages are
    parked or wait for a retry. Otherwise run until ``stop`` is set (SIGTERM); returns 0."""
    stop = stop or threading.Event()
    workers = max(1, settings.MOTCUA_SYNC_WORKERS)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="motcua-sync") as pool:
        while not stop.is_set():
            stats = deliver_round(pool, peers=peers, workers=workers)
            if stats.claimed:
                continue
            if until_idle:
                return 3 if waiting_or_failed(peers) else 0
            stop.wait(poll_seconds)
    return 0
