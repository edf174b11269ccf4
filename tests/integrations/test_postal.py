"""The postal operator: delivery orders through the outbox, signed callbacks (§4)."""

from __future__ import annotations

import json

import pytest

from motcua.dossiers import services
from motcua.dossiers.choices import Channel, DeliveryChannel, DossierState
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.adapters.postal import signature
from motcua.integrations.models import OutboxMessage, PostalOrder
from tests.dossiers.factories import ProcedureFactory, local, received_dossier, staff
from tests.integrations.conftest import drain

pytestmark = pytest.mark.django_db

URL = "/api/v1/postal/events"


@pytest.fixture
def resolved(fake_postal):
    dossier = received_dossier(
        procedure=ProcedureFactory(postal_return=True),
        delivery_channel=DeliveryChannel.POSTAL,
        delivery_address="Số 5 phố Huế, Hà Nội",
        applicant_phone="0912345678",
    )
    return services.dossier_resolve(
        dossier=dossier, actor=staff(dossier), at=local(2026, 11, 25, 9)
    )


def callback(client, data, *, secret="postal-secret", sign=None):
    raw = json.dumps(data).encode()
    return client.post(
        URL,
        raw,
        content_type="application/json",
        headers={"X-Signature": sign if sign is not None else signature(raw, secret)},
    )


def event(dossier, status, at="2026-11-26T10:00:00+07:00"):
    return {
        "tracking": "EB100000000VN",
        "ref": f"{dossier.code}:delivery",
        "status": status,
        "at": at,
    }


def test_a_result_ready_for_the_post_orders_a_delivery(resolved, fake_postal):
    (message,) = OutboxMessage.objects.filter(peer="postal")
    assert message.kind == "delivery"
    assert drain() == 0
    order = fake_postal.orders[f"{resolved.code}:delivery"]
    assert (order["kind"], order["address"], order["phone"]) == (
        "delivery",
        "Số 5 phố Huế, Hà Nội",
        "0912345678",
    )
    stored = PostalOrder.objects.get(ref=f"{resolved.code}:delivery")
    assert stored.tracking == fake_postal.tracking[stored.ref]


def test_an_order_sent_twice_keeps_one_tracking_number(resolved, fake_postal):
    assert drain() == 0
    OutboxMessage.objects.filter(peer="postal").update(status="pending", attempts=0)
    assert drain() == 0
    assert len(fake_postal.tracking) == 1
    assert PostalOrder.objects.get().tracking == next(iter(fake_postal.tracking.values()))


def test_no_order_when_the_post_is_not_configured(settings):
    settings.MOTCUA_POSTAL_URL = ""
    dossier = received_dossier(
        procedure=ProcedureFactory(postal_return=True),
        delivery_channel=DeliveryChannel.POSTAL,
        delivery_address="Số 5 phố Huế, Hà Nội",
    )
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 25, 9))
    assert not OutboxMessage.objects.filter(peer="postal").exists()


def test_a_bad_signature_is_401_and_changes_nothing(client, resolved):
    events = DossierEvent.objects.count()
    assert callback(client, event(resolved, "delivered"), secret="wrong").status_code == 401
    assert callback(client, event(resolved, "delivered"), sign="").status_code == 401
    assert DossierEvent.objects.count() == events
    assert Dossier.objects.get(pk=resolved.pk).state == DossierState.RESOLVED
    assert not PostalOrder.objects.filter(status="delivered").exists()


def test_delivered_records_the_postal_delivery_once(client, resolved):
    first = callback(client, event(resolved, "delivered"))
    assert first.status_code == 200, first.content
    dossier = Dossier.objects.get(pk=resolved.pk)
    assert dossier.state == DossierState.DELIVERED
    assert (dossier.delivery_channel, dossier.postal_tracking) == ("postal", "EB100000000VN")
    assert dossier.delivered_at == local(2026, 11, 26, 10)
    events = DossierEvent.objects.count()
    again = callback(client, event(resolved, "delivered"))
    assert again.status_code == 200 and again.json()["detail"] == "already recorded"
    assert DossierEvent.objects.count() == events


def test_returned_puts_the_result_back_at_the_counter(client, resolved):
    assert callback(client, event(resolved, "returned")).status_code == 200
    dossier = Dossier.objects.get(pk=resolved.pk)
    assert (dossier.state, dossier.delivery_channel) == (DossierState.RESOLVED, "counter")
    last = dossier.events.order_by("-seq").first()
    assert last.type == "postal_return" and last.payload["postal_tracking"] == "EB100000000VN"
    events = DossierEvent.objects.count()
    assert callback(client, event(resolved, "returned")).status_code == 200  # repeat: harmless
    assert DossierEvent.objects.count() == events
    services.dossier_deliver(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 27, 9))
    assert Dossier.objects.get(pk=resolved.pk).delivery_channel == "counter"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"at": "2026-11-26 10:00"}, "at"),
        ({"ref": "no-kind"}, "ref"),
        ({"tracking": ""}, "tracking"),
    ],
)
def test_a_bad_callback_is_422_naming_the_field(client, resolved, changes, field):
    events = DossierEvent.objects.count()
    response = callback(client, {**event(resolved, "delivered"), **changes})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert DossierEvent.objects.count() == events


# --- pickup orders: a dossier received by post is collected from the applicant ---------------


def received_by_post(**kwargs):
    kwargs.setdefault("procedure", ProcedureFactory(postal_reception=True, postal_return=True))
    return received_dossier(
        channel=Channel.POSTAL,
        applicant_address="Số 12 ngõ 34 Kim Mã, Ba Đình, Hà Nội",
        applicant_phone="0987654321",
        **kwargs,
    )


def test_a_dossier_received_by_post_orders_a_pickup(fake_postal):
    dossier = received_by_post()
    (message,) = OutboxMessage.objects.filter(peer="postal")
    assert (message.kind, message.payload["ref"]) == ("pickup", f"{dossier.code}:pickup")
    assert drain() == 0
    order = fake_postal.orders[f"{dossier.code}:pickup"]
    unit = dossier.receiving_unit or dossier.agency
    assert order == {
        "ref": f"{dossier.code}:pickup",
        "kind": "pickup",
        "name": dossier.applicant_name,
        "phone": "0987654321",
        "address": "Số 12 ngõ 34 Kim Mã, Ba Đình, Hà Nội",
        "agency": unit.code,
        "note": dossier.code,
    }
    stored = PostalOrder.objects.get(ref=f"{dossier.code}:pickup")
    assert (stored.kind, stored.tracking) == ("pickup", fake_postal.tracking[stored.ref])


def test_a_one_way_dossier_filed_from_the_post_orders_a_pickup(fake_postal):
    dossier = received_by_post(
        procedure=ProcedureFactory(postal_reception=True, one_way=True, processing_time=None)
    )
    assert dossier.state == DossierState.FILED
    assert drain() == 0
    assert list(fake_postal.orders) == [f"{dossier.code}:pickup"]


def test_a_pickup_sent_again_keeps_one_order_and_one_tracking_number(fake_postal):
    dossier = received_by_post()
    assert drain() == 0
    first = PostalOrder.objects.get().tracking
    OutboxMessage.objects.filter(peer="postal").update(status="pending", attempts=0)
    assert drain() == 0
    assert fake_postal.requests == 2  # the operator was asked twice ...
    assert list(fake_postal.tracking) == [f"{dossier.code}:pickup"]  # ... and kept one order
    assert (
        PostalOrder.objects.get().tracking
        == first
        == fake_postal.tracking[f"{dossier.code}:pickup"]
    )


def test_later_events_order_no_second_pickup_and_counter_dossiers_none(fake_postal):
    dossier = received_by_post(delivery_channel=DeliveryChannel.POSTAL,
                               delivery_address="Số 5 phố Huế, Hà Nội")  # fmt: skip
    services.dossier_assign(dossier=dossier, actor=staff(dossier), assignee=None,
                            at=local(2026, 11, 24, 9))  # fmt: skip
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 25, 9))
    received_dossier(procedure=ProcedureFactory(postal_reception=True))  # at the counter
    assert drain() == 0
    assert sorted(fake_postal.orders) == [f"{dossier.code}:delivery", f"{dossier.code}:pickup"]
    pickup, delivery = (fake_postal.orders[f"{dossier.code}:{k}"] for k in ("pickup", "delivery"))
    assert pickup["address"] == "Số 12 ngõ 34 Kim Mã, Ba Đình, Hà Nội"  # collected at home
    assert delivery["address"] == "Số 5 phố Huế, Hà Nội"  # delivered where asked
    assert PostalOrder.objects.count() == 2


def test_picked_up_callback_is_recorded_on_the_pickup_order_only(client, fake_postal):
    dossier = received_by_post()
    assert drain() == 0
    tracking = PostalOrder.objects.get().tracking
    events = DossierEvent.objects.count()
    data = {"tracking": tracking, "ref": f"{dossier.code}:pickup", "status": "picked_up",
            "at": "2026-11-23T15:00:00+07:00"}  # fmt: skip
    assert callback(client, data).status_code == 200
    assert PostalOrder.objects.get().status == "picked_up"
    assert DossierEvent.objects.count() == events
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RECEIVED
