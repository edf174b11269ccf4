"""The WSGI environ of a browser's request, as gunicorn builds it: for tests and benchmarks that
drive the application itself (``config.wsgi``'s dispatcher and handlers), not Django's test
client (which has its own handler)."""

from __future__ import annotations

import io
import sys
from urllib.parse import urlencode


def browser_environ(
    *,
    method: str = "POST",
    path: str = "/portal/",
    form: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    address: str = "203.0.113.7",
    host: str = "testserver",
) -> dict:
    """A form posted (urlencoded) or a page asked for, with these cookies, from ``address``."""
    body = urlencode(form or {}).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": address,
        "HTTP_HOST": host,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return environ
