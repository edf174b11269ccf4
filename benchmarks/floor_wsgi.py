"""The floor for the portal's HTTP benchmark: a bare Django application (no app, no middleware,
no database, no template) answering every request with a fixed page of the look-up page's size.
``bench_portal_http.py`` serves it with the same gunicorn and measures it with the same wrk, in
the same run: what no optimisation of the portal can go below on this machine.

Run by the benchmark as ``gunicorn benchmarks.floor_wsgi:application`` (``FLOOR_BYTES`` sets the
answer's size)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

BODY = b"x" * int(os.environ.get("FLOOR_BYTES", "8000"))


def page(request, anything: str = ""):
    request.POST  # noqa: B018 - parse the form as the portal does
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("<path:anything>", page), path("", page)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor-benchmark-only-" + "x" * 40,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
    USE_I18N=False,
)
application = get_wsgi_application()
