"""The national portal's view (§2): a status code for every dossier state, ratings received."""

from __future__ import annotations

import pytest

from motcua.dossiers import services
from motcua.dossiers.choices import DossierState, RatingValue
from motcua.dossiers.workflow import NEW, TRANSITIONS
from motcua.integrations.adapters import national
from motcua.integrations.inbound import receive_push
from motcua.integrations.models import NationalDossier
from tests.dossiers.factories import local, received_dossier, staff
from tests.integrations.conftest import drain
from tests.integrations.test_inbound import body, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SPEC_CODES = range(1, 11)  # §2: TrangThaiHoSo 1 … 10


def test_every_workflow_state_has_a_spec_status_code():
    states = {state for state, _action in TRANSITIONS} | set(TRANSITIONS.values())
    states.discard(NEW)
    assert states == set(DossierState.values)  # the workflow reaches every state ...
    for state in DossierState.values:  # ... and each one has its §2 code
        assert national.STATUS[state] in SPEC_CODES, state


def test_status_codes_follow_the_spec_table():
    S = DossierState
    expected = {
        1: {S.SUBMITTED, S.RETURNED},  # registered online, not yet accepted
        2: {S.RECEIVED},
        3: {S.NOT_RECEIVED, S.REFUSED},
        4: {S.IN_PROCESS, S.TRANSFERRING},
        5: {S.AWAITING_SUPPLEMENT},
        7: {S.WITHDRAWN},
        8: {S.STOPPED},
        9: {S.RESOLVED},
        10: {S.DELIVERED, S.FILED},
    }
    got: dict[int, set[str]] = {}
    for state, code in national.STATUS.items():
        got.setdefault(code, set()).add(state)
    assert got == expected


def test_a_portal_dossier_returned_for_changes_is_reported_as_not_yet_accepted(
    world,  # noqa: F811
    fake_national,
):
    status, answer, errors = receive_push(body())
    assert (status, errors) == (201, [])
    ref = answer["MaHoSoQG"]
    dossier = NationalDossier.objects.get(national_ref=ref).dossier
    services.dossier_precheck_return(
        dossier=dossier, actor=staff(dossier), reason="thiếu trang 2 của đơn"
    )
    assert drain() == 0
    item = fake_national.dossiers[ref]
    assert (item["TrangThaiHoSo"], item["MaHoSo"]) == (1, "")
    last = dossier.events.order_by("-seq").first()
    assert item["STT"] == last.seq == fake_national.progress[ref][-1]
    assert last.to_state == DossierState.RETURNED
    # pushed again by the portal while returned: the same dossier, with the same code
    again = receive_push(body())
    assert again[0] == 200 and again[1]["TrangThaiHoSo"] == 1


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (RatingValue.VERY_SATISFIED, 1),
        (RatingValue.SATISFIED, 2),
        (RatingValue.DISSATISFIED, 3),
    ],
)
def test_a_rating_reaches_the_portal_as_dongbodanhgia(fake_national, value, code):
    dossier = received_dossier()
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 25, 9))
    services.dossier_deliver(
        dossier=dossier, actor=staff(dossier), delivery_channel="counter", at=local(2026, 11, 26, 9)
    )
    rated_at = local(2026, 11, 27, 10, 15)
    services.dossier_rate(dossier=dossier, actor=staff(dossier), value=value, at=rated_at)
    assert drain() == 0
    rate_event = dossier.events.get(type="rate")
    assert fake_national.ratings[dossier.code] == {
        "MaHoSo": dossier.code,
        "MaHoSoQG": "",
        "STT": rate_event.seq,
        "MucDoHaiLong": code,
        "ThoiDiemDanhGia": national.stamp(rated_at),
    }
    assert national.stamp(rated_at) == "20261127101500"  # local time, yyyyMMddHHmmss
    assert fake_national.progress[dossier.code][-1] == rate_event.seq
    assert fake_national.violations == []
