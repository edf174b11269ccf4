"""The tamper-evident chain of dossier events: THE canonical form of an event and its hash.

Each ``DossierEvent.hash`` is the SHA-256 (hex) of

    "motcua-event-v1" US dossier_id US seq US type US at US actor_id US from_state US to_state
    US payload US previous hash

(US = the unit separator U+001F) where ``at`` is the instant in UTC with microseconds
(``2026-11-23T02:00:00.000000Z``), ``actor_id`` is empty when there is none, ``payload`` is the
JSON of the event's details with sorted keys, no spaces and non-ASCII kept (values encoded as
the JSON column stores them: ``DjangoJSONEncoder``), and the previous hash is the hash of the
same dossier's event ``seq - 1`` (empty for the first). ``recorded_at`` is the database's own
bookkeeping and is not covered. Every writer of events (``services.common.record_event``, the
import's ``writer`` and ``pglines``, the migration sealing older events) calls this module;
``motcua.ops.auditchain`` verifies with it. Change the form only with a new version tag.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

VERSION = "motcua-event-v1"
GENESIS = ""
_SEP = "\x1f"
_ENCODER = DjangoJSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload_text(payload: Any) -> str:
    """The canonical JSON of a payload (a dict, or JSON text as a writer built it)."""
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return _ENCODER.encode(payload if payload is not None else {})


def _plain(value: Any) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def event_hash(
    *,
    dossier_id: int,
    seq: int,
    type: str,
    at: dt.datetime | str,
    actor_id: int | None,
    from_state: str,
    to_state: str,
    payload: Any,
    previous: str,
) -> str:
    """The hash of one event given its fields and the previous event's hash (``at`` may be
    given already as ``at_text``)."""
    canonical = _SEP.join(
        (
            VERSION,
            str(dossier_id),
            str(seq),
            _plain(type),
            at if isinstance(at, str) else at_text(at),
            _plain(actor_id),
            _plain(from_state),
            _plain(to_state),
            payload_text(payload),
            previous or GENESIS,
        )
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def hash_of(event: Any, previous: str) -> str:
    """The hash of an event object (a ``DossierEvent`` or alike)."""
    return event_hash(
        dossier_id=event.dossier_id,
        seq=event.seq,
        type=event.type,
        at=event.at,
        actor_id=event.actor_id,
        from_state=event.from_state,
        to_state=event.to_state,
        payload=event.payload,
        previous=previous,
    )


def first_event_hash(
    dossier_id: int, to_state: str, payload: Any, constants: dict[str, Any]
) -> str:
    """The hash of a new imported dossier's first event (``constants``: its shared fields)."""
    return event_hash(
        dossier_id=dossier_id,
        seq=constants["seq"],
        type=constants["type"],
        at=constants["at"],
        actor_id=None,
        from_state=constants["from_state"],
        to_state=to_state,
        payload=payload,
        previous=GENESIS,
    )


def seal_unsealed(event_model: Any, *, batch: int = 5000) -> int:
    """Give every dossier whose chain has an event without a hash its whole chain again (the
    migration that introduced hashes; events written before it). Returns events sealed."""
    dossier_ids = sorted(
        set(event_model.objects.filter(hash="").values_list("dossier_id", flat=True))
    )
    sealed = 0
    for i in range(0, len(dossier_ids), batch):
        chunk = dossier_ids[i : i + batch]
        events = event_model.objects.filter(dossier_id__in=chunk).order_by("dossier_id", "seq")
        changed = []
        previous, current = GENESIS, None
        for event in events.iterator(chunk_size=batch):
            if event.dossier_id != current:
                previous, current = GENESIS, event.dossier_id
            event.hash = previous = hash_of(event, previous)
            changed.append(event)
        event_model.objects.bulk_update(changed, ["hash"], batch_size=1000)
        sealed += len(changed)
    return sealed
