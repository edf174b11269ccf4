"""Assignment, internal process steps, supplements and inter-agency hand-overs."""

from __future__ import annotations

import pytest

from motcua.catalog.choices import Role
from motcua.core.errors import IllegalTransition, MotcuaError
from motcua.dossiers import services
from motcua.dossiers.choices import DossierState, EventType
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import (
    AgencyFactory,
    InternalProcessFactory,
    ProcedureFactory,
    ProcessStepFactory,
    local,
    official,
    received_dossier,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def process_dossier():
    procedure = ProcedureFactory()
    process = InternalProcessFactory(procedure=procedure)
    steps = [
        ProcessStepFactory(process=process, position=i, name=name)
        for i, name in enumerate(["Thẩm định", "Phê duyệt", "Ký"], start=1)
    ]
    return received_dossier(procedure=procedure, at=local(2026, 11, 23, 8)), steps


def test_assign_puts_the_dossier_in_process(officer):
    d = received_dossier()
    specialist = official(d.agency, Role.SPECIALIST)
    d = services.dossier_assign(
        dossier=d, actor=staff(d), assignee=specialist, at=local(2026, 11, 23, 10)
    )
    assert d.state == DossierState.IN_PROCESS and d.assignee == specialist
    last = d.events.last()
    assert (last.seq, last.type, last.from_state, last.to_state) == (
        2,
        EventType.ASSIGN,
        DossierState.RECEIVED,
        DossierState.IN_PROCESS,
    )
    assert last.payload["assignee_id"] == specialist.pk


def test_steps_follow_the_internal_process(process_dossier):
    d, steps = process_dossier
    assert d.process_id == steps[0].process_id
    for expected in steps:
        d = services.dossier_step_advance(dossier=d, actor=staff(d), at=local(2026, 11, 23, 10))
        assert d.current_step == expected
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="last step"):
        services.dossier_step_advance(dossier=d, actor=staff(d), at=local(2026, 11, 23, 11))
    assert db_snapshot() == before
    d = services.dossier_step_advance(
        dossier=d, actor=staff(d), step=steps[0], at=local(2026, 11, 23, 11)
    )
    assert d.current_step == steps[0]  # sent back to an earlier step
    assert d.events.filter(type=EventType.STEP).count() == 4


def test_step_from_another_process_is_refused(process_dossier):
    d, _steps = process_dossier
    foreign = ProcessStepFactory()
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="not part"):
        services.dossier_step_advance(dossier=d, actor=staff(d), step=foreign)
    assert db_snapshot() == before


def test_agency_process_wins_over_the_general_one():
    agency, procedure = AgencyFactory(), ProcedureFactory()
    InternalProcessFactory(procedure=procedure, version=3)
    own = InternalProcessFactory(procedure=procedure, agency=agency, version=1)
    d = received_dossier(agency=agency, procedure=procedure)
    assert d.process == own


def test_supplement_stops_then_restarts_the_clock():
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = services.dossier_supplement_request(
        dossier=d, actor=staff(d), reason="Thiếu bản vẽ", at=local(2026, 11, 25, 9)
    )
    assert d.state == DossierState.AWAITING_SUPPLEMENT
    assert d.paused_at == local(2026, 11, 25, 9)
    wait = d.supplement_waits.get()
    assert wait.due_before == d.due_at and wait.received_at is None
    assert d.events.last().payload["remaining_seconds"] > 0
    before = db_snapshot()
    with pytest.raises(IllegalTransition):
        services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 26, 9))
    with pytest.raises(IllegalTransition):
        services.dossier_supplement_request(
            dossier=d, actor=staff(d), reason="again", at=local(2026, 11, 26, 9)
        )
    assert db_snapshot() == before
    d = services.dossier_supplement_receive(dossier=d, actor=staff(d), at=local(2026, 11, 27, 9))
    wait.refresh_from_db()
    assert d.state == DossierState.IN_PROCESS and d.paused_at is None
    assert wait.received_at == local(2026, 11, 27, 9) and wait.due_after == d.due_at


def test_repeated_supplements_stay_explainable():
    d = received_dossier(at=local(2026, 11, 23, 9))
    for day in (25, 27):
        d = services.dossier_supplement_request(
            dossier=d, actor=staff(d), reason=f"lần {day}", at=local(2026, 11, day, 9)
        )
        d = services.dossier_supplement_receive(
            dossier=d, actor=staff(d), at=local(2026, 11, day, 15)
        )
    waits = list(d.supplement_waits.order_by("requested_at"))
    assert len(waits) == 2
    assert waits[0].due_after == waits[1].due_before
    assert waits[1].due_after == d.due_at


def test_supplement_needs_a_reason():
    d = received_dossier()
    with pytest.raises(MotcuaError):
        services.dossier_supplement_request(dossier=d, actor=staff(d), reason="")


def test_transfer_and_acceptance_change_the_handling_agency():
    first, second = AgencyFactory(), AgencyFactory()
    d = received_dossier(agency=first, at=local(2026, 11, 23, 9))
    code, due = d.code, d.due_at
    d = services.dossier_transfer(
        dossier=d, actor=staff(d), to_agency=second, note="Liên thông", at=local(2026, 11, 23, 10)
    )
    assert d.state == DossierState.TRANSFERRING and d.agency == first
    handover = d.handovers.get()
    assert (handover.from_agency, handover.to_agency, handover.accepted_at) == (
        first,
        second,
        None,
    )
    before = db_snapshot()
    with pytest.raises(IllegalTransition):
        services.dossier_transfer(dossier=d, actor=staff(d), to_agency=first)
    assert db_snapshot() == before
    d = services.dossier_transfer_accept(dossier=d, actor=staff(second), at=local(2026, 11, 25, 8))
    handover.refresh_from_db()
    assert d.state == DossierState.IN_PROCESS and d.agency == second
    assert handover.accepted_at == local(2026, 11, 25, 8)
    assert (d.code, d.due_at) == (code, due)
    payload = d.events.last().payload
    assert (payload["from_agency_id"], payload["to_agency_id"]) == (first.pk, second.pk)


def test_transfer_to_the_same_agency_is_refused():
    d = received_dossier()
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="already handled"):
        services.dossier_transfer(dossier=d, actor=staff(d), to_agency=d.agency)
    assert db_snapshot() == before
