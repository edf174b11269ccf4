"""The delivery loop killed with SIGKILL mid-run, and random interleavings (hypothesis) of
dossier moves, portal failures and loop crashes: the portal ends with the database's view."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from motcua.dossiers.models import Dossier
from motcua.integrations import delivery
from motcua.integrations.adapters import national
from motcua.integrations.models import OutboxMessage, OutboxStatus
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, local, received_dossier
from tests.integrations.conftest import drain
from tests.integrations.fakes import FakeNational
from tests.integrations.helpers import assert_peer_matches_db, step_dossier

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        if not s["NAME"] or ":memory:" in str(s["NAME"]) or "mode=memory" in str(s["NAME"]):
            pytest.skip("needs a file test database (TEST_SQLITE_NAME) or PostgreSQL")
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _sync(peer: FakeNational, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MOTCUA_NATIONAL_URL": peer.url,
        "MOTCUA_NATIONAL_USER": FakeNational.USER,
        "MOTCUA_NATIONAL_PASSWORD": FakeNational.PASSWORD,
        "MOTCUA_NATIONAL_UNIT": "000.00.00.H99",
        "MOTCUA_EMAIL_NOTICES": "0",
        "MOTCUA_SYNC_LEASE_SECONDS": "1",
        "MOTCUA_SYNC_BACKOFF_SECONDS": "0.05",
        "MOTCUA_SYNC_BATCH": "10",
        "MOTCUA_SYNC_WORKERS": "2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "motcua", "sync", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_kill_9_mid_run_loses_nothing_and_keeps_order(fake_national):
    agency, procedure = AgencyFactory(), ProcedureFactory()
    dossiers = [
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 8, i))
        for i in range(15)
    ]
    for r in range(4):
        for i, d in enumerate(dossiers):
            step_dossier(d, r + i, local(2026, 11, 24, 8 + r, i))
    total = OutboxMessage.objects.count()
    fake_national.delay = 0.03  # slow enough to be killed in the middle
    loop = _sync(fake_national)
    deadline = time.monotonic() + 30
    while fake_national.items < total // 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    loop.send_signal(signal.SIGKILL)
    loop.wait(10)
    assert loop.returncode == -signal.SIGKILL
    left = OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()
    assert 0 < left < total, "the loop was not killed in the middle of its work"
    fake_national.delay = 0
    again = _sync(fake_national, "--until-idle")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err.decode()
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    assert_peer_matches_db(fake_national, dossiers)


def test_sigterm_finishes_the_message_in_hand(fake_national, transactional_db):
    received_dossier()
    fake_national.delay = 0.3
    loop = _sync(fake_national)
    deadline = time.monotonic() + 20
    while fake_national.requests < 2 and time.monotonic() < deadline:  # login, then data
        time.sleep(0.01)
    loop.send_signal(signal.SIGTERM)
    loop.wait(20)
    assert loop.returncode == 0
    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
    assert sent >= 1 and fake_national.items >= 1


class SyncChaos(RuleBasedStateMachine):
    """Dossier moves, the portal going down, failing, expiring sessions, and the loop crashing
    (messages claimed and never recorded) in any order; at the end the portal matches."""

    peer: FakeNational

    @initialize()
    def setup(self) -> None:
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.peer.reset()
        if self.peer._server is None:
            self.peer.start()
        national.forget_session()
        self.agency, self.procedure = AgencyFactory(), ProcedureFactory()
        self.clock = local(2026, 8, 20, 8, 0)
        self.dossiers: list[Dossier] = []

    def teardown(self) -> None:
        if hasattr(self, "savepoint"):
            try:
                if self.dossiers:
                    self.peer.fail_rate, self.peer.delay = 0.0, 0.0
                    if self.peer._server is None:
                        self.peer.start()
                    drain(timeout=60)
                    assert_peer_matches_db(self.peer, self.dossiers)
            finally:
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)

    def tick(self, minutes: int) -> dt.datetime:
        self.clock += dt.timedelta(minutes=minutes)
        return self.clock

    @rule(minutes=st.integers(1, 300))
    def receive(self, minutes: int) -> None:
        if len(self.dossiers) < 6:
            self.dossiers.append(
                received_dossier(
                    agency=self.agency, procedure=self.procedure, at=self.tick(minutes)
                )
            )

    @rule(which=st.integers(0, 5), kind=st.integers(0, 5), minutes=st.integers(1, 600))
    def move(self, which: int, kind: int, minutes: int) -> None:
        if self.dossiers:
            step_dossier(self.dossiers[which % len(self.dossiers)], kind, self.tick(minutes))

    @rule(up=st.booleans())
    def peer_up_or_down(self, up: bool) -> None:
        if up and self.peer._server is None:
            self.peer.start()
        elif not up and self.peer._server is not None:
            self.peer.stop()

    @rule(rate=st.sampled_from([0.0, 0.3, 0.7]))
    def peer_fails(self, rate: float) -> None:
        self.peer.fail_rate = rate

    @rule()
    def session_expires(self) -> None:
        self.peer.expire_sessions()

    @rule()
    def loop_round(self) -> None:
        delivery.run(until_idle=True)

    @rule(limit=st.integers(1, 20))
    def loop_crashes(self, limit: int) -> None:
        """A loop claims messages and dies before recording anything (its lease runs out)."""
        delivery.claim("national", limit=limit, lease=0.05)
        time.sleep(0.06)


@pytest.mark.django_db
def test_random_interleavings_end_with_the_portal_matching_the_database(settings):
    settings.MOTCUA_SYNC_MAX_ATTEMPTS = 10_000
    settings.MOTCUA_SYNC_BACKOFF_SECONDS = 0.001
    settings.MOTCUA_SYNC_TIMEOUT_SECONDS = 2
    peer = FakeNational(seed=766).start()
    settings.MOTCUA_NATIONAL_URL = peer.url
    settings.MOTCUA_NATIONAL_USER = FakeNational.USER
    settings.MOTCUA_NATIONAL_PASSWORD = FakeNational.PASSWORD
    SyncChaos.peer = peer
    try:
        run_state_machine_as_test(
            SyncChaos,
            settings=hsettings(
                max_examples=15,
                stateful_step_count=20,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        peer.stop()
