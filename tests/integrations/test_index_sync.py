"""Criterion 1.2 of the Decision 766 index (synchronised with the national portal in real
time) from what the delivery loop really did against the fake portal on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.selectors import REALTIME_SECONDS
from motcua.stats.periods import Period
from motcua.stats.service_index.scoring import compute_index, criterion_losses
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, local, received_dossier
from tests.integrations.conftest import drain

pytestmark = pytest.mark.django_db


def _today() -> Period:
    """The days around now: the outbox records when messages were really queued and sent."""
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1))


def _criterion(unit, period):
    index = compute_index(unit=unit, period=period)
    return next(c for c in index["criteria"] if c["code"] == "1.2")


def test_delivered_at_once_scores_refused_loses(fake_national):
    agency, procedure = AgencyFactory(), ProcedureFactory()
    good, bad = (
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 8, i))
        for i in range(2)
    )
    fake_national.refuse_codes = {bad.code}
    assert drain() == 3  # bad's status is parked as refused
    assert good.code in fake_national.dossiers and bad.code not in fake_national.dossiers
    assert OutboxMessage.objects.filter(dossier=bad, status=OutboxStatus.FAILED).exists()
    period = _today()
    # just now: the refused message is not (yet) late; the portal had good's at once
    c = _criterion(agency, period)
    assert (c["measured"], c["numerator"], c["denominator"]) == (True, 2, 2)
    later = timezone.now() + dt.timedelta(seconds=REALTIME_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        c = _criterion(agency, period)
        assert (c["numerator"], c["denominator"], c["points"]) == (1, 2, 3.5)
        lost = criterion_losses(unit=agency, period=period, code="1.2")
        assert [r["code"] for r in lost["rows"]] == [bad.code]


def test_no_national_portal_not_measured(settings):
    settings.MOTCUA_NATIONAL_URL = ""
    dossier = received_dossier()
    assert not OutboxMessage.objects.exists()
    c = _criterion(dossier.agency, _today())
    assert (c["measured"], c["points"]) == (False, None)
