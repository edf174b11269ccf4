"""Refusal, withdrawal, stopping, resolution and result delivery."""

from __future__ import annotations

import pytest

from motcua.core.errors import IllegalTransition, MotcuaError
from motcua.dossiers import services
from motcua.dossiers.choices import DeliveryChannel, DossierState, EventType, Outcome
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import ProcedureFactory, local, received_dossier, staff

pytestmark = pytest.mark.django_db

AT = local(2026, 11, 25, 10)


@pytest.mark.parametrize(
    ("service", "kwargs", "state", "outcome", "event"),
    [
        (services.dossier_refuse, {"reason": "Không đủ điều kiện"}, "refused", "refused", "refuse"),
        (
            services.dossier_withdraw,
            {"reason": "Công dân rút"},
            "withdrawn",
            "withdrawn",
            "withdraw",
        ),
        (
            services.dossier_stop,
            {"reason": "Quá hạn bổ sung", "notice_number": "12/TB-UBND"},
            "stopped",
            "stopped",
            "stop",
        ),
        (services.dossier_resolve, {"result": "Giấy phép số 5"}, "resolved", "resolved", "resolve"),
    ],
)
def test_closing_moves(service, kwargs, state, outcome, event):
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = service(dossier=d, actor=staff(d), at=AT, **kwargs)
    d.refresh_from_db()
    assert (d.state, d.outcome, d.closed_at) == (state, outcome, AT)
    last = d.events.last()
    assert (last.seq, last.type, last.from_state, last.to_state) == (
        2,
        event,
        DossierState.RECEIVED,
        state,
    )
    before = db_snapshot()
    with pytest.raises(IllegalTransition):
        services.dossier_refuse(dossier=d, actor=staff(d), reason="again", at=AT)
    assert db_snapshot() == before


def test_stop_records_its_notice():
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = services.dossier_stop(
        dossier=d, actor=staff(d), reason="Không bổ sung", notice_number="7/TB", at=AT
    )
    assert d.events.last().payload["notice_number"] == "7/TB"


def test_closing_while_waiting_for_a_supplement_clears_the_pause():
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = services.dossier_supplement_request(
        dossier=d, actor=staff(d), reason="Thiếu", at=local(2026, 11, 23, 10)
    )
    d = services.dossier_stop(dossier=d, actor=staff(d), reason="Không bổ sung", at=AT)
    assert d.paused_at is None and d.outcome == Outcome.STOPPED


@pytest.mark.parametrize("reason_service", [services.dossier_refuse, services.dossier_stop])
def test_refuse_and_stop_need_a_reason(reason_service):
    d = received_dossier()
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="reason"):
        reason_service(dossier=d, actor=staff(d), reason=" ", at=AT)
    assert db_snapshot() == before


def test_resolution_then_postal_delivery():
    d = received_dossier(at=local(2026, 11, 23, 9), procedure=ProcedureFactory(postal_return=True))
    before = db_snapshot()
    with pytest.raises(IllegalTransition):
        services.dossier_deliver(
            dossier=d, actor=staff(d), delivery_channel=DeliveryChannel.COUNTER, at=AT
        )
    assert db_snapshot() == before
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=AT)
    with pytest.raises(MotcuaError, match="tracking"):
        services.dossier_deliver(
            dossier=d, actor=staff(d), delivery_channel=DeliveryChannel.POSTAL, at=AT
        )
    d = services.dossier_deliver(
        dossier=d,
        actor=staff(d),
        delivery_channel=DeliveryChannel.POSTAL,
        postal_tracking=" EB123456789VN ",
        delivery_address="12 Lê Lợi",
        at=local(2026, 11, 26, 9),
    )
    assert d.state == DossierState.DELIVERED and d.outcome == Outcome.RESOLVED
    assert d.closed_at == AT and d.delivered_at == local(2026, 11, 26, 9)
    assert (d.delivery_channel, d.postal_tracking) == ("postal", "EB123456789VN")
    assert list(d.events.values_list("type", flat=True)) == [
        EventType.RECEIVE,
        EventType.RESOLVE,
        EventType.DELIVER,
    ]


def test_unknown_delivery_channel():
    d = services.dossier_resolve(dossier=(r := received_dossier()), actor=staff(r), at=AT)
    with pytest.raises(MotcuaError, match="delivery"):
        services.dossier_deliver(dossier=d, actor=staff(d), delivery_channel="drone", at=AT)


def test_delivery_defaults_to_the_channel_chosen_at_reception():
    d = received_dossier(delivery_channel=DeliveryChannel.ONLINE, at=local(2026, 11, 23, 9))
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=AT)
    d = services.dossier_deliver(dossier=d, actor=staff(d), at=AT)
    assert d.delivery_channel == DeliveryChannel.ONLINE
    other = services.dossier_resolve(dossier=(r := received_dossier()), actor=staff(r), at=AT)
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="how the result was delivered"):
        services.dossier_deliver(dossier=other, actor=staff(other), at=AT)
    assert db_snapshot() == before


def test_postal_delivery_needs_a_procedure_registered_for_postal_return():
    d = received_dossier(at=local(2026, 11, 23, 9))  # the factory's procedure: no post
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=AT)
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="not registered for returning results"):
        services.dossier_deliver(
            dossier=d,
            actor=staff(d),
            delivery_channel=DeliveryChannel.POSTAL,
            postal_tracking="EB123456789VN",
            at=AT,
        )
    assert db_snapshot() == before


def test_postal_delivery_chosen_at_reception_stands_when_the_registration_ends():
    procedure = ProcedureFactory(postal_return=True)
    d = received_dossier(
        at=local(2026, 11, 23, 9),
        procedure=procedure,
        delivery_channel=DeliveryChannel.POSTAL,
        delivery_address="Số 1 Lê Lợi",
    )
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=AT)
    type(procedure).objects.filter(pk=procedure.pk).update(postal_return=False)
    d = services.dossier_deliver(dossier=d, actor=staff(d), postal_tracking="EB1VN", at=AT)
    assert d.delivery_channel == DeliveryChannel.POSTAL and d.delivered_at == AT
