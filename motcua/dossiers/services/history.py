"""The bulk form of the services for history brought from another system (imports, the demo).

A dossier imported closed may have had an apology letter and a rating in its past life, and its
applicant is not part of the interchange file. ``dossier_history_record`` adds them to many
dossiers at once, event-complete like every other write: for each dossier, the applicant
columns, its ``Apology`` and ``Rating`` rows, and ONE ``import`` event (at the time of
recording, state unchanged) whose payload carries all of it with the original instants, so that
``replay`` rebuilds the rows from the events alone.

Why ``import`` rather than ``apologize``/``rate`` events: the workflow allows an apology only
while a dossier is open, and the services refuse an event earlier than a dossier's last one;
history recorded after the import of a closed dossier is neither. It is recorded as what it is,
imported history, atomically, the dossiers locked, every value checked before anything is
written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.core.errors import MotcuaError
from motcua.dossiers.choices import ApplicantKind, RatingValue
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Apology, Dossier, DossierEvent, Rating
from motcua.dossiers.permissions import authorize_history
from motcua.dossiers.search import refresh_applicant_search
from motcua.dossiers.services.common import iso
from motcua.dossiers.workflow import allowed

APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
)
_CHUNK = 2000


@dataclass
class HistoryApology:
    issued_at: dt.datetime
    new_due_at: dt.datetime
    reason: str
    issued_late: bool = False


@dataclass
class HistoryRating:
    value: str
    at: dt.datetime
    comment: str = ""


@dataclass
class HistoryEntry:
    """What to add to one dossier; ``applicant`` holds some of ``APPLICANT_FIELDS``."""

    dossier_id: int
    applicant: dict[str, str] = field(default_factory=dict)
    apologies: list[HistoryApology] = field(default_factory=list)
    ratings: list[HistoryRating] = field(default_factory=list)


@transaction.atomic
def dossier_history_record(*, actor: Any, entries: Sequence[HistoryEntry], source: str) -> int:
    """Record the entries (see the module); returns the number of events written.

    Raises MotcuaError naming the dossier and the value when an entry is not acceptable
    (unknown dossier or applicant field, a dossier never received, an unknown rating value, a
    second rating, an apology without reason or whose new date is not after its letter);
    nothing is written then. Only the import and demo programs and administrators may
    (``permissions.authorize_history``)."""
    authorize_history(actor)
    entries = [e for e in entries if e.applicant or e.apologies or e.ratings]
    if not entries:
        return 0
    ids = [e.dossier_id for e in entries]
    if len(set(ids)) != len(ids):
        raise MotcuaError("dossier_history_record: one entry per dossier")
    states, last_seq, rated = _lock(ids)
    for entry in entries:
        _check(entry, states, rated)

    now = timezone.now()
    apologies = [
        Apology(
            dossier_id=e.dossier_id,
            issued_at=a.issued_at,
            new_due_at=a.new_due_at,
            reason=a.reason,
            issued_late=a.issued_late,
        )
        for e in entries
        for a in e.apologies
    ]
    agencies = dict(Dossier.objects.filter(pk__in=ids).values_list("pk", "agency_id"))
    ratings = [
        Rating(
            agency_id=agencies[e.dossier_id],
            dossier_id=e.dossier_id,
            value=r.value,
            at=r.at,
            comment=r.comment,
        )
        for e in entries
        for r in e.ratings
    ]
    Apology.objects.bulk_create(apologies, batch_size=_CHUNK)
    Rating.objects.bulk_create(ratings, batch_size=_CHUNK)
    _update_applicants([e for e in entries if e.applicant])
    refresh_applicant_search(e.dossier_id for e in entries if e.applicant)

    made_apologies, made_ratings = iter(apologies), iter(ratings)
    events = []
    for entry in entries:
        payload: dict[str, Any] = {"source": source, "changed": []}
        if entry.applicant:
            payload["changed"].append("applicant")
            payload["applicant"] = dict(entry.applicant)
        if entry.apologies:
            payload["changed"].append("apologies")
            payload["apologies"] = [_apology_payload(next(made_apologies)) for _ in entry.apologies]
        if entry.ratings:
            payload["changed"].append("ratings")
            payload["ratings"] = [_rating_payload(next(made_ratings)) for _ in entry.ratings]
        state = states[entry.dossier_id]
        events.append(
            DossierEvent(
                dossier_id=entry.dossier_id,
                seq=last_seq.get(entry.dossier_id, 0) + 1,
                type=E.IMPORT,
                at=now,
                from_state=state,
                to_state=state,
                payload=payload,
            )
        )
    DossierEvent.objects.bulk_create(events, batch_size=_CHUNK)
    return len(events)


def _apology_payload(apology: Apology) -> dict[str, Any]:
    """As ``dossier_apologize`` records it, with the letter's own time."""
    return {
        "apology_id": apology.pk,
        "issued_at": iso(apology.issued_at),
        "new_due_at": iso(apology.new_due_at),
        "issued_late": apology.issued_late,
        "reason": apology.reason,
    }


def _rating_payload(rating: Rating) -> dict[str, Any]:
    """As ``dossier_rate`` records it, with the rating's own time."""
    return {"rating_id": rating.pk, "value": rating.value, "at": iso(rating.at)}


def _lock(ids: list[int]) -> tuple[dict[int, str], dict[int, int], set[int]]:
    """The dossiers locked, with their states, their last event numbers and which are rated."""
    states: dict[int, str] = {}
    last_seq: dict[int, int] = {}
    rated: set[int] = set()
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        states.update(
            Dossier.objects.select_for_update().filter(pk__in=chunk).values_list("pk", "state")
        )
        last_seq.update(
            DossierEvent.objects.filter(dossier_id__in=chunk)
            .values("dossier_id")
            .annotate(last=Max("seq"))
            .values_list("dossier_id", "last")
        )
        rated.update(
            Rating.objects.filter(dossier_id__in=chunk).values_list("dossier_id", flat=True)
        )
    return states, last_seq, rated


def _check(entry: HistoryEntry, states: dict[int, str], rated: set[int]) -> None:
    pk = entry.dossier_id
    if pk not in states:
        raise MotcuaError(f"dossier {pk} does not exist")
    unknown = sorted(set(entry.applicant) - set(APPLICANT_FIELDS))
    if unknown:
        raise MotcuaError(f"dossier {pk}: unknown applicant field(s) {', '.join(unknown)}")
    kind = entry.applicant.get("applicant_kind")
    if kind is not None and kind not in ApplicantKind.values:
        raise MotcuaError(f"dossier {pk}: unknown applicant kind {kind!r}")
    if (entry.apologies or entry.ratings) and not allowed(states[pk], E.RATE):
        raise MotcuaError(f"dossier {pk} was never received ({states[pk] or 'new'})")
    for apology in entry.apologies:
        if not apology.reason.strip():
            raise MotcuaError(f"dossier {pk}: an apology needs its reason")
        if apology.new_due_at <= apology.issued_at:
            raise MotcuaError(f"dossier {pk}: the new appointment must be after the letter")
    if len(entry.ratings) + (pk in rated) > 1:
        raise MotcuaError(f"dossier {pk} has already been rated")
    for rating in entry.ratings:
        if rating.value not in RatingValue.values:
            raise MotcuaError(f"dossier {pk}: unknown rating {rating.value!r}")


def _update_applicants(entries: list[HistoryEntry]) -> None:
    """Set the applicant columns: UPDATE … FROM VALUES on PostgreSQL, executemany elsewhere.
    Entries giving the same fields are written together."""
    by_fields: dict[tuple[str, ...], list[HistoryEntry]] = {}
    for entry in entries:
        by_fields.setdefault(tuple(sorted(entry.applicant)), []).append(entry)
    table = connection.ops.quote_name(Dossier._meta.db_table)
    with connection.cursor() as cursor:
        for columns, group in by_fields.items():
            params = [(*(e.applicant[c] for c in columns), e.dossier_id) for e in group]
            for i in range(0, len(params), _CHUNK):
                batch = params[i : i + _CHUNK]
                if connection.vendor == "postgresql":
                    values = ", ".join(
                        ["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(batch)
                    )
                    sets = ", ".join(f"{c} = v.{c}" for c in columns)
                    cursor.execute(
                        f"UPDATE {table} AS d SET {sets} FROM (VALUES {values}) "  # noqa: S608
                        f"AS v({', '.join(columns)}, id) WHERE d.id = v.id",
                        [value for row in batch for value in row],
                    )
                else:
                    sets = ", ".join(f"{c} = %s" for c in columns)
                    cursor.executemany(
                        f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608
                        batch,
                    )
