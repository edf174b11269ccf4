"""Reception: counter / post, online submission and pre-check, one-way, closures, codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.choices import Role, TimeUnit
from motcua.catalog.models import ProcedureAssignment
from motcua.core.errors import IllegalTransition, MotcuaError, NotFound
from motcua.dossiers import services
from motcua.dossiers.choices import Channel, DeliveryChannel, DossierState, EventType
from motcua.dossiers.models import CounterClosure
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    local,
    official,
    received_dossier,
    staff,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db


def test_counter_reception_allocates_code_due_and_one_event(officer):
    agency = AgencyFactory(code="000.00.02.H23")
    procedure = ProcedureFactory(processing_time=Decimal(3))
    officer = official(agency, Role.COUNTER_OFFICER)
    d = received_dossier(
        agency=agency, procedure=procedure, actor=officer, at=local(2026, 11, 20, 9, 30)
    )
    assert d.code == "000.00.02.H23-261120-0001"
    assert d.state == DossierState.RECEIVED
    assert d.received_at == local(2026, 11, 20, 9, 30)
    # Fri 20/11 + 3 working days: Mon 23, (Tue 24/11 is a public holiday), Wed 25, Thu 26.
    assert d.due_at == local(2026, 11, 26, 17, 0)
    events = list(d.events.all())
    assert [(e.seq, e.type, e.from_state, e.to_state) for e in events] == [
        (1, EventType.RECEIVE, "", DossierState.RECEIVED)
    ]
    assert events[0].actor == officer
    assert events[0].payload["code"] == d.code
    assert events[0].payload["due_at"] == d.due_at.isoformat()


def test_codes_count_per_agency_per_local_day():
    agency, other = AgencyFactory(code="A1"), AgencyFactory(code="B2")
    procedure = ProcedureFactory()
    codes = [
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 8)).code,
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 16)).code,
        received_dossier(agency=other, procedure=procedure, at=local(2026, 11, 23, 16)).code,
        # 23:30 local on the 23rd is still the 23rd, though it is already the 23rd/24th in UTC
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 23, 30)).code,
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 24, 0, 10)).code,
    ]
    assert codes == [
        "A1-261123-0001",
        "A1-261123-0002",
        "B2-261123-0001",
        "A1-261123-0003",
        "A1-261124-0001",
    ]


def test_receiving_unit_gives_the_code_while_the_agency_handles():
    centre, department = AgencyFactory(code="CENTRE"), AgencyFactory(code="DEPT")
    d = received_dossier(agency=department, receiving_unit=centre, at=local(2026, 11, 23, 9))
    assert d.code.startswith("CENTRE-261123-")
    assert d.agency == department and d.receiving_unit == centre


def test_snapshot_prefers_the_agency_override():
    agency = AgencyFactory()
    procedure = ProcedureFactory(processing_time=Decimal(10), online_class="level3")
    ProcedureAssignment.objects.create(
        procedure=procedure, agency=agency, processing_time=Decimal(2), online_class="full"
    )
    d = received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 9))
    assert d.processing_time == Decimal(2) and d.online_class == "full"
    procedure.processing_time = Decimal(20)
    procedure.save()
    d.refresh_from_db()
    assert d.processing_time == Decimal(2)  # later catalogue changes do not move the dossier


def test_working_hours_procedure():
    procedure = ProcedureFactory(processing_time=Decimal(4), time_unit=TimeUnit.WORKING_HOURS)
    d = received_dossier(procedure=procedure, at=local(2026, 11, 23, 15, 0))
    # 15:00–17:00 = 2 h on Mon 23/11; Tue 24/11 is a holiday; 2 h more from 07:30 Wed.
    assert d.due_at == local(2026, 11, 25, 9, 30)


def test_checklist_copied_from_required_documents():
    procedure = ProcedureFactory()
    first = RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị", copies=1)
    RequiredDocumentFactory(procedure=procedure, name="Bản sao CCCD", mandatory=False)
    d = received_dossier(procedure=procedure)
    assert [(x.name, x.submitted) for x in d.documents.all()] == [
        ("Đơn đề nghị", True),
        ("Bản sao CCCD", False),
    ]
    d2 = received_dossier(procedure=procedure, documents_submitted=[])
    assert not any(doc.submitted for doc in d2.documents.all())
    assert d2.documents.get(required=first).copies == 1


def test_one_way_procedure_is_filed_at_once():
    procedure = ProcedureFactory(one_way=True, processing_time=None)
    d = received_dossier(procedure=procedure, at=local(2026, 11, 23, 9))
    assert d.state == DossierState.FILED
    assert d.outcome == "filed" and d.closed_at == d.received_at and d.due_at is None
    assert d.code
    assert list(d.events.values_list("type", flat=True)) == [EventType.FILE]
    with pytest.raises(IllegalTransition):
        services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 23, 10))


def test_online_submission_then_precheck_accept(officer):
    d = submitted_dossier(at=local(2026, 11, 21, 20, 0))  # Saturday evening
    assert d.state == DossierState.SUBMITTED and d.code is None and d.due_at is None
    d = services.dossier_precheck_accept(dossier=d, actor=staff(d), at=local(2026, 11, 23, 8))
    assert d.state == DossierState.RECEIVED and d.channel == Channel.ONLINE
    assert d.code.endswith("-261123-0001")
    assert d.submitted_at == local(2026, 11, 21, 20, 0)
    assert list(d.events.values_list("type", "from_state", "to_state")) == [
        (EventType.SUBMIT, "", DossierState.SUBMITTED),
        (EventType.PRECHECK_ACCEPT, DossierState.SUBMITTED, DossierState.RECEIVED),
    ]


def test_online_one_way_is_filed_on_acceptance():
    d = submitted_dossier(procedure=ProcedureFactory(one_way=True, processing_time=None))
    d = services.dossier_precheck_accept(dossier=d.pk, actor=staff(d), at=local(2026, 11, 23, 10))
    assert d.state == DossierState.FILED and d.outcome == "filed"


def test_precheck_refuse_gives_no_code():
    d = submitted_dossier()
    d = services.dossier_precheck_refuse(
        dossier=d, actor=staff(d), reason="Thiếu đơn", at=local(2026, 11, 23, 10)
    )
    assert d.state == DossierState.NOT_RECEIVED and d.code is None and d.closed_at is None
    before = db_snapshot()
    with pytest.raises(IllegalTransition):
        services.dossier_precheck_accept(dossier=d, actor=staff(d), at=local(2026, 11, 23, 11))
    assert db_snapshot() == before


def test_precheck_refuse_needs_a_reason():
    d = submitted_dossier()
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="reason"):
        services.dossier_precheck_refuse(dossier=d, actor=staff(d), reason="  ")
    assert db_snapshot() == before


def test_precheck_of_a_received_dossier_is_illegal_and_writes_nothing():
    d = received_dossier()
    before = db_snapshot()
    with pytest.raises(IllegalTransition, match="cannot"):
        services.dossier_precheck_accept(dossier=d, actor=staff(d), at=local(2026, 11, 23, 10))
    assert db_snapshot() == before


def test_counter_closure_refuses_counter_reception_only():
    province = AgencyFactory()
    centre = AgencyFactory(parent=province)
    CounterClosure.objects.create(
        agency=province, start=dt.date(2020, 4, 1), end=dt.date(2020, 4, 22), reason="Covid-19"
    )
    procedure = ProcedureFactory(postal_reception=True)
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="01/04/2020"):
        received_dossier(agency=centre, procedure=procedure, at=local(2020, 4, 10, 9))
    assert db_snapshot() == before
    for channel in (Channel.POSTAL, Channel.ONLINE):
        d = received_dossier(
            agency=centre, procedure=procedure, channel=channel, at=local(2020, 4, 10, 9)
        )
        assert d.state == DossierState.RECEIVED
    after = received_dossier(agency=centre, procedure=procedure, at=local(2020, 4, 23, 9))
    assert after.code.endswith("-200423-0001")


def test_closure_of_the_receiving_unit_applies_whatever_the_handling_agency():
    centre, department = AgencyFactory(), AgencyFactory()
    services.counter_closure_create(
        actor=staff(centre),
        agency=centre,
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 11, 23),
        reason="Bảo trì",
    )
    with pytest.raises(MotcuaError, match="suspended"):
        received_dossier(agency=department, receiving_unit=centre, at=local(2026, 11, 23, 9))
    assert received_dossier(agency=department, at=local(2026, 11, 23, 9)).pk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": "fax"}, "channel"),
        ({"delivery_channel": "pigeon"}, "delivery"),
        ({"applicant_name": " "}, "name"),
        ({"applicant_kind": "robot"}, "applicant kind"),
        ({"agency": 999999}, "does not exist"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(change, message, settings):
    from django.utils import translation

    agency, procedure = AgencyFactory(), ProcedureFactory()
    actor = staff(agency)
    before = db_snapshot()
    with translation.override("en"), pytest.raises(MotcuaError, match=message):
        services.dossier_receive(
            actor=actor,
            **{"agency": agency, "procedure": procedure, "applicant_name": "A", **change},
        )
    assert db_snapshot() == before


def test_abolished_procedure_cannot_be_received():
    with pytest.raises(MotcuaError):
        received_dossier(procedure=ProcedureFactory(is_active=False))


def test_unknown_dossier_is_not_found():
    with pytest.raises(NotFound):
        services.dossier_assign(dossier=987654, actor=staff(AgencyFactory()), assignee=None)


def test_time_cannot_go_back_before_the_last_event():
    d = received_dossier(at=local(2026, 11, 23, 9))
    before = db_snapshot()
    with pytest.raises(MotcuaError):
        services.dossier_assign(dossier=d, actor=staff(d), assignee=None, at=local(2026, 11, 23, 8))
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("flags", "kwargs", "message"),
    [
        ({}, {"channel": Channel.POSTAL}, "not registered for reception by public postal"),
        (
            {"postal_reception": True},
            {"channel": Channel.POSTAL, "delivery_channel": DeliveryChannel.POSTAL},
            "not registered for returning results",
        ),
        ({}, {"delivery_channel": DeliveryChannel.POSTAL}, "not registered for returning"),
    ],
)
def test_post_is_only_for_procedures_registered_for_it(flags, kwargs, message):
    procedure = ProcedureFactory(**flags)
    before = db_snapshot()
    with pytest.raises(MotcuaError, match=message):
        received_dossier(procedure=procedure, delivery_address="Số 1 Lê Lợi", **kwargs)
    assert db_snapshot() == before


@pytest.mark.parametrize(
    "kwargs",
    [
        {"delivery_channel": DeliveryChannel.POSTAL},
        {"delivery_channel": DeliveryChannel.POSTAL, "delivery_address": "  "},
    ],
)
def test_result_by_post_needs_an_address_at_every_reception(kwargs):
    """dossiers.reception_rules in the service: counter, post and online receptions alike."""
    from django.utils import translation

    procedure = ProcedureFactory(postal_reception=True, postal_return=True)
    agency = AgencyFactory()
    before = db_snapshot()
    with translation.override("en"):
        for receive in (services.dossier_receive, services.dossier_submit_online):
            with pytest.raises(MotcuaError, match="delivery_address: Give the address"):
                receive(
                    actor=None, agency=agency, procedure=procedure, applicant_name="A", **kwargs
                )
    assert db_snapshot() == before
    d = received_dossier(procedure=procedure, applicant_address="Số 2 Trần Phú", **kwargs)
    assert d.delivery_channel == DeliveryChannel.POSTAL


def test_reception_form_and_service_give_the_same_message():
    from django.utils import translation

    from motcua.dossiers.forms import ReceptionForm
    from motcua.dossiers.reception_rules import reception_problems

    with translation.override("en"):
        form = ReceptionForm(
            data={"applicant_name": "A", "delivery_channel": DeliveryChannel.POSTAL}
        )
        form.is_valid()
        expected = reception_problems(
            applicant={"applicant_name": "A"}, delivery_channel="postal", delivery_address=""
        )
        assert form.errors["delivery_address"] == [expected["delivery_address"]]


def test_post_both_ways_when_registered():
    procedure = ProcedureFactory(postal_reception=True, postal_return=True)
    d = received_dossier(
        procedure=procedure,
        channel=Channel.POSTAL,
        delivery_channel=DeliveryChannel.POSTAL,
        delivery_address="Số 1 Lê Lợi",
    )
    assert d.channel == Channel.POSTAL and d.delivery_channel == DeliveryChannel.POSTAL
