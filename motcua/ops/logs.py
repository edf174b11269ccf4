"""Structured logs: one JSON object per line, every line of a request carrying its request id.

``RequestLogMiddleware`` takes the request id from an incoming ``X-Request-ID`` header (when it
is a plausible id) or makes one, sends it back in the response, and writes one line per request
on the ``motcua.request`` logger: method, route pattern, view name, status, duration and the
user's id. Never the path's values, the query string, form fields or any name or number typed
by a citizen: the route (``dossiers/<int:pk>/``) says which page without saying whose.

``JsonFormatter`` is switched on by ``MOTCUA_LOG_FORMAT=json`` (settings)."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-ID"
access_log = logging.getLogger("motcua.request")

# Attributes every LogRecord has; anything else was given with ``extra=`` and is written out.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def current_request_id() -> str:
    return request_id_var.get()


def incoming_request_id(request: HttpRequest) -> str:
    """The caller's ``X-Request-ID`` when it looks like an id, else a new one."""
    given = request.headers.get(HEADER, "")
    if _VALID_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token, started = self.start(request)
        try:
            response = self.get_response(request)
            self.finish(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def start(request: HttpRequest) -> tuple[contextvars.Token, float]:
        """Give the request its id (for every log line until ``request_id_var`` is reset with
        the token returned) and note when it started. Also used by portal/fastpath.py."""
        request_id = incoming_request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        return request_id_var.set(request_id), time.perf_counter()

    @classmethod
    def finish(cls, request: HttpRequest, response: HttpResponse, started: float) -> None:
        """The id on the answer, and the request's log line."""
        response[HEADER] = request.request_id  # type: ignore[attr-defined]
        if access_log.isEnabledFor(logging.INFO):
            cls._log(request, response.status_code, time.perf_counter() - started)

    @staticmethod
    def _log(request: HttpRequest, status: int, seconds: float) -> None:
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        access_log.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "request",
            extra={
                "method": request.method,
                "route": match.route if match else None,
                "view": match.view_name if match else None,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "user_id": user_id,
            },
        )


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``record.request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in data and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)
