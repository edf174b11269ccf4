from __future__ import annotations

import time

import pytest

from tests.integrations.fakes import FakeNational, FakePostal, FakeSms


@pytest.fixture(autouse=True)
def _peers_off(settings):
    """Every peer off unless a test turns it on; quick retries; one request timeout of 2 s."""
    settings.MOTCUA_NATIONAL_URL = ""
    settings.MOTCUA_POSTAL_URL = ""
    settings.MOTCUA_SMS_URL = ""
    settings.MOTCUA_EMAIL_NOTICES = False
    settings.MOTCUA_SYNC_BACKOFF_SECONDS = 0.01
    settings.MOTCUA_SYNC_TIMEOUT_SECONDS = 2
    settings.MOTCUA_SYNC_WORKERS = 3
    from motcua.integrations.adapters import national

    national.forget_session()
    yield
    national.forget_session()


@pytest.fixture
def fake_national(settings):
    peer = FakeNational(seed=14).start()
    settings.MOTCUA_NATIONAL_URL = peer.url
    settings.MOTCUA_NATIONAL_USER = FakeNational.USER
    settings.MOTCUA_NATIONAL_PASSWORD = FakeNational.PASSWORD
    settings.MOTCUA_NATIONAL_UNIT = "000.00.00.H99"
    yield peer
    peer.stop()


@pytest.fixture
def fake_postal(settings):
    peer = FakePostal(seed=45).start()
    settings.MOTCUA_POSTAL_URL = peer.url
    settings.MOTCUA_POSTAL_TOKEN = FakePostal.TOKEN
    settings.MOTCUA_POSTAL_SECRET = "postal-secret"
    yield peer
    peer.stop()


@pytest.fixture
def fake_sms(settings):
    peer = FakeSms().start()
    settings.MOTCUA_SMS_URL = peer.url + "/sms"
    yield peer
    peer.stop()


def drain(*, timeout: float = 30.0) -> int:
    """Run the loop until nothing is left waiting (0) or only parked messages remain (3)."""
    from motcua.integrations.delivery import run
    from motcua.integrations.models import OutboxMessage, OutboxStatus

    deadline = time.monotonic() + timeout
    while True:
        code = run(until_idle=True)
        if code == 0 or not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists():
            return code
        if time.monotonic() > deadline:
            raise AssertionError("the outbox did not drain in time")
        time.sleep(0.02)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
