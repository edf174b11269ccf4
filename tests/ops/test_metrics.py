import datetime as dt
import json

import pytest
import time_machine
from prometheus_client.parser import text_string_to_metric_families

from motcua.dossiers import services
from motcua.dossiers.choices import Channel
from motcua.dossiers.permissions import DEMO
from motcua.integrations.models import OutboxMessage
from tests.dossiers.factories import local, received_dossier, submitted_dossier
from tests.integrations.conftest import _peers_off, drain, fake_national  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.content
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_receptions_count_on_commit_only(client, django_capture_on_commit_callbacks):
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        received_dossier(channel=Channel.DIRECT)
        received_dossier(channel=Channel.DIRECT)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        received_dossier(channel=Channel.DIRECT)  # its transaction never commits in this test
    online = submitted_dossier()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_precheck_accept(dossier=online, actor=DEMO, at=local(2026, 11, 23, 10))
    after = scrape(client)
    name = "motcua_dossier_receptions_total"
    assert value(after, name, channel="direct") - value(before, name, channel="direct") == 2
    assert value(after, name, channel="online") - value(before, name, channel="online") == 1
    assert len(pending) == 1


def test_request_latency_and_errors_by_view(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-such-page/")
    after = scrape(client)
    count = "django_http_requests_latency_seconds_by_view_method_count"
    assert (
        value(after, count, view="healthz", method="GET")
        - value(before, count, view="healthz", method="GET")
        == 2
    )
    responses = "django_http_responses_total_by_status_total"
    assert value(after, responses, status="404") - value(before, responses, status="404") == 1


def test_backup_age_is_exposed(client, settings, tmp_path):
    settings.MOTCUA_BACKUP_DIR = tmp_path
    assert "motcua_backup_age_seconds" not in {name for name, _ in scrape(client)}
    folder = tmp_path / "motcua-20261201T000000Z"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"created_at": "2026-12-01T00:00:00+00:00"}))
    samples = scrape(client)
    assert (
        value(samples, "motcua_backup_last_timestamp_seconds")
        == dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()
    )
    assert value(samples, "motcua_backup_age_seconds") > 0


def test_metrics_refused_without_token_or_allowed_address(client, settings):
    settings.MOTCUA_METRICS_ALLOW = ["10.0.0.0/8"]
    settings.MOTCUA_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_database_connections_on_postgresql(client):
    from django.db import connection

    samples = scrape(client)
    states = {
        dict(labels).get("state") for name, labels in samples if name == "motcua_db_connections"
    }
    if connection.vendor == "postgresql":
        assert "active" in states  # the scrape's own query
    else:
        assert states == set()


def test_outbox_backlog_and_lag_per_peer(client, fake_national):  # noqa: F811
    """Receptions queue messages for the national portal: the scrape shows them waiting and
    the age of the oldest; once delivered to the (real HTTP) fake portal, none waits."""
    before = scrape(client)
    assert value(before, "motcua_outbox_waiting", peer="national") == 0
    assert value(before, "motcua_outbox_lag_seconds", peer="national") == 0
    queued_at = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(queued_at, tick=False):
        for _ in range(3):
            received_dossier()
    waiting = OutboxMessage.objects.filter(peer="national", status="pending").count()
    assert waiting >= 3
    with time_machine.travel(queued_at + dt.timedelta(seconds=150), tick=False):
        during = scrape(client)
    assert value(during, "motcua_outbox_waiting", peer="national") == waiting
    assert value(during, "motcua_outbox_lag_seconds", peer="national") == 150
    assert value(during, "motcua_outbox_waiting", peer="sms") == 0
    assert drain() == 0
    after = scrape(client)
    assert value(after, "motcua_outbox_waiting", peer="national") == 0
    assert value(after, "motcua_outbox_lag_seconds", peer="national") == 0
    assert value(after, "motcua_outbox_failed", peer="national") == 0
