"""The public postal operator (integration.md §4): orders out, signed callbacks in.

Orders: ``POST {base}/orders`` with a bearer token; ``ref`` is "<dossier code>:<kind>" so the
operator answers a repeat with the same tracking number. Callbacks carry
``X-Signature: hex(HMAC-SHA256(secret, raw body))``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings

from motcua.dossiers.choices import Channel, DeliveryChannel, EventType
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.adapters import Outcome
from motcua.integrations.http import Unreachable, post_json

BATCHABLE = False
PICKUP, DELIVERY = "pickup", "delivery"
CALLBACK_STATUSES = ("picked_up", "delivered", "returned")
# A dossier received by post (filed at once for a one-way procedure) is collected from the
# applicant by the operator: the pickup is ordered when it gets its code (docs/decisions.md).
PICKUP_EVENTS = frozenset({EventType.RECEIVE, EventType.FILE})


def enabled() -> bool:
    return bool(settings.MOTCUA_POSTAL_URL)


def order(dossier: Dossier, kind: str) -> dict[str, Any]:
    unit = dossier.receiving_unit or dossier.agency
    if kind == PICKUP:  # collected where the applicant is
        address = dossier.applicant_address or dossier.delivery_address
    else:
        address = dossier.delivery_address or dossier.applicant_address
    return {
        "ref": f"{dossier.code}:{kind}",
        "kind": kind,
        "name": dossier.applicant_name,
        "phone": dossier.applicant_phone,
        "address": address,
        "agency": unit.code,
        "note": dossier.code or "",
    }


def messages_for_event(dossier: Dossier, event: DossierEvent) -> list[tuple[str, dict[str, Any]]]:
    """A pickup order when a dossier is received by post; a delivery order when a result to be
    delivered by post is ready. One of each per dossier at most (``ref`` names the dossier)."""
    if not dossier.code:
        return []
    if event.type in PICKUP_EVENTS and dossier.channel == Channel.POSTAL:
        return [(PICKUP, order(dossier, PICKUP))]
    if event.type == EventType.RESOLVE and dossier.delivery_channel == DeliveryChannel.POSTAL:
        return [(DELIVERY, order(dossier, DELIVERY))]
    return []


def send(kind: str, payloads: list[dict[str, Any]]) -> Outcome:
    (payload,) = payloads
    try:
        status, answer = post_json(
            f"{settings.MOTCUA_POSTAL_URL}/orders",
            payload,
            headers={"Authorization": f"Bearer {settings.MOTCUA_POSTAL_TOKEN}"},
            timeout=settings.MOTCUA_SYNC_TIMEOUT_SECONDS,
        )
    except Unreachable as exc:
        return Outcome.retry(str(exc))
    if status >= 500:
        return Outcome.retry(f"HTTP {status}")
    if status in (200, 201) and isinstance(answer, dict) and answer.get("tracking"):
        return Outcome.sent(str(answer["tracking"]))
    return Outcome.refused(f"HTTP {status}: {str(answer)[:500]}")


def on_sent(dossier_id: int, kind: str, payload: dict[str, Any], answer: str) -> None:
    """Keep the tracking number the operator gave for the order."""
    from motcua.integrations.models import PostalOrder

    PostalOrder.objects.update_or_create(
        ref=payload["ref"],
        defaults={"dossier_id": dossier_id, "kind": kind, "tracking": answer, "status": "ordered"},
    )


def signature(body: bytes, secret: str | None = None) -> str:
    key = (settings.MOTCUA_POSTAL_SECRET if secret is None else secret).encode("utf-8")
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, given: str) -> bool:
    if not settings.MOTCUA_POSTAL_SECRET or not given:
        return False
    return hmac.compare_digest(signature(body), given.strip().lower())


def parse_callback(data: Any) -> dict[str, Any]:
    """The callback's fields, checked; raises ValueError naming the field in error."""
    if not isinstance(data, dict):
        raise ValueError("body: a JSON object is expected")
    out: dict[str, Any] = {}
    for field in ("tracking", "ref", "status", "at"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{field}: required")
        out[field] = value.strip()
    if out["status"] not in CALLBACK_STATUSES:
        raise ValueError(f"status: one of {', '.join(CALLBACK_STATUSES)}")
    try:
        at = dt.datetime.fromisoformat(out["at"])
    except ValueError:
        raise ValueError("at: an ISO 8601 time with its offset is expected") from None
    if at.tzinfo is None:
        raise ValueError("at: the time needs its offset (+07:00)")
    out["at"] = at
    code, _sep, kind = out["ref"].rpartition(":")
    if not code or kind not in (PICKUP, DELIVERY):
        raise ValueError("ref: '<dossier code>:pickup' or '<dossier code>:delivery' expected")
    out["code"], out["kind"] = code, kind
    return out
