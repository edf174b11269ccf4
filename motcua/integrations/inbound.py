"""What other systems push to us, applied through the dossier services: online dossiers from
the national portal (§3) and the postal operator's callbacks (§4)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from motcua.core.errors import IllegalTransition, MotcuaError
from motcua.dossiers import services
from motcua.dossiers.choices import DeliveryChannel, DossierState
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import INTEGRATION, POSTAL
from motcua.integrations.adapters import national, postal
from motcua.integrations.adapters.national_inbound import answer, read_push
from motcua.integrations.models import NationalDossier, PostalOrder


def _known(ref: str) -> dict[str, Any] | None:
    found = (
        NationalDossier.objects.filter(national_ref=ref)
        .values_list("dossier__code", "dossier__state")
        .first()
    )
    if found is None:
        return None
    code, state = found
    return answer(code=code or "", national_ref=ref, status=national.STATUS[state])


def receive_push(data: Any) -> tuple[int, dict[str, Any] | None, list[tuple[str, str]]]:
    """(HTTP status, answer, errors). The same MaHoSoQG again answers 200 with its dossier.

    The dossier services act as the ``INTEGRATION`` system actor (the endpoint has already
    checked that the calling account may push for the portal)."""
    ref = data.get("MaHoSoQG") if isinstance(data, dict) else None
    if isinstance(ref, str) and ref.strip() and (known := _known(ref.strip())):
        return 200, known, []
    push, errors = read_push(data)
    if push is None:
        return 422, None, errors
    try:
        with transaction.atomic(), national.receiving_from_portal(push.national_ref):
            dossier = services.dossier_submit_online(
                actor=INTEGRATION,
                agency=push.agency,
                procedure=push.procedure,
                delivery_channel=push.delivery_channel,
                note=push.note,
                at=push.submitted_at,
                **push.applicant,
            )
            NationalDossier.objects.create(national_ref=push.national_ref, dossier=dossier)
            documents = (
                {d.name.strip().lower(): d for d in dossier.documents.all()} if push.files else {}
            )
            for f in push.files:
                services.dossier_attach_file(
                    dossier=dossier,
                    actor=INTEGRATION,
                    uploaded_file=ContentFile(f.content, name=f.name),
                    document=documents.get(f.document_name.strip().lower()),
                    at=push.submitted_at,
                )
    except IntegrityError:
        known = _known(push.national_ref)  # pushed twice at the same moment: the other won
        if known is None:
            raise
        return 200, known, []
    except MotcuaError as exc:
        return 422, None, [("body", str(exc))]
    body = answer(code=dossier.code or "", national_ref=push.national_ref, status=1)
    return 201, body, []


def postal_callback(event: dict[str, Any]) -> tuple[int, str]:
    """Apply a checked callback; a repeat changes nothing. Returns (HTTP status, detail)."""
    dossier = Dossier.objects.filter(code=event["code"]).first()
    if dossier is None:
        return 404, f"ref: unknown dossier {event['code']}"
    with transaction.atomic():
        order, _created = PostalOrder.objects.select_for_update().get_or_create(
            ref=event["ref"],
            defaults={"dossier": dossier, "kind": event["kind"], "tracking": event["tracking"]},
        )
        repeat = order.status == event["status"]
        order.status, order.tracking = event["status"], event["tracking"] or order.tracking
        order.save(update_fields=["status", "tracking"])
        if repeat or event["kind"] != postal.DELIVERY or event["status"] == "picked_up":
            return 200, "recorded" if not repeat else "already recorded"
        try:
            if event["status"] == "delivered":
                services.dossier_deliver(
                    dossier=dossier,
                    actor=POSTAL,
                    delivery_channel=DeliveryChannel.POSTAL,
                    postal_tracking=event["tracking"],
                    at=event["at"],
                )
            else:
                services.dossier_postal_return(
                    dossier=dossier,
                    actor=POSTAL,
                    postal_tracking=event["tracking"],
                    reason="returned by the postal operator",
                    at=event["at"],
                )
        except IllegalTransition:
            dossier.refresh_from_db()
            if dossier.state == DossierState.DELIVERED:
                return 200, "already recorded"
            raise
    return 200, "recorded"
