"""The administrators' figures: backlog, lag and failures per peer; dossiers by sync delay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.selectors import peer_summary, sync_timeliness
from tests.dossiers.factories import received_dossier

pytestmark = pytest.mark.django_db


def _message(dossier, status, queued_ago, sent_after=None, peer="national"):
    now = timezone.now()
    created = now - dt.timedelta(seconds=queued_ago)
    return OutboxMessage.objects.create(
        peer=peer,
        kind="DongBoHoSoMC",
        dossier=dossier,
        status=status,
        created_at=created,
        sent_at=created + dt.timedelta(seconds=sent_after) if sent_after is not None else None,
    )


def test_summary_counts_backlog_failures_and_lag_per_peer():
    a, b, c, d = (received_dossier() for _ in range(4))
    _message(a, OutboxStatus.SENT, 100, sent_after=5)
    _message(b, OutboxStatus.SENT, 5000, sent_after=600)
    _message(c, OutboxStatus.PENDING, 90)
    _message(d, OutboxStatus.FAILED, 30)
    _message(d, OutboxStatus.SENT, 20, sent_after=7200, peer="sms")
    rows = {r["peer"]: r for r in peer_summary()}
    national = rows["national"]
    assert (national["waiting"], national["failed"], national["sent_last_hour"]) == (1, 1, 1)
    assert 89 <= national["lag_seconds"] <= 120
    assert rows["postal"]["waiting"] == 0 and rows["postal"]["lag_seconds"] == 0
    assert sync_timeliness() == {"within_minute": 1, "within_hour": 1, "later": 0, "never": 2}
    assert sync_timeliness(peer="sms") == {
        "within_minute": 0,
        "within_hour": 0,
        "later": 1,
        "never": 0,
    }


def test_the_admin_page_shows_the_summary(admin_client):
    _message(received_dossier(), OutboxStatus.FAILED, 30)
    page = admin_client.get("/admin/integrations/outboxmessage/").content.decode()
    assert 'id="peer-summary"' in page
