"""Both supplement rules with concrete dates, across a weekend and the National Day holidays.

Calendar (default hours 07:30–11:30, 13:30–17:00 = 7.5 h a day): Sat 29 and Sun 30 August
2026 are the weekend; Mon 31 August (swapped day off), Tue 1 and Wed 2 September (National Day)
are days off; Sat 22 August is the Saturday worked instead.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.core.errors import MotcuaError
from motcua.dossiers import services
from motcua.dossiers.replay import replay
from motcua.worktime.selectors import calendar_for_agency
from tests.dossiers.factories import ProcedureFactory, local, received_dossier, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused():
    """Received Mon 24/8 09:00, 5 working days: due Thu 3/9 17:00 (24/8 counts from 09:00,
    then 25, 26, 27, 28/8 and 3/9). Paused Wed 26/8 10:00 with 27.5 working hours left
    (5 h on 26/8, 7.5 h on each of 27/8, 28/8 and 3/9). The supplement comes Fri 28/8 15:00."""
    d = received_dossier(
        procedure=ProcedureFactory(processing_time=Decimal(5)), at=local(2026, 8, 24, 9, 0)
    )
    assert d.due_at == local(2026, 9, 3, 17, 0)
    d = services.dossier_supplement_request(
        dossier=d, actor=staff(d), reason="Thiếu bản vẽ", at=local(2026, 8, 26, 10, 0)
    )
    assert d.events.last().payload["remaining_seconds"] == 27.5 * 3600
    return d


def test_resume_continues_the_remaining_time(settings, paused):
    """27.5 h from Fri 28/8 15:00: 2 h that day, (weekend, 31/8–2/9 off), 7.5 h on 3/9,
    4/9 and 7/9 = 24.5 h, then 3 h on Tue 8/9 from 07:30: due 8/9 10:30."""
    settings.MOTCUA_SUPPLEMENT_RULE = "resume"
    d = services.dossier_supplement_receive(
        dossier=paused, actor=staff(paused), at=local(2026, 8, 28, 15, 0)
    )
    assert d.due_at == local(2026, 9, 8, 10, 30)
    wait = d.supplement_waits.get()
    assert (wait.due_before, wait.due_after) == (local(2026, 9, 3, 17, 0), d.due_at)
    assert d.events.last().payload["rule"] == "resume"


def test_restart_counts_the_full_time_again(settings, paused):
    """Five full working days from Fri 28/8 15:00: 3/9, 4/9, 7/9, 8/9, 9/9 → Wed 9/9 17:00."""
    settings.MOTCUA_SUPPLEMENT_RULE = "restart"
    d = services.dossier_supplement_receive(
        dossier=paused, actor=staff(paused), at=local(2026, 8, 28, 15, 0)
    )
    assert d.due_at == local(2026, 9, 9, 17, 0)
    assert d.events.last().payload["rule"] == "restart"


def test_supplement_arriving_on_a_holiday_resumes_next_working_morning(settings, paused):
    """Arriving Tue 1/9 (a holiday) the clock restarts Thu 3/9 07:30: 27.5 h = 3/9, 4/9,
    7/9 (22.5 h) + 5 h on Tue 8/9 (07:30–11:30, 13:30–14:30)."""
    settings.MOTCUA_SUPPLEMENT_RULE = "resume"
    d = services.dossier_supplement_receive(
        dossier=paused, actor=staff(paused), at=local(2026, 9, 1, 9)
    )
    assert d.due_at == local(2026, 9, 8, 14, 30)


def test_replay_reproduces_both_rules_whatever_the_current_setting(settings, paused):
    settings.MOTCUA_SUPPLEMENT_RULE = "restart"
    d = services.dossier_supplement_receive(
        dossier=paused, actor=staff(paused), at=local(2026, 8, 28, 15, 0)
    )
    d = services.dossier_supplement_request(
        dossier=d, actor=staff(d), reason="Lần 2", at=local(2026, 9, 3, 9, 0)
    )
    settings.MOTCUA_SUPPLEMENT_RULE = "resume"
    d = services.dossier_supplement_receive(dossier=d, actor=staff(d), at=local(2026, 9, 4, 9, 0))
    # Restart gave 9/9 17:00; paused 3/9 09:00 with 3/9 (6 h) + 4/9, 7/9, 8/9, 9/9 (30 h) =
    # 36 h left; resumed 4/9 09:00: 6 h on 4/9, 7.5 h on 7/9, 8/9, 9/9, 10/9 = 36 h → 10/9 17:00.
    assert d.due_at == local(2026, 9, 10, 17, 0)
    settings.MOTCUA_SUPPLEMENT_RULE = "restart"  # the rule used is in each event, not the setting
    again = replay(d.events.all(), calendar_for=lambda pk: calendar_for_agency(agency_id=pk))
    assert again.due_at == d.due_at


def test_overdue_when_paused_keeps_its_due_date(settings):
    settings.MOTCUA_SUPPLEMENT_RULE = "resume"
    d = received_dossier(
        procedure=ProcedureFactory(processing_time=Decimal(1)), at=local(2026, 8, 24, 9, 0)
    )
    due = d.due_at
    d = services.dossier_supplement_request(
        dossier=d, actor=staff(d), reason="x", at=local(2026, 8, 27, 9)
    )
    d = services.dossier_supplement_receive(dossier=d, actor=staff(d), at=local(2026, 8, 28, 9))
    assert d.due_at == due


def test_an_unknown_rule_is_a_clear_error(settings, paused):
    settings.MOTCUA_SUPPLEMENT_RULE = "pause-forever"
    with pytest.raises(MotcuaError, match="MOTCUA_SUPPLEMENT_RULE"):
        services.dossier_supplement_receive(dossier=paused, actor=staff(paused))
