"""Deadline status: early / on time / late when resolved; not due / due soon / overdue /
paused while open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.choices import DeadlineStatus
from motcua.dossiers.deadlines import deadline_status
from tests.dossiers.factories import (
    ProcedureFactory,
    local,
    received_dossier,
    staff,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def dossier():
    """Received Mon 24/8/2026 09:00, 5 working days: due Thu 3/9 17:00."""
    d = received_dossier(
        procedure=ProcedureFactory(processing_time=Decimal(5)), at=local(2026, 8, 24, 9)
    )
    assert d.due_at == local(2026, 9, 3, 17)
    return d


@pytest.mark.parametrize(
    ("now", "status", "remaining"),
    [
        (local(2026, 8, 24, 9), DeadlineStatus.NOT_DUE, 43.5 * H),  # 6 h + 5 × 7.5 h
        # Fri 28/8 17:00: nothing left on 28/8, then 7.5 h on 3/9 (weekend and 31/8–2/9 off)
        (local(2026, 8, 28, 17), DeadlineStatus.DUE_SOON, 7.5 * H),
        (local(2026, 8, 28, 16), DeadlineStatus.NOT_DUE, 8.5 * H),
        (local(2026, 9, 3, 16), DeadlineStatus.DUE_SOON, 1 * H),
        (local(2026, 9, 4, 9, 30), DeadlineStatus.OVERDUE, -2 * H),
    ],
)
def test_open_dossier(dossier, now, status, remaining):
    assert deadline_status(dossier, now=now) == (status, remaining)


def test_due_soon_window_is_a_setting(dossier, settings):
    settings.MOTCUA_DUE_SOON_WORKING_DAYS = 2
    now = local(2026, 8, 28, 16)
    assert deadline_status(dossier, now=now) == (DeadlineStatus.DUE_SOON, 8.5 * H)


def test_paused_shows_the_remaining_time(dossier):
    d = services.dossier_supplement_request(
        dossier=dossier, actor=staff(dossier), reason="x", at=local(2026, 9, 3, 13, 30)
    )
    later = local(2026, 12, 1, 9)  # months later, still paused, never overdue
    assert deadline_status(d, now=later) == (DeadlineStatus.PAUSED, 3.5 * H)


@pytest.mark.parametrize(
    ("resolved_at", "status"),
    [
        (local(2026, 9, 2, 9), DeadlineStatus.EARLY),  # a holiday, but the day before the due day
        (local(2026, 9, 3, 7, 0), DeadlineStatus.ON_TIME),
        (local(2026, 9, 3, 23, 59), DeadlineStatus.ON_TIME),  # same local date, after 17:00
        (local(2026, 9, 4, 0, 1), DeadlineStatus.LATE),
    ],
)
def test_resolved_compares_local_dates(dossier, resolved_at, status):
    d = services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=resolved_at)
    assert deadline_status(d) == (status, None)


def test_delivered_keeps_the_resolution_status(dossier):
    d = services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 9, 4, 9))
    d = services.dossier_deliver(
        dossier=d, actor=staff(d), delivery_channel="counter", at=local(2026, 9, 5, 9)
    )
    assert deadline_status(d)[0] == DeadlineStatus.LATE


def test_no_status_without_a_deadline(dossier):
    one_way = received_dossier(procedure=ProcedureFactory(one_way=True, processing_time=None))
    refused = services.dossier_refuse(
        dossier=dossier, actor=staff(dossier), reason="x", at=local(2026, 9, 10, 9)
    )
    for d in (one_way, submitted_dossier(), refused):
        assert deadline_status(d) == (DeadlineStatus.NONE, None)


@pytest.mark.parametrize(
    "now",
    [
        local(2026, 8, 24, 9),
        local(2026, 8, 28, 16),
        local(2026, 8, 28, 17),
        local(2026, 9, 3, 16),
        local(2026, 9, 4, 9, 30),
    ],
)
def test_the_list_filter_agrees_with_the_status(dossier, now):
    """The SQL form (lists, home counts) and the per-dossier status are one rule."""
    from motcua.dossiers.deadlines import open_deadline_q
    from motcua.dossiers.models import Dossier

    status, _ = deadline_status(dossier, now=now)
    for candidate in (
        DeadlineStatus.NOT_DUE,
        DeadlineStatus.DUE_SOON,
        DeadlineStatus.OVERDUE,
        DeadlineStatus.PAUSED,
    ):
        matched = Dossier.objects.filter(open_deadline_q(candidate, now=now), pk=dossier.pk)
        assert matched.exists() == (candidate == status), candidate
