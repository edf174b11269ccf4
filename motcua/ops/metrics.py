"""Prometheus metrics: ``/metrics``, protected by a token or by client address.

Request latency by view, responses by status and exceptions come from django-prometheus's
middleware (``django_http_*``). This module adds the product's own:

- ``motcua_dossier_receptions_total{channel}``: receptions, counted when their transaction
  commits (``count_reception`` registered with ``transaction.on_commit``);
- ``motcua_db_connections{state}``: the database's connections (PostgreSQL: this database's
  rows of ``pg_stat_activity`` by state; SQLite: none), read at scrape time;
- ``motcua_backup_last_timestamp_seconds`` / ``motcua_backup_age_seconds``: the newest
  complete backup under ``MOTCUA_BACKUP_DIR`` (its manifest), read at scrape time;
- ``motcua_outbox_waiting{peer}``, ``motcua_outbox_lag_seconds{peer}``,
  ``motcua_outbox_failed{peer}``: the integration outbox's backlog per peer, the age of its
  oldest waiting message, and the messages parked after failing
  (``integrations.selectors.outbox_backlog``), read at scrape time.

Access: ``Authorization: Bearer <MOTCUA_METRICS_TOKEN>``, or a client address
(``REMOTE_ADDR``) inside ``MOTCUA_METRICS_ALLOW`` (addresses or networks; default the local
host). Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` (see deploy/) so counters are
summed over the workers.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

RECEPTIONS = Counter(
    "motcua_dossier_receptions",
    "Dossiers received (counter, post, online accepted), counted at commit.",
    ["channel"],
)


def count_reception(channel: str) -> None:
    """Called on commit of a reception's transaction."""
    RECEPTIONS.labels(channel=channel or "unknown").inc()


class ScrapeTimeCollector(Collector):
    """Figures read when scraped: database connections, the last backup's age, the outbox."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        connections = GaugeMetricFamily(
            "motcua_db_connections", "Connections to the database, by state.", labels=["state"]
        )
        for state, count in _connection_counts():
            connections.add_metric([state], count)
        yield connections
        yield from _outbox_families()
        from motcua.ops.backup import latest_backup_time  # not at import: settings first

        last = latest_backup_time(settings.MOTCUA_BACKUP_DIR)
        if last is not None:
            yield GaugeMetricFamily(
                "motcua_backup_last_timestamp_seconds",
                "When the newest complete backup was taken (Unix time).",
                value=last,
            )
            yield GaugeMetricFamily(
                "motcua_backup_age_seconds",
                "Seconds since the newest complete backup was taken.",
                value=max(0.0, time.time() - last),
            )


OUTBOX_FAMILIES = (
    ("waiting", "motcua_outbox_waiting", "Outbox messages waiting to be sent, by peer."),
    (
        "lag_seconds",
        "motcua_outbox_lag_seconds",
        "Seconds since the oldest waiting outbox message was queued, by peer (0: none waits).",
    ),
    ("failed", "motcua_outbox_failed", "Outbox messages parked after failing, by peer."),
)


def _outbox_families() -> Iterator[GaugeMetricFamily]:
    from motcua.integrations.selectors import outbox_backlog  # not at import: apps first

    try:
        backlog = outbox_backlog()
    except DatabaseError:
        return
    for key, name, documentation in OUTBOX_FAMILIES:
        family = GaugeMetricFamily(name, documentation, labels=["peer"])
        for peer, figures in backlog.items():
            family.add_metric([peer], figures[key])
        yield family


def _connection_counts() -> list[tuple[str, int]]:
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() GROUP BY 1 ORDER BY 1"
            )
            return [(state, int(count)) for state, count in cursor.fetchall()]
    except DatabaseError:
        return []


_SCRAPE_REGISTRY = CollectorRegistry(auto_describe=False)  # collect() only when scraped
_SCRAPE_REGISTRY.register(ScrapeTimeCollector())


def client_allowed(request: HttpRequest) -> bool:
    token = settings.MOTCUA_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[len("Bearer ") :].encode(), token.encode())
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for allowed in settings.MOTCUA_METRICS_ALLOW:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def _process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not client_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    body = generate_latest(_process_registry()) + generate_latest(_SCRAPE_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
