"""The portal's look-up answered without Django's request handling, when it finds the dossier.

Issue 13 asks for 2,000 look-ups a second. With the lean middleware chain (core/leanpath.py,
decisions.md #48) a cached look-up still cost about 1.1 ms of worker CPU in process, most of it
Django's request cycle around the view (the URL resolver, ten middleware layers called through
their wrappers, the view's dispatch) rather than any of the work itself. ``FastLookup`` sits in
front of the lean handler and does the same work directly, **by calling the same code**:

- the request is Django's ``WSGIRequest`` (form and cookies parsed by Django);
- each layer of the lean chain is an instance of its own class, its methods called in the order
  Django's handler calls them: ``SecurityMiddleware`` (the HTTPS redirect; nosniff, referrer
  policy, COOP, HSTS), the CSP header (``core.csp``), the request guard's ``refusal`` (NUL
  characters, body size), the language, ``CommonMiddleware`` (the ``Host`` check,
  ``Content-Length``), **Django's ``CsrfViewMiddleware``** (its own check, see ``_CsrfProbe``),
  ``X-Frame-Options``, the request log (``X-Request-ID``, its line) and both Prometheus layers;
- the form is the view's ``LookupForm`` (its fields copied once, ``_validated``), the dossier comes from the view's ``find_quietly``
  (the throttle's rule included: a blocked client gets no dossier), the page from
  ``lookup.result_page`` (the per-process cache of decisions.md #35).

It answers only a look-up that **finds** a dossier, posted as a browser posts the form (POST,
urlencoded, no query string, a small body). Everything else goes to the lean handler unchanged,
with the body put back: a CSRF refusal, a host not allowed, an HTTPS redirect, an invalid form,
a miss (wrong ID number or secret, unknown code: Django's view answers both, counts the miss and
answers 429 to a blocked client — so they get the same answer as before, from the same code),
any exception. Nothing is counted, logged or measured before the dossier is found, so a request
handed back is handled once.

Enabled only when the lean chain is exactly ``FAST_CHAIN`` (a middleware added to the settings
turns it off until it is taught here; ``tests/portal/test_lookup_fastpath.py`` fails then) and
no database wraps requests in a transaction (``ATOMIC_REQUESTS``).
``tests/portal/test_lookup_fastpath.py`` draws look-ups (right and wrong ID numbers and secrets,
unknown codes, missing and wrong CSRF tokens, foreign origins, blocked clients, English) and finds
the same status, headers (in order) and body as Django's lean handler, and the same log line
and metrics.
"""

from __future__ import annotations

import copy
import io
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import resolve, set_script_prefix, set_urlconf
from django.utils.datastructures import MultiValueDict
from django.utils.module_loading import import_string

from motcua.ops.logs import request_id_var
from motcua.portal.fastanswer import KnownAnswer

# The lean chain this module calls, outermost first (settings.MIDDLEWARE minus leanpath.SKIPPED).
FAST_CHAIN = (
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "motcua.ops.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.csp.CachedPolicyCSPMiddleware",
    "motcua.core.middleware.RequestGuardMiddleware",
    "motcua.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)
FORM = "application/x-www-form-urlencoded"
# A look-up's form is a few hundred bytes; anything larger is left to Django.
MAX_BODY = 4096
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_REFUSED = "refused"


class _CsrfProbe(CsrfViewMiddleware):
    """Django's CSRF middleware, unchanged but for a refusal: instead of rendering the 403 page
    and logging it, it says "refused" — the request then goes to the lean handler, whose
    ``CsrfViewMiddleware`` refuses it the usual way (once)."""

    def _reject(self, request: HttpRequest, reason: str) -> Any:
        return _REFUSED


def _never(request: HttpRequest) -> HttpResponse:  # pragma: no cover - layers are not chained
    raise AssertionError("the fast path calls the layers' methods, not the chain")


def chain_fits(middleware: Iterable[str]) -> bool:
    """Whether the lean chain is the one this module knows, and no request is atomic."""
    atomic = any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values())
    return tuple(middleware) == FAST_CHAIN and not atomic and not settings.CSRF_USE_SESSIONS


class FastLookup:
    """A WSGI application: a found look-up answered here, everything else by ``lean``."""

    def __init__(self, lean: Any) -> None:
        self.lean = lean
        self.enabled = chain_fits(lean.middleware)
        if not self.enabled:
            return
        layers = {path: import_string(path)(_never) for path in FAST_CHAIN if "csrf" not in path}
        self.before = layers[FAST_CHAIN[0]]
        self.log = layers[FAST_CHAIN[1]]
        self.security = layers[FAST_CHAIN[2]]
        self.csp = layers[FAST_CHAIN[3]]
        self.guard = layers[FAST_CHAIN[4]]
        self.language = layers[FAST_CHAIN[5]]
        self.common = layers[FAST_CHAIN[6]]
        self.csrf = _CsrfProbe(_never)
        self.xframe = layers[FAST_CHAIN[8]]
        self.after = layers[FAST_CHAIN[9]]
        self.match = resolve("/portal/")  # the look-up's view, its name and route
        self.known: dict[tuple[str, bool], KnownAnswer | None] = {}  # fastanswer.py
        self.sender = type(lean)  # the signals' sender, as the lean handler sends them
        # The view's own parts (imported here: the views need the app registry).
        from motcua.portal.lookup import result_page
        from motcua.portal.throttle import client_address
        from motcua.portal.views import LookupForm, find_quietly

        self.find, self.page, self.client_address = find_quietly, result_page, client_address
        # The view's form, unbound, its fields copied and guarded once (see _validated).
        self.form = LookupForm()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        body = self._body(environ) if self.enabled else None
        if body is None:
            return self.lean(environ, start_response)
        try:
            response = self.answer(environ)
        except Exception:  # Django's handler answers it (500 page, log) from the start
            response = None
        if response is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.lean(environ, start_response)
        response, headers = response
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response  # its close() sends request_finished, as Django's would

    @staticmethod
    def _body(environ: dict[str, Any]) -> bytes | None:
        """The posted form's bytes (read, and put back for Django), or None: not a browser's
        look-up form."""
        if (
            environ.get("REQUEST_METHOD") != "POST"
            or environ.get("QUERY_STRING")
            or environ.get("CONTENT_TYPE") != FORM
        ):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def _validated(self, data: Any) -> dict[str, Any] | None:
        """The view's ``LookupForm`` bound to ``data``: its cleaned data, or None when it is not
        valid. Django deep-copies a form's fields for every form made (and ``CleanForm`` adds
        its validators to the copies): here a shallow copy of one form made at start shares
        those fields, which validation only reads."""
        form = copy.copy(self.form)
        form.is_bound, form.data, form.files = True, data, MultiValueDict()
        form._errors, form._bound_fields_cache = None, {}
        return form.cleaned_data if form.is_valid() else None

    def answer(self, environ: dict[str, Any]) -> tuple[HttpResponse, list] | None:
        """The answer to a look-up that finds its dossier and its headers, or None (nothing
        done yet)."""
        started = time.perf_counter()
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        # The layers' request halves, in the chain's order; any answer of theirs is Django's.
        if self.security.process_request(request) is not None:
            return None
        self.csp.process_request(request)
        if self.guard.refusal(request) is not None:
            return None
        language = self.language.choose(request)
        try:
            if self.common.process_request(request) is not None:
                return None
        except (DisallowedHost, PermissionDenied):
            return None
        self.csrf.process_request(request)
        request.resolver_match = self.match
        if self.csrf.process_view(request, self.match.func, (), {}) is not None:
            return None
        cleaned = self._validated(request.POST)
        if cleaned is None:
            return None
        # The view's work: from here on as Django's handler (request signals, URLconf).
        signals.request_started.send(sender=self.sender, environ=environ)
        set_urlconf(settings.ROOT_URLCONF)
        page = None
        try:
            dossier = self.find(
                code=cleaned["code"],
                proof=cleaned["id_number"],
                address=self.client_address(request),
            )
            if dossier is not None:
                post = request.POST
                page = self.page(request, dossier, code=post["code"], proof=post["id_number"])
        finally:
            if page is None:  # handed back: the lean handler sends its own signals
                signals.request_finished.send(sender=self.sender)
        if page is None:
            return None
        page._resource_closers.append(request.close)
        page._handler_class = self.sender  # its close() sends request_finished
        key = (language, request.is_secure())
        known = self.known.get(key)
        if (
            known is None
            or isinstance(getattr(request, "_csp_nonce", None), str)  # a nonce in the header
            or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            response = self._respond(request, page, language, started)
            headers = _wsgi_headers(response)
            if key not in self.known:
                self.known[key] = KnownAnswer.learn(request, response, headers)
            return response, headers
        return page, known.answer(self, request, page, started)

    def _respond(
        self, request: HttpRequest, response: HttpResponse, language: str, started: float
    ) -> HttpResponse:
        """What the chain does around the view, in its order: the requests' counters and the
        log's request id first, then each layer's response half, innermost first."""
        token, _now = self.log.start(request)
        try:
            self.before.process_request(request)
            self.after.process_request(request)
            # Latency from the request's start, as when the layers ran before the view.
            request.prometheus_before_middleware_event = started
            request.prometheus_after_middleware_event = started
            self.after.process_view(request, self.match.func, (), {})
            response = self.after.process_response(request, response)
            response = self.xframe.process_response(request, response)
            response = self.csrf.process_response(request, response)
            response = self.common.process_response(request, response)
            self.language.finish(response, language)
            response = self.csp.process_response(request, response)
            response = self.security.process_response(request, response)
            self.log.finish(request, response, started)
            response = self.before.process_response(request, response)
        finally:
            request_id_var.reset(token)
        return response


def _wsgi_headers(response: HttpResponse) -> list[tuple[str, str]]:
    """As django.core.handlers.wsgi.WSGIHandler.__call__ hands them to the server."""
    return [
        *response.items(),
        *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
    ]
