"""htmx helpers: the same URL serves the full page and, to htmx, only the fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    """True for an htmx request that wants a fragment (not a boosted full-page load)."""
    htmx = getattr(request, "htmx", None)
    if htmx is not None:
        return bool(htmx) and not htmx.boosted
    return request.headers.get("HX-Request") == "true"


def render_htmx(
    request: HttpRequest,
    full_template: str,
    partial_template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render `partial_template` for htmx requests, `full_template` otherwise."""
    template = partial_template if is_htmx(request) else full_template
    response = render(request, template, context or {}, status=status)
    response["Vary"] = "HX-Request"
    return response
