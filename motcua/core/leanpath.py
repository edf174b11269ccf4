"""A second Django handler with a shorter middleware list, for the citizen portal's look-up.

The look-up (``POST /portal/``) is the one public page served thousands of times a second
(issue 13: 2,000/s). Most of ``settings.MIDDLEWARE`` does nothing for it when the browser holds no
session and no pending message, yet each layer costs its call, and some build objects per request
(the message storages, the lazy user, the session store). ``application`` (config/wsgi.py) sends
such requests to a ``LeanHandler`` whose chain is ``settings.MIDDLEWARE`` without ``SKIPPED``
(same order, same classes, so any middleware added later is kept unless listed here); everything
else goes to Django's usual handler.

Chosen per request, from the WSGI environ alone (no parsing):

- the path is exactly one of ``LEAN_PATHS`` (``/portal/``; not ``/portal/rate/``, which adds
  messages, nor any other page);
- the ``Cookie`` header does not contain the session cookie's name nor the message cookie's name
  (``SESSION_COOKIE_NAME``, ``messages``): the request is then anonymous (no session can be
  loaded, so ``request.user`` would be ``AnonymousUser``) and no message is waiting. A cookie
  whose name merely contains one of these (say ``xsessionid``) also takes the full path — never
  wrong, only slower.

Why each skipped middleware is a no-op there (``tests/portal/test_lookup_lean.py`` compares the
two handlers' answers):

- ``WhiteNoiseMiddleware`` serves only ``STATIC_URL`` paths;
- ``GenerationMiddleware`` already skips ``/portal/`` (``MOTCUA_MEMO_SCOPE_SKIP``);
- ``SessionMiddleware``, ``AuthenticationMiddleware``: no session cookie — an anonymous request,
  nothing to save; templates' ``user`` is ``AnonymousUser`` without them (the auth context
  processor) and the look-up's page shell is the anonymous one (portal/lookup.py);
- ``MessageMiddleware``: no message cookie and no session, so no message waits; the look-up view
  adds none (only ``/portal/rate/`` does);
- ``IdempotencyMiddleware`` acts on ``POST /api/…`` only; ``HtmxMiddleware`` sets
  ``request.htmx``, which no portal page reads; ``AxesMiddleware`` only turns a login lock-out
  (set by ``authenticate``) into its page, and the look-up authenticates nobody.

Kept, as on every page: the request log line and ``X-Request-ID``, the Prometheus metrics, the
security headers (nosniff, Referrer-Policy, COOP, HSTS and the HTTPS redirect when configured),
CSP, ``X-Frame-Options``, the request guard (NUL characters, body size), the language choice,
``CommonMiddleware`` (the ``Host`` check against ``ALLOWED_HOSTS``, ``Content-Length``) and
**CSRF**. With ``CSRF_USE_SESSIONS`` (the token in the session) there is no lean path at all.

In front of the lean handler, ``config/wsgi.py`` puts ``portal/fastpath.FastLookup``
(decisions.md #54): a look-up that finds its dossier is answered by calling these layers'
methods directly, everything else goes on to the lean handler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

LEAN_PATHS = frozenset({"/portal/"})
SKIPPED = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "motcua.core.generations.GenerationMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "motcua.core.idempotency.IdempotencyMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)
# The message framework's cookie (django.contrib.messages.storage.cookie.CookieStorage).
MESSAGE_COOKIE_NAME = "messages"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def lean_middleware(middleware: Iterable[str]) -> list[str]:
    """``middleware`` without the layers that are no-ops on a lean request (same order)."""
    return [path for path in middleware if path not in SKIPPED]


class LeanHandler(WSGIHandler):
    """Django's WSGI handler with its own middleware list instead of ``settings.MIDDLEWARE``."""

    def __init__(self, middleware: Iterable[str]) -> None:
        self.middleware = list(middleware)
        super().__init__()

    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE: give it ours for this one call
        # (at start-up, before any request is served), then put the setting back.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = self.middleware
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def is_lean(environ: dict[str, Any], cookie_names: tuple[str, ...]) -> bool:
    """Whether a request may take the lean handler (see the module's docstring)."""
    if environ.get("PATH_INFO") not in LEAN_PATHS:
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not any(name in cookies for name in cookie_names)


def dispatcher(full: WSGIApp, fast: Callable[[LeanHandler], WSGIApp] | None = None) -> WSGIApp:
    """The WSGI application: ``full`` (Django's handler) for every request except the lean ones,
    which go to ``fast(lean handler)`` when given (config/wsgi.py: the portal's found look-up,
    portal/fastpath.py), else to the lean handler."""
    if settings.CSRF_USE_SESSIONS:
        return full
    lean = LeanHandler(lean_middleware(settings.MIDDLEWARE))
    front = fast(lean) if fast is not None else lean
    cookie_names = (settings.SESSION_COOKIE_NAME, MESSAGE_COOKIE_NAME)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]):
        handler = front if is_lean(environ, cookie_names) else full
        return handler(environ, start_response)

    application.lean = lean  # type: ignore[attr-defined] - for the tests
    application.full = full  # type: ignore[attr-defined]
    application.fast = front  # type: ignore[attr-defined]
    return application
