"""The fast path's answer once learnt: its headers and counters without calling each layer.

The first found look-up of a process in a given language and scheme (HTTP/HTTPS) goes through
every layer's response half (portal/fastpath.py, ``FastLookup._respond``); its headers are then
kept, in their order, as a ``KnownAnswer``. They are the same for every later found look-up of
that kind, but three: ``Content-Length`` (the page's length), ``X-Request-ID`` (the request's id)
and the CSRF cookie (its secret, and its expiry: now + ``CSRF_COOKIE_AGE``, to the second, as
Django's ``set_cookie`` writes it). Everything else the layers write depends on the settings, the
language and the scheme only: X-Frame-Options, Vary, Content-Language, the CSP header (no nonce:
an answer whose page asked for one takes the layers again), nosniff, Referrer-Policy, COOP, HSTS.

The Prometheus layers' counters are the same metrics with the same labels, their children looked
up once (``labels()`` per request was most of their cost), and the request log's line is the
layer's own (``RequestLogMiddleware.finish``). ``tests/portal/test_lookup_fastpath.py`` compares
headers, body, log line and every ``django_http_*`` sample with Django's lean handler.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date
from django_prometheus.middleware import Metrics
from django_prometheus.utils import TimeSince

from motcua.ops.logs import HEADER as REQUEST_ID
from motcua.ops.logs import request_id_var

_EXPIRES = re.compile(r"expires=([^;]+)")
_LENGTH, _ID, _COOKIE = object(), object(), object()
_expires: tuple[int, str] = (-1, "")  # (second, its cookie expiry), replaced whole


def _cookie_expiry(now: float) -> str:
    global _expires
    second, text = _expires
    if second != int(now):
        second = int(now)
        text = http_date(second + settings.CSRF_COOKIE_AGE)
        _expires = (second, text)
    return text


class KnownAnswer:
    """The headers of a found look-up, learnt from the layers' answer (``learn``)."""

    def __init__(self, headers: list, cookie: tuple[str, str, str], transport: str) -> None:
        self.headers = headers  # (name, value or one of the three slots)
        self.cookie = cookie  # the Set-Cookie value around the secret and the expiry
        m = Metrics.get_instance()
        view, method = "portal:lookup", "POST"
        self.requests_total = m.requests_total
        self.responses_total = m.responses_total
        self.latency_before = m.requests_latency_before
        self.by_method = m.requests_by_method.labels(method=method)
        self.by_transport = m.requests_by_transport.labels(transport=transport)
        self.ajax = m.requests_ajax
        self.body_bytes = m.requests_body_bytes
        self.by_view = m.requests_by_view_transport_method.labels(
            view=view, transport=transport, method=method
        )
        self.by_status = m.responses_by_status.labels(status="200")
        self.by_status_view = m.responses_by_status_view_method.labels(
            status="200", view=view, method=method
        )
        self.by_charset = m.responses_by_charset.labels(charset="utf-8")
        self.response_bytes = m.responses_body_bytes
        self.latency = m.requests_latency_by_view_method.labels(view=view, method=method)

    @classmethod
    def learn(cls, request: HttpRequest, response: HttpResponse, headers: list):
        """The known answer of ``response`` (a 200 page with its CSRF cookie), or None when it
        is not of that shape (then every answer takes the layers)."""
        secret = request.META.get("CSRF_COOKIE", "")
        template: list = []
        cookie = None
        for name, value in headers:
            if name == "Content-Length" and value == str(len(response.content)):
                template.append((name, _LENGTH))
            elif name == REQUEST_ID and value == request.request_id:  # type: ignore[attr-defined]
                template.append((name, _ID))
            elif name == "Set-Cookie" and cookie is None and f"={secret};" in value:
                head, _secret, rest = value.partition(secret)
                expiry = _EXPIRES.search(rest)
                if expiry is None:
                    return None
                cookie = (head, rest[: expiry.start(1)], rest[expiry.end(1) :])
                template.append((name, _COOKIE))
            elif name in ("Content-Length", REQUEST_ID, "Set-Cookie"):
                return None
            else:
                template.append((name, value))
        if cookie is None or response.status_code != 200 or response.charset != "utf-8":
            return None
        return cls(template, cookie, "https" if request.is_secure() else "http")

    def answer(
        self, fast: Any, request: HttpRequest, page: HttpResponse, started: float
    ) -> list[tuple[str, str]]:
        """The counters and log line of ``page``'s answer, and its headers."""
        token, _now = fast.log.start(request)
        try:
            meta = request.META
            self.requests_total.inc()
            self.by_method.inc()
            self.by_transport.inc()
            if meta.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest":
                self.ajax.inc()
            self.body_bytes.observe(int(meta.get("CONTENT_LENGTH") or 0))
            self.by_view.inc()
            length = len(page.content)
            self.by_status.inc()
            self.by_status_view.inc()
            self.by_charset.inc()
            self.response_bytes.observe(length)
            self.latency.observe(TimeSince(started))
            fast.log.finish(request, page, started)
            self.responses_total.inc()
            self.latency_before.observe(TimeSince(started))
            meta["CSRF_COOKIE_NEEDS_UPDATE"] = False  # as the CSRF layer leaves it
            head, middle, tail = self.cookie
            cookie = f"{head}{meta['CSRF_COOKIE']}{middle}{_cookie_expiry(time.time())}{tail}"
            slots = {_LENGTH: str(length), _ID: page[REQUEST_ID], _COOKIE: cookie}
            return [(name, slots.get(value, value)) for name, value in self.headers]  # type: ignore[call-overload]
        finally:
            request_id_var.reset(token)
