"""Delivery to the national portal under trouble, against a real HTTP fake on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction

from motcua.dossiers import services
from motcua.integrations.delivery import backoff_seconds, run
from motcua.integrations.models import OutboxMessage, OutboxStatus
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, local, received_dossier, staff
from tests.integrations.conftest import drain
from tests.integrations.helpers import assert_peer_matches_db, step_dossier

pytestmark = pytest.mark.django_db


def _world(n: int, **kwargs):
    agency, procedure = AgencyFactory(), ProcedureFactory()
    return [
        received_dossier(
            agency=agency,
            procedure=procedure,
            applicant_name=f"Nguyễn Văn {i}",
            at=local(2026, 11, 23, 8, i % 50),
            **kwargs,
        )
        for i in range(n)
    ]


_clock = itertools.count(1)


def _advance(dossiers, rounds: int) -> None:
    """``rounds`` moves on each dossier, each round an hour after the one before."""
    for _r in range(rounds):
        at = local(2026, 11, 24, 0) + dt.timedelta(hours=next(_clock))
        for i, d in enumerate(dossiers):
            step_dossier(d, at.hour + i, at + dt.timedelta(seconds=i))


def test_no_peer_configured_queues_nothing():
    dossier = received_dossier()
    services.dossier_assign(
        dossier=dossier, actor=staff(dossier), assignee=None, at=local(2026, 11, 24, 9)
    )
    assert OutboxMessage.objects.count() == 0


def test_reception_and_every_event_reach_the_portal(fake_national):
    dossiers = _world(3)
    _advance(dossiers, 4)
    assert drain() == 0
    assert_peer_matches_db(fake_national, dossiers)
    assert set(fake_national.units) == {"000.00.00.H99"}
    first = OutboxMessage.objects.order_by("id").first()
    assert (first.kind, first.payload["TrangThaiHoSo"], first.payload["KenhThucHien"]) == (
        "DongBoHoSoMC",
        2,
        1,
    )


def test_peer_down_then_back_everything_arrives_in_order(fake_national):
    dossiers = _world(4)
    fake_national.stop()
    _advance(dossiers, 3)
    assert run(until_idle=True) == 3  # nothing could be sent: waiting for retries
    assert not OutboxMessage.objects.filter(status=OutboxStatus.SENT).exists()
    assert OutboxMessage.objects.filter(attempts__gt=0).exists()
    _advance(dossiers, 2)  # more changes while the portal is down
    fake_national.start()
    assert drain() == 0
    assert_peer_matches_db(fake_national, dossiers)


def test_random_500s_final_state_equals_database(fake_national, settings):
    settings.MOTCUA_SYNC_MAX_ATTEMPTS = 1000
    fake_national.fail_rate = 0.3
    dossiers = _world(12)
    _advance(dossiers, 3)
    assert drain(timeout=60) == 0
    _advance(dossiers, 3)
    assert drain(timeout=60) == 0
    assert fake_national.failures_sent > 0
    assert_peer_matches_db(fake_national, dossiers)


def test_a_refusal_is_parked_shown_and_sent_again(fake_national, admin_client):
    good, bad = _world(2)
    fake_national.refuse_codes = {bad.code}
    assert drain() == 3
    parked = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    assert parked.exists()
    assert set(parked.values_list("dossier_id", flat=True)) == {bad.pk}
    assert all("không hợp lệ" in m.last_error for m in parked)
    assert good.code in fake_national.dossiers  # the other dossier did not wait
    page = admin_client.get("/admin/integrations/outboxmessage/?status__exact=failed")
    assert page.status_code == 200
    assert "không hợp lệ" in page.content.decode()
    fake_national.refuse_codes = set()
    response = admin_client.post(
        "/admin/integrations/outboxmessage/",
        {"action": "send_again", "_selected_action": [m.pk for m in parked]},
    )
    assert response.status_code == 302
    assert drain() == 0
    assert bad.code in fake_national.dossiers


def test_a_rolled_back_change_sends_nothing(fake_national):
    (dossier,) = _world(1)
    assert drain() == 0
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.dossier_assign(
            dossier=dossier, actor=staff(dossier), assignee=None, at=local(2026, 11, 24, 9)
        )
        raise RuntimeError("the request failed after the service")
    assert OutboxMessage.objects.count() == before
    requests = fake_national.requests
    assert drain() == 0
    assert fake_national.requests == requests
    assert fake_national.progress[dossier.code] == [1]


def test_an_expired_session_is_logged_into_again(fake_national):
    dossiers = _world(2)
    assert drain() == 0
    assert fake_national.logins == 1
    fake_national.expire_sessions()
    _advance(dossiers, 1)
    assert drain() == 0
    assert fake_national.logins == 2
    assert not OutboxMessage.objects.filter(attempts__gt=1).exists()  # retried at once
    assert_peer_matches_db(fake_national, dossiers)


def test_a_slow_peer_times_out_and_is_retried(fake_national, settings):
    settings.MOTCUA_SYNC_TIMEOUT_SECONDS = 0.2
    fake_national.delay = 0.5
    (dossier,) = _world(1)
    assert run(until_idle=True) == 3
    waiting = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).order_by("id").first()
    assert waiting.attempts >= 1 and "timed out" in waiting.last_error
    fake_national.delay = 0
    assert drain() == 0
    assert_peer_matches_db(fake_national, [dossier])


def test_too_many_attempts_park_the_message(fake_national, settings):
    settings.MOTCUA_SYNC_MAX_ATTEMPTS = 3
    settings.MOTCUA_SYNC_BACKOFF_SECONDS = 0.001
    fake_national.fail_rate = 1.0
    _world(1)
    assert drain(timeout=10) == 3
    parked = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    assert parked.exists()
    assert {m.attempts for m in parked} == {3}
    assert all("HTTP 500" in m.last_error for m in parked)


def test_backoff_doubles_is_capped_and_jittered():
    for attempts in range(1, 20):
        full = min(3600.0, 5 * 2 ** (attempts - 1))
        delays = {backoff_seconds(attempts, base=5) for _ in range(20)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jitter
