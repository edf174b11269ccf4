"""Database URLs, including libpq's multi-host form that dj-database-url cannot read.

``postgres://user:pw@10.0.0.11:5432,10.0.0.12:5432/motcua?target_session_attrs=read-write``
lists the servers in order; libpq (through psycopg) tries each and keeps the first that accepts
writes, so after a failover the app finds the new primary by itself. dj-database-url rejects a
netloc with several ports, so the host list is taken out here and handed to libpq as
``host="h1,h2"`` and ``port="p1,p2"``, which it accepts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


class DatabaseUrlError(ValueError):
    pass


def split_hosts(hostlist: str) -> tuple[list[str], list[str]]:
    """``h1:5432,[::1]:5433,h3`` → (["h1", "::1", "h3"], ["5432", "5433", ""])."""
    hosts, ports = [], []
    for item in hostlist.split(","):
        item = item.strip()
        if not item:
            raise DatabaseUrlError(f"DATABASE_URL: empty host in '{hostlist}'")
        if item.startswith("["):
            host, _bracket, rest = item[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        else:
            host, _colon, port = item.partition(":")
        if port and not port.isdigit():
            raise DatabaseUrlError(f"DATABASE_URL: port '{port}' of host '{host}' is not a number")
        hosts.append(host)
        ports.append(port)
    return hosts, ports


def parse_database_url(url: str, **options: Any) -> dict[str, Any]:
    """dj_database_url.parse, plus PostgreSQL URLs naming several ``host:port`` pairs."""
    parts = urlsplit(url)
    userinfo, at, hostlist = parts.netloc.rpartition("@")
    if parts.scheme not in POSTGRES_SCHEMES or "," not in hostlist:
        return dj_database_url.parse(url, **options)
    hosts, ports = split_hosts(hostlist)
    single = urlunsplit(parts._replace(netloc=f"{userinfo}{at}placeholder"))
    config = dj_database_url.parse(single, **options)
    config["HOST"] = ",".join(hosts)
    config["PORT"] = ",".join(ports) if any(ports) else ""
    if any(ports) and not all(ports):
        raise DatabaseUrlError("DATABASE_URL: give a port for every host, or for none")
    return config
