"""Publication decisions change the catalogue from their effective date and keep its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from motcua.catalog.choices import OnlineClass, ProcedureLevel
from motcua.catalog.models import Procedure
from motcua.control.choices import DecisionKind, ItemAction
from motcua.control.models import ProcedureRevision
from motcua.control.selectors import catalogue_as_of, procedure_as_of
from motcua.control.services import (
    decision_apply,
    decision_create,
    decision_item_add,
    decisions_apply_due,
)
from motcua.core.errors import MotcuaError
from motcua.core.localtime import LOCAL_TZ as TZ
from motcua.core.models import AuditLog
from tests.catalog.factories import FieldFactory, ProcedureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _decision(province, actor, *, number="1016/QĐ-UBND", issued, effective):
    return decision_create(
        actor=actor,
        number=number,
        issued_on=issued,
        effective_from=effective,
        agency=province,
        signer="Chủ tịch UBND tỉnh",
    )


def test_decision_effective_next_month_leaves_todays_catalogue_alone(province, actor):
    procedure = ProcedureFactory(processing_time=Decimal(10), online_class=OnlineClass.LEVEL2)
    with time_machine.travel(dt.datetime(2020, 4, 23, 9, 0, tzinfo=TZ), tick=False):
        today = dt.date(2020, 4, 23)
        decision = _decision(province, actor, issued=today, effective=dt.date(2020, 5, 15))
        decision_item_add(
            actor=actor,
            decision=decision,
            action=ItemAction.AMEND,
            level=ProcedureLevel.PROVINCE,
            procedure=procedure,
            attributes={"processing_time": 7, "online_class": OnlineClass.LEVEL4},
        )
        assert decisions_apply_due(actor=actor).applied == []
        with pytest.raises(MotcuaError, match="15/05/2020"):
            decision_apply(decision=decision, actor=actor)

        procedure.refresh_from_db()
        assert procedure.processing_time == Decimal(10)
        assert procedure.online_class == OnlineClass.LEVEL2
        assert procedure_as_of(procedure_id=procedure.pk, on=today).processing_time == 10
        decision.refresh_from_db()
        assert not decision.is_applied

    with time_machine.travel(dt.datetime(2020, 5, 15, 0, 5, tzinfo=TZ), tick=False):
        call_command("apply_decisions", verbosity=0)
    procedure.refresh_from_db()
    assert procedure.processing_time == Decimal(7)
    assert procedure.online_class == OnlineClass.LEVEL4
    # History: before the effective date the old attributes, from it the new ones.
    before = procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 5, 14))
    after = procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 5, 15))
    assert (before.processing_time, before.online_class) == (Decimal(10), OnlineClass.LEVEL2)
    assert (after.processing_time, after.online_class) == (Decimal(7), OnlineClass.LEVEL4)
    assert after.decision_id == decision.pk


def test_decision_apply_is_idempotent(province, actor):
    procedure = ProcedureFactory(processing_time=Decimal(10))
    decision = _decision(province, actor, issued=dt.date(2020, 4, 1), effective=dt.date(2020, 4, 1))
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.AMEND,
        level=ProcedureLevel.PROVINCE,
        procedure=procedure,
        attributes={"processing_time": "5"},
    )
    today = dt.date(2020, 6, 1)
    assert decision_apply(decision=decision, actor=actor, today=today) == 1
    revisions = list(
        ProcedureRevision.objects.filter(procedure=procedure).values_list(
            "pk", "valid_from", "valid_to"
        )
    )
    assert decision_apply(decision=decision, actor=actor, today=today) == 0
    assert decisions_apply_due(actor=actor, today=today).applied == []
    assert (
        list(
            ProcedureRevision.objects.filter(procedure=procedure).values_list(
                "pk", "valid_from", "valid_to"
            )
        )
        == revisions
    )
    # the catalogue row before the decision, then the decision's revision
    assert [(r[1], r[2]) for r in revisions] == [
        (None, dt.date(2020, 4, 1)),
        (dt.date(2020, 4, 1), None),
    ]
    assert AuditLog.objects.filter(action="control.decision_apply").count() == 1
    with pytest.raises(MotcuaError, match="already applied"):
        decision_item_add(
            actor=actor,
            decision=decision,
            action=ItemAction.ABOLISH,
            level=ProcedureLevel.PROVINCE,
            procedure=procedure,
        )


def test_abolish_takes_the_procedure_out_from_its_date(province, actor):
    procedure = ProcedureFactory()
    kept = ProcedureFactory()
    decision = _decision(
        province, actor, issued=dt.date(2020, 6, 20), effective=dt.date(2020, 7, 1)
    )
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.ABOLISH,
        level=ProcedureLevel.DISTRICT,
        procedure=procedure,
    )
    decisions_apply_due(actor=actor, today=dt.date(2020, 7, 1))
    procedure.refresh_from_db()
    assert procedure.is_active is False
    assert procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 6, 30)).in_force
    assert not procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 7, 1)).in_force
    codes_june = {s.code for s in catalogue_as_of(on=dt.date(2020, 6, 30))}
    codes_july = {s.code for s in catalogue_as_of(on=dt.date(2020, 7, 1))}
    assert codes_june == {procedure.code, kept.code}
    assert codes_july == {kept.code}


def test_publishing_a_new_procedure_creates_it_from_its_date(province, actor):
    field = FieldFactory(name="Đầu tư tại Việt Nam")
    decision = _decision(
        province, actor, issued=dt.date(2020, 4, 23), effective=dt.date(2020, 5, 1)
    )
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.PUBLISH,
        level=ProcedureLevel.PROVINCE,
        code="1.009645",
        name="Thủ tục chấp thuận chủ trương đầu tư",
        field=field,
        attributes={"processing_time": 35, "fee": "Không"},
    )
    assert not Procedure.objects.filter(code="1.009645").exists()
    decisions_apply_due(actor=actor, today=dt.date(2020, 5, 1))
    procedure = Procedure.objects.get(code="1.009645")
    assert (procedure.processing_time, procedure.level, procedure.fee) == (
        Decimal(35),
        ProcedureLevel.PROVINCE,
        "Không",
    )
    assert procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 4, 30)) is None
    assert procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 5, 1)).in_force
    assert decision.items.get().procedure == procedure


def test_replace_abolishes_the_old_and_publishes_the_new(province, actor):
    old = ProcedureFactory(code="1.000001")
    decision = _decision(
        province, actor, issued=dt.date(2020, 4, 23), effective=dt.date(2020, 4, 23)
    )
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.REPLACE,
        level=ProcedureLevel.COMMUNE,
        code="1.000002",
        name="Thủ tục thay thế",
        field=old.field,
        replaces=old,
        attributes={"processing_time": 3},
    )
    assert decision_apply(decision=decision, actor=actor, today=dt.date(2020, 4, 23)) == 2
    old.refresh_from_db()
    assert not old.is_active
    assert Procedure.objects.get(code="1.000002").is_active


def test_a_late_entered_earlier_decision_splits_the_history(province, actor):
    procedure = ProcedureFactory(processing_time=Decimal(20))
    later = _decision(
        province,
        actor,
        number="2/QĐ-UBND",
        issued=dt.date(2020, 6, 1),
        effective=dt.date(2020, 6, 1),
    )
    decision_item_add(
        actor=actor,
        decision=later,
        action=ItemAction.AMEND,
        level="province",
        procedure=procedure,
        attributes={"processing_time": 10},
    )
    decisions_apply_due(actor=actor, today=dt.date(2020, 6, 1))
    earlier = _decision(
        province,
        actor,
        number="1/QĐ-UBND",
        issued=dt.date(2020, 4, 1),
        effective=dt.date(2020, 4, 1),
    )
    decision_item_add(
        actor=actor,
        decision=earlier,
        action=ItemAction.AMEND,
        level="province",
        procedure=procedure,
        attributes={"fee": "50.000 đồng"},
    )
    decisions_apply_due(actor=actor, today=dt.date(2020, 6, 2))
    march, may, june = (
        procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, m, 15)) for m in (3, 5, 6)
    )
    assert (march.processing_time, march.fee) == (Decimal(20), "")
    assert (may.processing_time, may.fee) == (Decimal(20), "50.000 đồng")
    assert june.processing_time == Decimal(10)
    procedure.refresh_from_db()
    assert procedure.processing_time == Decimal(10)  # the catalogue shows the latest revision


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "amend", "code": "9.999999"}, "not in the catalogue"),
        ({"action": "publish", "code": "9.999999", "name": "X"}, "national code, name and field"),
        (
            {"action": "amend", "attributes": {"colour": "red"}},
            "Unknown procedure attribute 'colour'",
        ),
        ({"action": "amend", "attributes": {"processing_time": "abc"}}, "'abc' is not a number"),
        ({"action": "amend", "attributes": {"online_class": "level9"}}, "'level9' is not one of"),
        ({"action": "amend", "attributes": {"one_way": "yes"}}, "must be true or false"),
        ({"action": "replace"}, "the procedure it replaces"),
    ],
)
def test_decision_item_bad_input_is_refused_with_a_clear_message(province, actor, kwargs, message):
    procedure = ProcedureFactory()
    decision = _decision(province, actor, issued=dt.date(2020, 4, 1), effective=dt.date(2020, 4, 1))
    if "code" not in kwargs:
        kwargs = {**kwargs, "procedure": procedure}
    with pytest.raises(MotcuaError, match=message):
        decision_item_add(actor=actor, decision=decision, level="province", **kwargs)
    assert not decision.items.exists()


def test_decision_create_checks_dates_and_kind(province, actor):
    with pytest.raises(MotcuaError, match="before the issue date"):
        _decision(province, actor, issued=dt.date(2020, 4, 2), effective=dt.date(2020, 4, 1))
    decision = decision_create(
        actor=actor,
        number="5/QĐ-UBND",
        issued_on=dt.date(2020, 4, 2),
        effective_from=dt.date(2020, 4, 2),
        agency=province,
        kind=DecisionKind.INTERNAL_PROCESSES,
    )
    with pytest.raises(MotcuaError, match="approves internal processes"):
        decision_item_add(
            actor=actor,
            decision=decision,
            action="amend",
            level="province",
            procedure=ProcedureFactory(),
        )
    with pytest.raises(MotcuaError, match="already recorded"):
        decision_create(
            actor=actor,
            number="5/QĐ-UBND",
            issued_on=dt.date(2020, 4, 2),
            effective_from=dt.date(2020, 4, 2),
            agency=province,
        )


def test_dossier_keeps_the_procedure_version_in_force_at_its_reception(province, department, actor):
    from motcua.dossiers.choices import Channel, DossierState
    from motcua.dossiers.models import Dossier

    procedure = ProcedureFactory(processing_time=Decimal(10))
    received = dt.datetime(2020, 4, 20, 9, 0, tzinfo=TZ)
    state = procedure_as_of(procedure_id=procedure.pk, on=received.date())
    dossier = Dossier.objects.create(  # what the reception service stores: a snapshot
        agency=department,
        procedure=procedure,
        channel=Channel.DIRECT,
        state=DossierState.IN_PROCESS,
        received_at=received,
        processing_time=state.processing_time,
        time_unit=state.time_unit,
        online_class=state.online_class,
    )
    decision = _decision(
        province, actor, issued=dt.date(2020, 4, 23), effective=dt.date(2020, 5, 1)
    )
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.AMEND,
        level=ProcedureLevel.PROVINCE,
        procedure=procedure,
        attributes={"processing_time": 5},
    )
    decisions_apply_due(actor=actor, today=dt.date(2020, 5, 2))

    dossier.refresh_from_db()
    assert dossier.processing_time == Decimal(10)
    assert procedure_as_of(procedure_id=procedure.pk, on=received.date()).processing_time == 10
    assert procedure_as_of(procedure_id=procedure.pk, on=dt.date(2020, 5, 2)).processing_time == 5


def test_a_decision_that_cannot_apply_does_not_hold_back_the_others(province, actor):
    broken, fine = ProcedureFactory(processing_time=Decimal(10)), ProcedureFactory()
    bad = _decision(
        province,
        actor,
        number="1/QĐ-UBND",
        issued=dt.date(2020, 4, 1),
        effective=dt.date(2020, 4, 1),
    )
    decision_item_add(
        actor=actor,
        decision=bad,
        action=ItemAction.AMEND,
        level="province",
        procedure=broken,
        attributes={"processing_time": None},
    )
    decision_item_add(
        actor=actor, decision=bad, action=ItemAction.ABOLISH, level="province", procedure=fine
    )
    good = _decision(
        province,
        actor,
        number="2/QĐ-UBND",
        issued=dt.date(2020, 4, 2),
        effective=dt.date(2020, 4, 2),
    )
    decision_item_add(
        actor=actor,
        decision=good,
        action=ItemAction.AMEND,
        level="province",
        procedure=broken,
        attributes={"fee": "Không"},
    )

    result = decisions_apply_due(actor=actor, today=dt.date(2020, 4, 2))

    assert result.applied == [good]
    assert [(d, "no processing time" in message) for d, message in result.failed] == [(bad, True)]
    fine.refresh_from_db()
    assert fine.is_active  # nothing of the failed decision was written
    bad.refresh_from_db()
    assert not bad.is_applied
    with pytest.raises(Exception, match="1 decision"):
        call_command("apply_decisions", "--today", "2020-04-02", verbosity=0)
