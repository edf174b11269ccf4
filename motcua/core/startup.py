"""Refusing to serve with a development secret: the web process (config/wsgi.py) will not start
with DEBUG=0 and the built-in SECRET_KEY, and `check --deploy` reports it (motcua.E001).

Management commands (migrate, import, report, the tests) still run with the built-in key: they
sign nothing a browser keeps."""

from __future__ import annotations

import sys
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
