"""The Content-Security-Policy header, built once per process instead of once per response.

django-csp's middleware rebuilds both headers from the settings on every response (copies,
sorts, joins: about a tenth of a portal look-up's CPU). A response that carries no per-view
override (``csp_update``/``csp_replace``/``csp_exempt`` decorators) gets exactly the header
django-csp would build: built once by ``csp.utils.build_policy`` itself with a placeholder in the
nonce's place, then the request's nonce put in (``tests/core/test_csp_header.py`` compares the
two). Anything else goes through django-csp unchanged.
"""

from __future__ import annotations

import http.client as http_client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Stands for the nonce in the cached header (base64 never contains "~").
_PLACEHOLDER = "~motcua-nonce~"
# (report_only, with a nonce) -> the header ("" for none), or its two halves around the nonce.
_built: dict[tuple[bool, bool], tuple[str, ...]] = {}
_OVERRIDES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def policy(*, report_only: bool, nonce: str | None) -> str:
    """The header for a response with no per-view override, as ``build_policy`` makes it."""
    key = (report_only, nonce is not None)
    parts = _built.get(key)
    if parts is None:
        text = build_policy(nonce=_PLACEHOLDER if nonce else None, report_only=report_only)
        parts = _built[key] = tuple(text.split(_PLACEHOLDER))
    return nonce.join(parts) if nonce and len(parts) > 1 else parts[0]


class CachedPolicyCSPMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if any(getattr(response, name, None) is not None for name in _OVERRIDES):
            return super().process_response(request, response)
        if (
            response.status_code
            in (
                http_client.INTERNAL_SERVER_ERROR,
                http_client.NOT_FOUND,
            )
            and settings.DEBUG
        ):
            return response
        nonce = getattr(request, "_csp_nonce", None)
        for report_only, header, exempt, setting in (
            (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            value = policy(report_only=report_only, nonce=nonce)
            if not value or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        if nonce is None:  # as django-csp: a nonce asked for after the header is an error
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
