"""Personal data: the access log, and a person's own data (``motcua personal-data export``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.ops.models import PersonalDataAccess

APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "delivery_channel",
    "delivery_address",
)


def log_access(
    *,
    actor: User | None,
    dossiers: Iterable[Dossier | int],
    kind: str,
    purpose: str,
    viewer: Viewer | None = None,
) -> int:
    """One access-log row per dossier; returns how many.

    ``viewer`` (``dossiers.masking``) says whether each dossier's data was shown in full or
    masked; without it (the data subject's own export) it was shown in full."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        PersonalDataAccess(
            actor=user,
            dossier_id=d.pk if isinstance(d, Dossier) else d,
            kind=kind,
            purpose=purpose[:255],
            full=viewer is None or not isinstance(d, Dossier) or viewer.in_full(d),
        )
        for d in dossiers
    ]
    PersonalDataAccess.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def subject_export(*, id_number: str, actor: User | None, purpose: str) -> dict[str, Any]:
    """Everything the system holds on the person with this ID number as applicant: their
    dossiers, with their own data, and each dossier's history. Logged per dossier."""
    id_number = id_number.strip()
    if not id_number:
        raise ValueError("an ID number is required")
    dossiers = list(
        Dossier.objects.filter(applicant_id_number=id_number)
        .select_related("agency", "procedure")
        .order_by("received_at", "id")
    )
    events: dict[int, list[dict[str, Any]]] = {}
    for e in DossierEvent.objects.filter(dossier__in=dossiers).order_by("dossier_id", "seq"):
        events.setdefault(e.dossier_id, []).append(
            {
                "seq": e.seq,
                "type": e.type,
                "at": e.at.isoformat(),
                "from_state": e.from_state,
                "to_state": e.to_state,
            }
        )
    log_access(
        actor=actor, dossiers=dossiers, kind=PersonalDataAccess.Kind.SUBJECT_EXPORT, purpose=purpose
    )
    return {
        "id_number": id_number,
        "dossiers": [
            {
                "code": d.code,
                "agency": {"code": d.agency.code, "name": d.agency.name},
                "procedure": {"code": d.procedure.code, "name": d.procedure.name},
                "channel": d.channel,
                "received_at": d.received_at.isoformat() if d.received_at else None,
                "due_at": d.due_at.isoformat() if d.due_at else None,
                "closed_at": d.closed_at.isoformat() if d.closed_at else None,
                "state": d.state,
                "outcome": d.outcome,
                "applicant": {name: getattr(d, name) for name in APPLICANT_FIELDS},
                "events": events.get(d.pk, []),
            }
            for d in dossiers
        ],
    }
