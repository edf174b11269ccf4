"""Endpoints other systems call: the national portal's push (§3), the postal callbacks (§4).

``POST /api/v1/national/dossiers`` — bearer token of an account with the permission
"integrations.add_nationaldossier". Body: the portal's JSON (``adapters/national_inbound``).
201 with the new dossier; 200 with the same dossier for a ``MaHoSoQG`` already received;
422 ``{"detail", "errors": [{"field", "message"}]}`` with nothing written.

``POST /api/v1/postal/events`` — signed with ``X-Signature: hex(HMAC-SHA256(secret, body))``;
401 for a bad signature (nothing changed).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.accounts.tokens import api_auth
from motcua.core.errors import PermissionDenied
from motcua.integrations import inbound
from motcua.integrations.adapters import postal

national_router = Router(tags=["national portal"], auth=api_auth())
postal_router = Router(tags=["postal operator"], auth=None)


def _json(request: HttpRequest):
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


def _unprocessable(errors: list[tuple[str, str]]) -> JsonResponse:
    detail = "; ".join(f"{f}: {m}" for f, m in errors)
    return JsonResponse(
        {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]},
        status=422,
        json_dumps_params={"ensure_ascii": False},
    )


@national_router.post(
    "/dossiers",
    summary="Receive an online dossier from the national portal",
    operation_id="national_dossier_push",
)
def national_push(request: HttpRequest) -> HttpResponse:
    if not request.auth.has_perm("integrations.add_nationaldossier"):
        raise PermissionDenied(_("this account may not push dossiers from the national portal"))
    status, body, errors = inbound.receive_push(_json(request))
    if errors:
        return _unprocessable(errors)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@postal_router.post("/events", summary="A postal operator's callback", operation_id="postal_event")
def postal_event(request: HttpRequest) -> HttpResponse:
    if not postal.signature_ok(request.body, request.headers.get("X-Signature", "")):
        return JsonResponse({"detail": "bad signature"}, status=401)
    try:
        event = postal.parse_callback(_json(request))
    except ValueError as exc:
        field, _sep, message = str(exc).partition(": ")
        return _unprocessable([(field, message)])
    status, detail = inbound.postal_callback(event)
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )
