"""How the API turns errors into responses: always a 4xx JSON ``{"detail": "..."}``.

``MotcuaError`` and its kinds (from services and selectors) map to 400 / 403 / 404 / 409;
invalid input (a body, a query parameter) is 422 with one readable message plus the
per-field list under ``errors``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import (
    IllegalTransition,
    ImportFailed,
    MotcuaError,
    NotFound,
    PermissionDenied,
)

STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (IllegalTransition, 409),
    (NotFound, 404),
    (PermissionDenied, 403),
    (DjangoPermissionDenied, 403),
    (MotcuaError, 400),
)


def _field_path(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    """pydantic's message, without the "Value error, " it puts before our validators' own."""
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One line naming every field in error: ``channel: Input should be 'direct' or ...``."""
    parts = []
    for error in errors:
        parts.append(f"{_field_path(error.get('loc', ()))}: {_message(error)}")
    return "; ".join(parts) or "invalid input"


def _clean(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"field": _field_path(e.get("loc", ())), "message": _message(e)} for e in errors]


def register_error_handlers(api: NinjaAPI) -> None:
    """Install the handlers on ``api`` (called once from motcua/api.py)."""

    def _message(status: int):
        def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
            detail = str(exc) or "request refused"
            return api.create_response(request, {"detail": detail}, status=status)

        return handler

    for error_class, status in STATUS_BY_ERROR:
        api.add_exception_handler(error_class, _message(status))

    def import_failed(request: HttpRequest, exc: ImportFailed) -> HttpResponse:
        body = {
            "detail": "rejected, nothing was imported",
            "errors": [{"row": e.row, "field": e.column, "message": e.message} for e in exc.errors],
        }
        return api.create_response(request, body, status=422)

    def ninja_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = {"detail": validation_message(exc.errors), "errors": _clean(exc.errors)}
        return api.create_response(request, body, status=422)

    def django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)

    api.add_exception_handler(ImportFailed, import_failed)
    api.add_exception_handler(NinjaValidationError, ninja_invalid)
    api.add_exception_handler(DjangoValidationError, django_invalid)


# Answers any operation can give, whatever its own code declares: documented on every operation
# of the OpenAPI document (``document_api_errors``) so that clients, and schemathesis, know them.
API_WIDE_ERRORS: dict[int, str] = {
    400: "The request was refused: a NUL character in the address or a query parameter, a body "
    "that is not JSON, or a rule of the service.",
    401: "No valid API token (Authorization: Bearer <token>) nor session.",
    403: "The user may not do this (a session request also needs its CSRF token).",
    404: "Not found, or not visible to the user.",
    422: "Invalid input: the detail names each field in error.",
}
BODY_ERRORS: dict[int, str] = {
    409: "The workflow does not allow this action in the dossier's current state.",
    413: "The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE.",
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, and where."},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["detail"],
}


def document_api_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the API-wide error answers to every operation of an OpenAPI document (in place)."""
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(API_WIDE_ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors.update(BODY_ERRORS)
            responses = operation["responses"]
            for status, description in errors.items():
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                }
    return schema
