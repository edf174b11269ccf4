"""The look-up's lean path (core/leanpath.py): an anonymous ``/portal/`` request goes through a
shorter middleware list, and answers exactly as the full list would — CSRF, the security headers,
the throttle, the same answer for a wrong proof and an unknown code, Vietnamese, the request log
line and the metrics. Driven as gunicorn drives the application: a WSGI environ, a real CSRF
cookie and form token."""

from __future__ import annotations

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.http import HttpRequest
from django.middleware.csrf import _unmask_cipher_token
from prometheus_client import REGISTRY

from motcua.core import leanpath
from motcua.portal import lookup as portal_lookup
from motcua.portal import views
from motcua.portal.fastpath import FastLookup
from motcua.portal.models import LookupFailure
from tests.dossiers.factories import received_dossier
from tests.wsgi_environ import browser_environ

pytestmark = pytest.mark.django_db
ID_NUMBER = "099111222333"
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
MASKED = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["primary only", "with a replica"])
def mode(request, monkeypatch):
    """Without a replica (production's usual case) the throttle is read in the look-up's own
    statement; with one (the tests' settings have it) it is read first."""
    if request.param == "primary only":
        monkeypatch.setattr(views, "replica_configured", lambda: False)
    return request.param


@pytest.fixture
def app():
    """The WSGI application as config/wsgi.py builds it (Django's handler, then the dispatcher
    with the fast path in front of the lean handler). The page caches are emptied so that both
    handlers start alike."""
    portal_lookup.forget_all()
    return leanpath.dispatcher(WSGIHandler(), fast=FastLookup)


@pytest.fixture
def dossier():
    return received_dossier(
        applicant_id_number=ID_NUMBER,
        applicant_name="Vũ Thị Yến",
        applicant_phone="0912345678",
        applicant_email="yen@example.vn",
        applicant_address="Số 7 đường Lê Lợi",
    )


def call(handler, *, method="POST", path="/portal/", form=None, cookies=None, address=None,
         extra=None):  # fmt: skip
    """(status code, headers, body) of ``handler`` for a browser's request (``extra``: more of
    the environ, such as headers)."""
    environ = browser_environ(method=method, path=path, form=form, cookies=cookies,
                              address=address or "203.0.113.7")  # fmt: skip
    environ.update(extra or {})
    started: list = []
    # As Django's test client: the test's transaction must survive the request's signals.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        answer = handler(environ, lambda status, headers, exc=None: started.append(headers))
        try:
            content = b"".join(answer)
        finally:
            answer.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    status = int(answer.status_code)
    return status, started[0], content.decode()


def post(handler, form, *, token=None, address=None):
    """A look-up with the CSRF cookie and the form's token, as a browser sends it."""
    token = token or secrets.token_hex(16)
    return call(
        handler,
        form={"csrfmiddlewaretoken": token, **form},
        cookies={"csrftoken": token},
        address=address,
    )


def comparable(answer):
    """An answer without what differs by design between two requests: the request id, the
    masked CSRF token (checked to unmask to the cookie's secret), the cookie's expiry (and its
    secret, new on a first visit)."""
    status, headers, body = answer
    cookie = dict(headers).get("Set-Cookie", "")
    secret = re.search(r"csrftoken=([A-Za-z0-9]+)", cookie)
    tokens = set(MASKED.findall(body))  # the form's fields and the htmx header
    for token in tokens:
        assert secret and _unmask_cipher_token(token) == secret.group(1)
    body = MASKED.sub("…", body)
    kept = sorted(
        (name, re.sub(r"expires=[^;]+|csrftoken=[A-Za-z0-9]+", "…", value))
        for name, value in headers
        if name != "X-Request-ID"
    )
    return status, kept, body


def both(app, form, **kwargs):
    """The answers of the lean and the full handler to the same look-up (same CSRF secret)."""
    token = secrets.token_hex(16)
    lean = post(app.lean, form, token=token, **kwargs)
    full = post(app.full, form, token=token, **kwargs)
    return comparable(lean), comparable(full)


def test_the_dispatcher_takes_the_lean_path_only_for_an_anonymous_lookup():
    names = (settings.SESSION_COOKIE_NAME, leanpath.MESSAGE_COOKIE_NAME)

    def lean(path="/portal/", cookie=""):
        return leanpath.is_lean({"PATH_INFO": path, "HTTP_COOKIE": cookie}, names)

    assert lean() and lean(cookie="csrftoken=abc; django_language=en")
    assert not lean(cookie="csrftoken=abc; sessionid=xyz")  # signed in (or a session)
    assert not lean(cookie="messages=abc")  # a message waits
    for path in ("/portal/rate/", "/portal/procedures/", "/", "/portal", "/api/portal/"):
        assert not lean(path=path)


def test_the_lean_chain_is_the_full_one_without_the_no_ops():
    chain = leanpath.lean_middleware(settings.MIDDLEWARE)
    assert chain == [m for m in settings.MIDDLEWARE if m in chain]  # same order
    assert set(settings.MIDDLEWARE) - set(chain) == leanpath.SKIPPED & set(settings.MIDDLEWARE)
    for kept in (
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "motcua.core.csp.CachedPolicyCSPMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django.middleware.common.CommonMiddleware",
        "motcua.core.middleware.RequestGuardMiddleware",
        "motcua.core.middleware.LanguageMiddleware",
        "motcua.ops.logs.RequestLogMiddleware",
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ):
        assert kept in chain


def test_config_wsgi_serves_through_the_dispatcher():
    env = dict(os.environ, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    code = (
        "from config.wsgi import application as a; "
        "from motcua.core.leanpath import LeanHandler; "
        "assert isinstance(a.lean, LeanHandler); print('dispatcher')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "dispatcher", out.stderr


def test_the_lean_answer_equals_the_full_one(app, dossier, mode, settings):
    settings.MOTCUA_PORTAL_MAX_FAILURES = 100  # the throttle has its own test below
    for form in (
        {"code": dossier.code, "id_number": ID_NUMBER},  # found (rendered, then from the cache)
        {"code": dossier.code.lower(), "id_number": ID_NUMBER},
        {"code": dossier.code, "id_number": "001090000999"},  # wrong ID number
        {"code": "000.00.00.H99-991231-9999", "id_number": ID_NUMBER},  # unknown code
        {"code": dossier.code},  # incomplete
        {"code": '<b>"x"</b>', "id_number": "<script>"},  # typed values escaped alike
    ):
        for _ in range(2):
            lean, full = both(app, form)
            assert lean == full, form
    # The form itself (GET) and a first visit without any cookie.
    assert comparable(call(app.lean, method="GET")) == comparable(call(app.full, method="GET"))


def test_the_found_page_in_vietnamese_with_every_header_and_no_one_elses_data(app, dossier):
    status, headers, body = post(app, {"code": dossier.code, "id_number": ID_NUMBER})
    headers = dict(headers)
    assert status == 200 and 'id="lookup-result"' in body and dossier.code in body
    assert "Tra cứu hồ sơ" in body and headers["Content-Language"] == "vi"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert int(headers["Content-Length"]) == len(body.encode())
    for private in ("Vũ Thị Yến", "0912345678", "yen@example.vn", "Số 7 đường Lê Lợi"):
        assert private not in body


def test_csrf_is_refused_on_the_lean_path(app, dossier):
    form = {"code": dossier.code, "id_number": ID_NUMBER}
    token = secrets.token_hex(16)
    assert call(app, form=form)[0] == 403  # neither cookie nor token
    assert call(app, form=form, cookies={"csrftoken": token})[0] == 403  # no token in the form
    other = {"csrfmiddlewaretoken": secrets.token_hex(16), **form}
    assert call(app, form=other, cookies={"csrftoken": token})[0] == 403  # not the cookie's
    status, _headers, body = post(app, form, token=token)
    assert status == 200 and 'id="lookup-result"' in body
    # The page's token (masked anew) is accepted for the next look-up.
    again = {"csrfmiddlewaretoken": TOKEN_FIELD.search(body).group(1), **form}
    assert call(app, form=again, cookies={"csrftoken": token})[0] == 200


def test_a_wrong_proof_and_an_unknown_code_get_the_same_answer(app, dossier, mode):
    token = secrets.token_hex(16)
    unknown_code = "000.00.00.H99-991231-9999"
    wrong = post(app, {"code": dossier.code, "id_number": "001090000999"}, token=token)
    unknown = post(app, {"code": unknown_code, "id_number": "001090000999"}, token=token)
    assert wrong[0] == unknown[0] == 200 and 'id="not-found"' in wrong[2]
    # Equal but for the code the citizen typed, shown back in the form.
    wrong = (*wrong[:2], wrong[2].replace(dossier.code, "…"))
    unknown = (*unknown[:2], unknown[2].replace(unknown_code, "…"))
    assert comparable(wrong) == comparable(unknown)


def test_the_throttle_trips_on_the_lean_path(app, dossier, settings, mode):
    settings.MOTCUA_PORTAL_MAX_FAILURES = 3
    for _ in range(3):
        status, _headers, body = post(app, {"code": dossier.code, "id_number": "000000000000"})
        assert status == 200 and 'id="not-found"' in body
    status, headers, body = post(app, {"code": dossier.code, "id_number": ID_NUMBER})
    assert status == 429 and 'id="throttled"' in body and "Retry-After" in dict(headers)
    assert 'id="lookup-result"' not in body and dossier.code not in body.split("<form")[0]
    assert LookupFailure.objects.get().count == 3
    # Another address is not blocked.
    status, _headers, body = post(
        app, {"code": dossier.code, "id_number": ID_NUMBER}, address="198.51.100.9"
    )
    assert status == 200 and 'id="lookup-result"' in body


def test_a_signed_in_official_takes_the_full_path(app, dossier, client, django_user_model):
    user = django_user_model.objects.create_user(username="canbo", password="x" * 12)
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    token = secrets.token_hex(16)
    form = {"csrfmiddlewaretoken": token, "code": dossier.code, "id_number": ID_NUMBER}
    cookies = {"csrftoken": token, settings.SESSION_COOKIE_NAME: session}
    status, _headers, body = call(app, form=form, cookies=cookies)
    assert status == 200 and 'id="lookup-result"' in body
    assert "/portal/" not in body.split('class="btn btn-sm btn-outline-light" href="')[1][:3]


def test_the_request_log_line_and_the_metrics_are_kept(app, dossier, caplog):
    labels = {"status": "200", "view": "portal:lookup", "method": "POST"}
    name = "django_http_responses_total_by_status_view_method_total"
    before = REGISTRY.get_sample_value(name, labels) or 0
    with caplog.at_level(logging.INFO, logger="motcua.request"):
        post(app, {"code": dossier.code, "id_number": ID_NUMBER})
    lines = [r for r in caplog.records if r.name == "motcua.request"]
    assert len(lines) == 1 and lines[0].route == "portal/" and lines[0].status == 200
    assert ID_NUMBER not in caplog.text and dossier.code not in caplog.text
    assert REGISTRY.get_sample_value(name, labels) == before + 1


def test_the_portal_csrf_token_is_djangos_masking_of_the_cookie_secret():
    request = HttpRequest()
    secret = secrets.token_hex(16)
    request.META["CSRF_COOKIE"] = secret
    tokens = {portal_lookup.csrf_token(request) for _ in range(200)}
    assert len(tokens) == 200  # a new mask every time
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9]{64}", token)
        assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    fresh = HttpRequest()  # no cookie yet: Django makes the secret and its cookie
    assert _unmask_cipher_token(portal_lookup.csrf_token(fresh)) == fresh.META["CSRF_COOKIE"]
