"""A small JSON-over-HTTP client on the standard library, one kept-alive connection per thread
and peer address. Connection errors and timeouts raise ``Unreachable`` (the message is retried)."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any
from urllib.parse import urlsplit

_local = threading.local()


class Unreachable(Exception):
    """The peer could not be reached or did not answer in time."""


def _connection(scheme: str, netloc: str, timeout: float) -> http.client.HTTPConnection:
    pool: dict[tuple[str, str], http.client.HTTPConnection] = getattr(_local, "pool", None) or {}
    _local.pool = pool
    conn = pool.get((scheme, netloc))
    if conn is None:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = cls(netloc, timeout=timeout)
        pool[(scheme, netloc)] = conn
    conn.timeout = timeout
    if conn.sock is not None:
        conn.sock.settimeout(timeout)
    return conn


def _drop(scheme: str, netloc: str) -> None:
    pool = getattr(_local, "pool", {})
    conn = pool.pop((scheme, netloc), None)
    if conn is not None:
        conn.close()


def post_json(
    url: str, body: Any, *, headers: dict[str, str] | None = None, timeout: float = 10.0
) -> tuple[int, Any]:
    """POST ``body`` as JSON; returns (status, decoded JSON answer or its text)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    for attempt in (1, 2):
        conn = _connection(parts.scheme, parts.netloc, timeout)
        try:
            conn.request("POST", path, body=data, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
            if response.getheader("Connection", "").lower() == "close":
                _drop(parts.scheme, parts.netloc)
            break
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            # A kept-alive connection the peer closed meanwhile: open a new one once.
            _drop(parts.scheme, parts.netloc)
            if attempt == 2:
                raise Unreachable(f"{url}: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            _drop(parts.scheme, parts.netloc)
            raise Unreachable(f"{url}: {exc or type(exc).__name__}") from exc
    text = raw.decode("utf-8", errors="replace")
    try:
        return response.status, json.loads(text) if text else None
    except ValueError:
        return response.status, text


def close_all() -> None:
    for conn in getattr(_local, "pool", {}).values():
        conn.close()
    _local.pool = {}
