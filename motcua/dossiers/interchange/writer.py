"""Writing planned import rows: dossiers, one "import" event each, supplement waits."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from motcua.core.interchange import ImportResult
from motcua.dossiers.audit import GENESIS, event_hash, first_event_hash
from motcua.dossiers.choices import EventType
from motcua.dossiers.interchange.bulkwrite import insert_rows
from motcua.dossiers.interchange.codes import allocate_codes, standard_parts
from motcua.dossiers.interchange.pglines import NewDossierLines
from motcua.dossiers.interchange.pgstream import CopyStream, reserve_ids
from motcua.dossiers.models import Dossier, DossierEvent, SupplementWait
from motcua.dossiers.replay import import_payload

if TYPE_CHECKING:
    from motcua.dossiers.interchange.importer import Plan
    from motcua.dossiers.interchange.rows import Catalogue

BATCH = 2000
# Rows per COPY statement when streaming: small enough for PostgreSQL to start early.
STREAM_CHUNK = 4000
IMPORT = str(EventType.IMPORT.value)


def event_payload(
    plan: Plan, source: str, code: str, changed: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Where the row came from, its cells, and the projection ``replay`` rebuilds from."""
    payload = import_payload(SimpleNamespace(**plan.values, code=code))
    payload.update(
        source=source,
        row=plan.row.line,
        columns={key: value for key, value in plan.row.raw.items() if value},
    )
    if changed:
        payload["changed"] = list(changed)
    return payload


def write_plans(
    plans: list[Plan],
    *,
    catalogue: Catalogue,
    source: str,
    complete: Callable[[list[Plan]], None],
) -> ImportResult:
    """Create the new dossiers and update the changed ones; must run inside a transaction.

    The plans of new rows are completed here (``complete`` fills in their values), on
    PostgreSQL chunk by chunk while the previous chunk is being written."""
    now = timezone.now()
    new = [plan for plan in plans if plan.existing is None]
    changed = [p for p in plans if p.existing is not None and (p.changed or p.wait_changed)]
    result = ImportResult(created=len(new), updated=len(changed))
    result.unchanged = len(plans) - len(new) - len(changed)

    taken = []
    for plan in plans:
        if plan.row.code:
            parts = standard_parts(plan.row.code, catalogue.agencies)
            if parts is not None:
                taken.append(parts)
    needing = [plan for plan in new if not plan.row.code]
    tz = timezone.get_current_timezone()  # the reception day is local, as in dossiers.codes
    wanted = [
        (
            plan.row.receiving_unit_id or plan.row.agency_id,
            plan.row.received_at.astimezone(tz).date(),
        )
        for plan in needing
    ]
    codes = allocate_codes(wanted=wanted, taken=taken, agency_codes=catalogue.agency_codes)
    generated = {id(plan): code for plan, code in zip(needing, codes, strict=True)}

    codes_of_new = [plan.row.code or generated[id(plan)] for plan in new]
    # The fields every new dossier's event shares are written once per COPY.
    first_events = {"seq": 1, "type": IMPORT, "at": now, "from_state": "", "recorded_at": now}
    waits: list[dict[str, Any]] = []
    if connection.vendor == "postgresql":
        _stream_new(new, codes_of_new, source, first_events, complete)
    else:
        complete(new)
        rows = [{**plan.values, "code": code} for plan, code in zip(new, codes_of_new, strict=True)]
        ids = insert_rows(Dossier, rows, constants={"imported": True})
        assert ids is not None
        events: list[dict[str, Any]] = []
        for plan, row, pk in zip(new, rows, ids, strict=True):
            payload = event_payload(plan, source, row["code"])
            seal = first_event_hash(pk, row["state"], payload, first_events)
            events.append(
                {"dossier_id": pk, "to_state": row["state"], "payload": payload, "hash": seal}
            )
            if plan.wait is not None:
                waits.append(_wait(pk, plan.wait))
        insert_rows(DossierEvent, events, constants=first_events)

    if changed:
        insert_rows(DossierEvent, _update(changed, now, source, waits))
    insert_rows(SupplementWait, waits)
    return result


def _stream_new(
    new: list[Plan],
    codes: list[str],
    source: str,
    first_events: dict[str, Any],
    complete: Callable[[list[Plan]], None],
) -> None:
    """PostgreSQL: ids reserved first, then dossiers, events and waits COPYed chunk by chunk
    from a thread while the next chunk's lines are built here."""
    ids = reserve_ids(Dossier, len(new))
    lines = NewDossierLines(source=source, event_constants=first_events)
    with CopyStream(models=[Dossier, DossierEvent, SupplementWait]) as stream:
        for start in range(0, len(new), STREAM_CHUNK):
            dossiers, events, waits = [], [], []
            end = min(start + STREAM_CHUNK, len(new))
            complete(new[start:end])
            for i in range(start, end):
                plan, pk = new[i], ids[i]
                dossier, event = lines.lines(pk, codes[i], plan.values, plan.row.line, plan.row.raw)
                dossiers.append(dossier)
                events.append(event)
                if plan.wait is not None:
                    waits.append(_wait(pk, plan.wait))
            dossiers.append("")
            events.append("")
            stream.copy(lines.dossier_sql, "\n".join(dossiers))
            stream.copy(lines.event_sql, "\n".join(events))
            insert_rows(SupplementWait, waits, stream=stream)


def _chained(event: dict[str, Any]) -> dict[str, Any]:
    names = ("dossier_id", "seq", "type", "at", "from_state", "to_state", "payload")
    return {name: event[name] for name in names}


def _wait(dossier_id: int, wait: tuple) -> dict[str, Any]:
    requested, received, due_before, due_after = wait
    return {
        "dossier_id": dossier_id,
        "requested_at": requested,
        "received_at": received,
        "due_before": due_before,
        "due_after": due_after,
    }


def _update(
    changed: list[Plan], now: Any, source: str, waits: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    ids = [plan.existing["id"] for plan in changed]
    last_seq: dict[int, int] = {}
    last_hash: dict[int, str] = {}  # the chain of each dossier goes on from its last event
    for i in range(0, len(ids), BATCH):
        rows = DossierEvent.objects.filter(dossier_id__in=ids[i : i + BATCH]).values_list(
            "dossier_id", "seq", "hash"
        )
        for dossier_id, seq, seal in rows:
            if seq > last_seq.get(dossier_id, 0):
                last_seq[dossier_id], last_hash[dossier_id] = seq, seal
    by_fields: dict[tuple[str, ...], list[Dossier]] = {}
    events = []
    updated_waits = []
    for plan in changed:
        pk = plan.existing["id"]
        if plan.changed:
            dossier = Dossier(pk=pk, **{name: plan.values[name] for name in plan.changed})
            by_fields.setdefault(plan.changed, []).append(dossier)
        if plan.wait_changed:
            last = plan.existing["last_wait"]
            if last is not None and last[1] == plan.wait[0]:
                requested, received, due_before, due_after = plan.wait
                updated_waits.append(
                    SupplementWait(pk=last[0], received_at=received, due_after=due_after)
                )
            else:
                waits.append(_wait(pk, plan.wait))
        state = plan.values["state"] if "state" in plan.changed else plan.existing["state"]
        event = {
            "dossier_id": pk,
            "seq": last_seq.get(pk, 0) + 1,
            "type": IMPORT,
            "at": now,
            "from_state": plan.existing["state"],
            "to_state": state,
            "payload": event_payload(
                plan, source, plan.existing["code"], plan.changed or ("supplement",)
            ),
            "recorded_at": now,
        }
        event["hash"] = event_hash(
            actor_id=None, previous=last_hash.get(pk, GENESIS), **_chained(event)
        )
        events.append(event)
    for fields, dossiers in by_fields.items():
        Dossier.objects.bulk_update(dossiers, list(fields), batch_size=BATCH)
    if updated_waits:
        SupplementWait.objects.bulk_update(
            updated_waits, ["received_at", "due_after"], batch_size=BATCH
        )
    return events
