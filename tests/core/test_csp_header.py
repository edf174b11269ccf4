"""core.csp's middleware sends exactly the headers django-csp's own middleware sends."""

from __future__ import annotations

import base64

from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from config.settings import _CSP
from motcua.core.csp import CachedPolicyCSPMiddleware

_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _view(*, nonce_used: bool, decorate: str):
    def view(request):
        response = HttpResponse("page")
        if nonce_used:
            response.content = f"<script nonce='{request.csp_nonce}'></script>".encode()
        return response

    if decorate == "update":
        return csp_update({"img-src": ["https://tiles.example"]})(view)
    if decorate == "exempt":
        return csp_exempt()(view)
    return view


def _answer(middleware_class, view, path: str, nonce: bytes):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    # The same nonce for both middlewares (django-csp makes it from os.urandom(16)).
    middleware._make_nonce = lambda request: _fixed(request, nonce)
    response = middleware(request)
    return {h: response.get(h) for h in _HEADERS}, response.content


def _fixed(request, nonce: bytes) -> str:
    request._csp_nonce = base64.b64encode(nonce).decode("ascii")
    return request._csp_nonce


@settings(max_examples=150, deadline=None)
@given(
    mode=st.sampled_from(["enforce", "report-only", "both", "off"]),
    nonce=st.binary(min_size=16, max_size=16),
    nonce_used=st.booleans(),
    decorate=st.sampled_from(["", "update", "exempt"]),
    path=st.sampled_from(["/portal/", "/api/v1/x", "/static/a.css"]),
    exclude=st.sampled_from([(), ("/api/",)]),
)
def test_the_same_headers_as_django_csp(mode, nonce, nonce_used, decorate, path, exclude):
    policy = {**_CSP, "EXCLUDE_URL_PREFIXES": exclude}
    enforce = policy if mode in ("enforce", "both") else None
    report = policy if mode in ("report-only", "both") else None
    with override_settings(
        CONTENT_SECURITY_POLICY=enforce, CONTENT_SECURITY_POLICY_REPORT_ONLY=report
    ):
        for _twice in range(2):  # the second answer comes from the cached header
            view = _view(nonce_used=nonce_used, decorate=decorate)
            ours = _answer(CachedPolicyCSPMiddleware, view, path, nonce)
            theirs = _answer(CSPMiddleware, view, path, nonce)
            assert ours == theirs


def test_the_nonce_is_in_the_header_and_differs_per_response():
    view = _view(nonce_used=True, decorate="")
    first, body1 = _answer(CachedPolicyCSPMiddleware, view, "/portal/", b"\x01" * 16)
    second, body2 = _answer(CachedPolicyCSPMiddleware, view, "/portal/", b"\x02" * 16)
    header1, header2 = first["Content-Security-Policy"], second["Content-Security-Policy"]
    nonce1, nonce2 = (base64.b64encode(b * 16).decode() for b in (b"\x01", b"\x02"))
    assert f"'nonce-{nonce1}'" in header1 and nonce1.encode() in body1
    assert f"'nonce-{nonce2}'" in header2 and nonce1 not in header2
