"""Checking the event chains (``dossiers.audit``) and the daily digests per agency.

``verify`` reads every event of the dossiers in scope in (dossier, seq) order, streamed, and
reports each problem it can name:

- ``altered``: an event whose content no longer gives its hash (or whose hash was changed);
- ``reordered``: an event whose content gives its hash at another position of the chain;
- ``deleted``: a gap in a dossier's sequence, a dossier left without events, or a dossier
  whose state is not its last event's result (its last events removed);
- ``digest``: a stored daily digest that the events no longer give (a rewritten chain).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_subtree_ids
from motcua.dossiers.audit import GENESIS, event_hash
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.ops.models import AuditDigest

DIGEST_VERSION = "motcua-digest-v1"
_COLUMNS = ("dossier_id", "seq", "type", "at", "actor_id", "from_state", "to_state", "payload")


@dataclass(frozen=True)
class Problem:
    kind: str
    dossier_id: int | None
    seq: int | None
    detail: str

    def __str__(self) -> str:
        where = "" if self.dossier_id is None else f"dossier {self.dossier_id}"
        if self.seq is not None:
            where += f" event {self.seq}"
        return f"{self.kind}: {where}: {self.detail}" if where else f"{self.kind}: {self.detail}"


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _events(dossier_ids: list[int] | None) -> Iterator[tuple]:
    events = DossierEvent.objects.order_by("dossier_id", "seq")
    if dossier_ids is not None:
        events = events.filter(dossier_id__in=dossier_ids)
    return events.values_list(*_COLUMNS, "hash").iterator(chunk_size=5000)


def _chains(dossier_ids: list[int] | None) -> Iterator[tuple[int, list[tuple]]]:
    current, chain = None, []
    for row in _events(dossier_ids):
        if row[0] != current:
            if chain:
                yield current, chain
            current, chain = row[0], []
        chain.append(row)
    if chain:
        yield current, chain


def _hash(row: tuple, *, seq: int, previous: str) -> str:
    dossier_id, _seq, type_, at, actor_id, from_state, to_state, payload, _stored = row
    return event_hash(
        dossier_id=dossier_id,
        seq=seq,
        type=type_,
        at=at,
        actor_id=actor_id,
        from_state=from_state,
        to_state=to_state,
        payload=payload,
        previous=previous,
    )


def check_chain(dossier_id: int, chain: list[tuple]) -> list[Problem]:
    """The problems of one dossier's events (rows as ``_events`` gives them, by seq)."""
    problems = []
    stored = {row[1]: row[8] for row in chain}
    expected_seq, previous = 1, GENESIS
    for row in chain:
        seq, seal = row[1], row[8]
        if seq != expected_seq:
            missing = ", ".join(str(s) for s in range(expected_seq, seq))
            problems.append(Problem("deleted", dossier_id, None, f"events {missing} are missing"))
            # The link across the gap cannot be checked: nothing says what was there.
            previous = None
        if previous is not None and _hash(row, seq=seq, previous=previous) != seal:
            origin = _original_position(row, stored)
            if origin == seq:  # intact, in its place, but what precedes it moved
                if not problems:
                    problems.append(
                        Problem(
                            "reordered", dossier_id, seq, "follows another event than when written"
                        )
                    )
            elif origin is not None:
                problems.append(
                    Problem("reordered", dossier_id, seq, f"was written as event {origin}")
                )
            else:
                problems.append(
                    Problem("altered", dossier_id, seq, "content differs from its hash")
                )
        previous, expected_seq = seal, seq + 1
    return problems


def _original_position(row: tuple, stored: dict[int, str]) -> int | None:
    """The seq at which this event's content gives its stored hash (its own seq when only
    its predecessor changed): moved rows keep their hashes, so the previous link is one of
    the dossier's stored hashes."""
    if len(stored) > 200:  # classifying costs n² hashes; a long chain is only "altered"
        return None
    candidates = [GENESIS, *stored.values()]
    for other in sorted(stored, key=lambda s: s != row[1]):  # its own place first
        for previous in [GENESIS] if other == 1 else candidates:
            if _hash(row, seq=other, previous=previous) == row[8]:
                return other
    return None


def _states(dossier_ids: list[int] | None) -> Iterator[tuple[int, str]]:
    dossiers = Dossier.objects.order_by("id")
    if dossier_ids is not None:
        dossiers = dossiers.filter(id__in=dossier_ids)
    return dossiers.values_list("id", "state").iterator(chunk_size=5000)


def verify(*, since: dt.date | None = None) -> Iterator[Problem]:
    """Every problem of the chains and digests in scope (all, or the dossiers with events
    recorded since ``since`` and the digests from that day)."""
    dossier_ids = None
    if since is not None:
        start, _end = _day_bounds(since)
        dossier_ids = sorted(
            set(
                DossierEvent.objects.filter(recorded_at__gte=start).values_list(
                    "dossier_id", flat=True
                )
            )
        )
    outer = connection.in_atomic_block
    with transaction.atomic():  # one snapshot of events, dossiers and digests (PostgreSQL)
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        states = _states(dossier_ids)
        pending_state = next(states, None)
        for dossier_id, chain in _chains(dossier_ids):
            while pending_state is not None and pending_state[0] < dossier_id:
                yield Problem("deleted", pending_state[0], None, "the dossier has no events")
                pending_state = next(states, None)
            yield from check_chain(dossier_id, chain)
            if pending_state is not None and pending_state[0] == dossier_id:
                last = chain[-1]
                if last[6] != pending_state[1]:
                    yield Problem(
                        "deleted",
                        dossier_id,
                        None,
                        f"the dossier is {pending_state[1]!r} but its last event "
                        f"({last[1]}) leads to {last[6]!r}: later events are missing",
                    )
                pending_state = next(states, None)
        while pending_state is not None:
            yield Problem("deleted", pending_state[0], None, "the dossier has no events")
            pending_state = next(states, None)
        digests = AuditDigest.objects.order_by("agency_id", "day")
        if since is not None:
            digests = digests.filter(day__gte=since)
        for stored in digests:
            value, _count = compute_digest(stored.agency_id, stored.day, stored.previous)
            if value != stored.digest:
                yield Problem(
                    "digest",
                    None,
                    None,
                    f"agency {stored.agency_id} on {stored.day}: the events no longer give "
                    "the digest recorded that day",
                )


def day_entries(agency_id: int, day: dt.date) -> list[tuple[int, int, str]]:
    """(dossier, seq, hash) of each dossier's last event recorded on ``day`` (local)."""
    start, end = _day_bounds(day)
    rows = DossierEvent.objects.filter(
        dossier__agency_id=agency_id, recorded_at__gte=start, recorded_at__lt=end
    ).values_list("dossier_id", "seq", "hash")
    last: dict[int, tuple[int, str]] = {}
    for dossier_id, seq, seal in rows:
        if seq > last.get(dossier_id, (0, ""))[0]:
            last[dossier_id] = (seq, seal)
    return [(d, seq, seal) for d, (seq, seal) in sorted(last.items())]


def compute_digest(agency_id: int, day: dt.date, previous: str) -> tuple[str, int]:
    entries = day_entries(agency_id, day)
    text = "\x1f".join(
        (
            DIGEST_VERSION,
            str(agency_id),
            day.isoformat(),
            previous,
            "\n".join(f"{d}:{seq}:{seal}" for d, seq, seal in entries),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest(), len(entries)


def make_digests(day: dt.date) -> list[tuple[AuditDigest, str]]:
    """The digest of every agency with events recorded on ``day``: created when missing,
    else checked. Returns (digest, "created" | "unchanged" | "MISMATCH")."""
    start, end = _day_bounds(day)
    agencies = set(
        DossierEvent.objects.filter(recorded_at__gte=start, recorded_at__lt=end).values_list(
            "dossier__agency_id", flat=True
        )
    )
    agencies |= set(AuditDigest.objects.filter(day=day).values_list("agency_id", flat=True))
    results = []
    for agency_id in sorted(agencies):
        with transaction.atomic():
            before = (
                AuditDigest.objects.filter(agency_id=agency_id, day__lt=day)
                .order_by("-day")
                .values_list("digest", flat=True)
                .first()
            )
            previous = before or ""
            value, count = compute_digest(agency_id, day, previous)
            existing = AuditDigest.objects.filter(agency_id=agency_id, day=day).first()
            if existing is None:
                existing = AuditDigest.objects.create(
                    agency_id=agency_id, day=day, dossiers=count, previous=previous, digest=value
                )
                results.append((existing, "created"))
            elif existing.digest == value and existing.previous == previous:
                results.append((existing, "unchanged"))
            else:
                results.append((existing, "MISMATCH"))
    return results


# --- the monthly report's annex -----------------------------------------------------------

DAILY_ANNEX_DAYS = 31  # longer periods print each agency's last digest only


def report_annex(report: Mapping[str, Any]) -> dict[str, Any]:
    """The digests a report (``stats.assembly``'s dict) prints in its annex, for the report's
    unit and every agency under it, the days of its period: every day's digest when the period
    is a month or shorter; for a longer one, each agency's last digest of the period (it chains
    all the earlier ones). Rows: agency code and name, day (ISO), dossiers, digest."""
    unit = Agency.objects.filter(code=report["unit"]["code"]).values_list("pk", flat=True).first()
    start = dt.date.fromisoformat(report["period"]["start"])
    end = dt.date.fromisoformat(report["period"]["end"])
    daily = (end - start).days < DAILY_ANNEX_DAYS
    rows = AuditDigest.objects.filter(
        agency_id__in=agency_subtree_ids(roots=[unit]) if unit is not None else [],
        day__gte=start,
        day__lte=end,
    ).order_by("agency__code", "day")
    keys: set[tuple[int, dt.date]] = set()
    if not daily:
        last = rows.order_by().values("agency_id").annotate(last=Max("day"))
        keys = {(r["agency_id"], r["last"]) for r in last}
        rows = rows.filter(agency_id__in={a for a, _day in keys}, day__in={d for _a, d in keys})
    found = [
        {
            "agency_code": code,
            "agency_name": name,
            "day": day.isoformat(),
            "dossiers": dossiers,
            "digest": digest,
        }
        for agency_id, code, name, day, dossiers, digest in rows.values_list(
            "agency_id", "agency__code", "agency__name", "day", "dossiers", "digest"
        )
        if daily or (agency_id, day) in keys
    ]
    return {"daily": daily, "rows": found}
