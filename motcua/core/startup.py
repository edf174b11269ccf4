"""Refusing to serve with a development secret: the web process (config/wsgi.py) will not start
with DEBUG=0 and the built-in SECRET_KEY, and `check --deploy` reports it (motcua.E001).

Management commands (migrate, import, report, the tests) still run with the built-in key: they
sign nothing a browser keeps."""

from __future__ import annotations

import sys
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core import checks

REFUSAL = (
    "Một Cửa refuses to start: DEBUG=0 (production) but SECRET_KEY is {what}. Set SECRET_KEY "
    "to a long random value, e.g. the output of "
    "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
    "or set DEBUG=1 for development."
)


def secret_key_problem() -> str | None:
    """Why the configured SECRET_KEY must not be used in production (None when it may)."""
    if settings.DEBUG:
        return None
    key = settings.SECRET_KEY or ""
    if not key:
        return "empty"
    if key == getattr(settings, "DEVELOPMENT_SECRET_KEY", None):
        return "the built-in development key"
    if key.startswith("django-insecure") or len(key) < 50 or len(set(key)) < 5:
        return "too weak (at least 50 characters, not django-insecure-…)"
    return None


def refuse_insecure_start() -> None:
    """Stop the process, with a message saying what to do, when the key is not fit to serve."""
    problem = secret_key_problem()
    if problem is not None:
        message = REFUSAL.format(what=problem)
        print(message, file=sys.stderr, flush=True)  # noqa: T201 - also seen from a thread
        raise SystemExit(1)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = secret_key_problem()
    if problem is None:
        return []
    return [
        checks.Error(
            f"SECRET_KEY is {problem}.",
            hint="Set SECRET_KEY to a long random value in the environment (README, Production).",
            id="motcua.E001",
        )
    ]


def warm_up() -> None:
    """Load what every worker would otherwise load on its first requests: the URLconf and so
    every view module, the translation catalogues and the compiled templates of the pages
    served most (config/wsgi.py; with ``gunicorn --preload`` the workers inherit them). Reads
    no database, and leaves no connection open to be shared by the forked workers."""
    from django.db import connections
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports config.urls and every view
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Dossier code")
    for name in WARM_TEMPLATES:
        with suppress(TemplateDoesNotExist):  # a renamed template only loses its warmth
            get_template(name)
    connections.close_all()


# Templates compiled before the workers fork (the cached loader keeps them per process).
WARM_TEMPLATES = (
    "portal/lookup.html",
    "portal/file_online.html",
    "portal/filed.html",
    "portal/procedures.html",
    "portal/procedure_detail.html",
)
