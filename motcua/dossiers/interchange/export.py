"""`motcua export dossiers`: the import's columns, so that export then import changes nothing.

Dossiers not yet received (online submissions awaiting pre-check, refused at pre-check) have no
reception time and are left out. A one-way dossier is written as ``resolved`` at its filing
time. The supplement columns hold the dossier's last supplement wait.
"""

from __future__ import annotations

from typing import Any, TextIO

from motcua.catalog.choices import OnlineClass
from motcua.core.csvio import format_instant, write_csv
from motcua.dossiers.choices import Channel, Outcome
from motcua.dossiers.interchange.rows import COLUMNS

CHUNK = 5000


def export_dossiers(*, out: TextIO) -> int:
    """Write every received dossier as a CSV row of the import format; returns the row count."""
    return write_csv(out, COLUMNS, _rows())


def _rows() -> Any:
    from motcua.catalog.models import Agency, Procedure
    from motcua.dossiers.models import Dossier, SupplementWait

    agencies = dict(Agency.objects.values_list("id", "code"))
    procedures = dict(Procedure.objects.values_list("id", "code"))
    last_id = 0
    base = Dossier.objects.filter(received_at__isnull=False).order_by("id")
    fields = (
        "id",
        "code",
        "agency_id",
        "receiving_unit_id",
        "procedure_id",
        "channel",
        "online_class",
        "received_at",
        "due_at",
        "outcome",
        "closed_at",
        "delivered_at",
        "delivery_channel",
    )
    while True:
        chunk = list(base.filter(id__gt=last_id).values(*fields)[:CHUNK])
        if not chunk:
            return
        last_id = chunk[-1]["id"]
        waits: dict[int, tuple] = {}
        ids = [d["id"] for d in chunk]
        for dossier_id, requested, received in (
            SupplementWait.objects.filter(dossier_id__in=ids)
            .order_by("dossier_id", "requested_at", "id")
            .values_list("dossier_id", "requested_at", "received_at")
        ):
            waits[dossier_id] = (requested, received)
        for d in chunk:
            wait = waits.get(d["id"], (None, None))
            outcome = d["outcome"] or "pending"
            if outcome == Outcome.FILED:
                outcome = Outcome.RESOLVED
            yield {
                "code": d["code"] or "",
                "agency_code": agencies[d["agency_id"]],
                "receiving_unit_code": agencies.get(d["receiving_unit_id"], ""),
                "procedure_code": procedures[d["procedure_id"]],
                "channel": d["channel"],
                "online_class": _online_class(d),
                "received_at": format_instant(d["received_at"]),
                "due_at": format_instant(d["due_at"]),
                "outcome": outcome,
                "closed_at": format_instant(d["closed_at"]),
                "supplement_requested_at": format_instant(wait[0]),
                "supplement_received_at": format_instant(wait[1]),
                "delivered_at": format_instant(d["delivered_at"]),
                "delivery_channel": d["delivery_channel"],
            }


def _online_class(d: dict[str, Any]) -> str:
    """Online rows only; "none" (a procedure not offered online) is written as empty."""
    if d["channel"] != Channel.ONLINE or d["online_class"] == OnlineClass.NONE:
        return ""
    return d["online_class"]
