"""Internal processes: versions approved by decisions; a dossier keeps the one of its reception."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.choices import Role
from motcua.catalog.selectors import internal_process_in_force
from motcua.control.choices import DecisionKind
from motcua.control.models import ProcessApproval
from motcua.control.services import decision_create, process_approve
from motcua.control.services.oversight import StepSpec
from motcua.core.errors import MotcuaError
from motcua.core.localtime import LOCAL_TZ as TZ
from motcua.dossiers.choices import Channel, DossierState
from motcua.dossiers.models import Dossier
from tests.catalog.factories import ProcedureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

THREE_STEPS = [
    StepSpec("Tiếp nhận hồ sơ", Role.COUNTER_OFFICER, Decimal(10)),
    StepSpec("Thẩm định", Role.SPECIALIST, Decimal(70)),
    StepSpec("Phê duyệt", Role.LEADER, Decimal(20)),
]
TWO_STEPS = [
    StepSpec("Tiếp nhận hồ sơ", Role.COUNTER_OFFICER, Decimal(20)),
    StepSpec("Thẩm định và phê duyệt", Role.DEPARTMENT_HEAD, Decimal(80)),
]


def _process_decision(agency, actor, number, effective):
    return decision_create(
        actor=actor,
        number=number,
        issued_on=effective - dt.timedelta(days=10),
        effective_from=effective,
        agency=agency,
        kind=DecisionKind.INTERNAL_PROCESSES,
    )


def test_dossier_received_before_a_process_change_keeps_its_old_steps(province, department, actor):
    procedure = ProcedureFactory()
    first = _process_decision(province, actor, "100/QĐ-UBND", dt.date(2020, 1, 1))
    v1 = process_approve(actor=actor, decision=first, procedure=procedure, steps=THREE_STEPS)
    received = dt.datetime(2020, 3, 20, 9, 0, tzinfo=TZ)
    # What the reception service does: snapshot the process in force at reception.
    process = internal_process_in_force(
        procedure_id=procedure.pk, agency_id=department.pk, on=received.date()
    )
    dossier = Dossier.objects.create(
        agency=department,
        procedure=procedure,
        channel=Channel.DIRECT,
        state=DossierState.IN_PROCESS,
        received_at=received,
        process=process,
    )

    second = _process_decision(province, actor, "900/QĐ-UBND", dt.date(2020, 4, 1))
    v2 = process_approve(actor=actor, decision=second, procedure=procedure, steps=TWO_STEPS)

    assert (v1.version, v2.version) == (1, 2)
    dossier.refresh_from_db()
    assert dossier.process == v1
    assert [s.name for s in dossier.process.steps.all()] == [s.name for s in THREE_STEPS]
    # asked again for the same reception date, the answer does not move
    assert (
        internal_process_in_force(
            procedure_id=procedure.pk, agency_id=department.pk, on=received.date()
        )
        == v1
    )
    # a dossier received after the change follows the new version
    assert (
        internal_process_in_force(
            procedure_id=procedure.pk, agency_id=department.pk, on=dt.date(2020, 4, 1)
        )
        == v2
    )
    assert [s.share_percent for s in v2.steps.all()] == [Decimal(20), Decimal(80)]
    assert ProcessApproval.objects.filter(decision=second, process=v2).exists()


def test_an_agency_own_process_wins_over_the_procedure_wide_one(province, department, actor):
    procedure = ProcedureFactory()
    decision = _process_decision(province, actor, "1/QĐ-UBND", dt.date(2020, 1, 1))
    wide = process_approve(actor=actor, decision=decision, procedure=procedure, steps=THREE_STEPS)
    later = _process_decision(province, actor, "2/QĐ-UBND", dt.date(2020, 6, 1))
    own = process_approve(
        actor=actor, decision=later, procedure=procedure, steps=TWO_STEPS, agency=department
    )
    day = dt.date(2020, 5, 1)
    assert (
        internal_process_in_force(procedure_id=procedure.pk, agency_id=department.pk, on=day)
        == wide
    )
    day = dt.date(2020, 6, 1)
    assert (
        internal_process_in_force(procedure_id=procedure.pk, agency_id=department.pk, on=day) == own
    )
    assert (
        internal_process_in_force(procedure_id=procedure.pk, agency_id=province.pk, on=day) == wide
    )
    assert internal_process_in_force(procedure_id=procedure.pk, agency_id=None, on=day) == wide
    assert (
        internal_process_in_force(procedure_id=procedure.pk, agency_id=None, on=dt.date(2019, 1, 1))
        is None
    )


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "at least one step"),
        ([StepSpec("A", Role.SPECIALIST, Decimal(50))], "add up to 50%, not 100%"),
        ([StepSpec("A", "janitor", Decimal(100))], "unknown role 'janitor'"),
        ([StepSpec(" ", Role.SPECIALIST, Decimal(100))], "Step 1 has no name"),
    ],
)
def test_process_approve_refuses_bad_steps(province, actor, steps, message):
    decision = _process_decision(province, actor, "3/QĐ-UBND", dt.date(2020, 1, 1))
    with pytest.raises(MotcuaError, match=message):
        process_approve(actor=actor, decision=decision, procedure=ProcedureFactory(), steps=steps)
    assert not ProcessApproval.objects.exists()


def test_process_approve_needs_an_internal_process_decision(province, actor):
    decision = decision_create(
        actor=actor,
        number="4/QĐ-UBND",
        issued_on=dt.date(2020, 1, 1),
        effective_from=dt.date(2020, 1, 1),
        agency=province,
    )
    with pytest.raises(MotcuaError, match="publishes procedures"):
        process_approve(
            actor=actor, decision=decision, procedure=ProcedureFactory(), steps=THREE_STEPS
        )
