"""POST /api/v1/national/dossiers: the national portal pushes an online dossier (§3)."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import Permission

from motcua.accounts.tokens import api_token_create
from motcua.catalog.choices import OnlineClass
from motcua.dossiers.choices import DossierState
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.integrations.models import NationalDossier, OutboxMessage
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    staff,
)
from tests.integrations.conftest import drain

pytestmark = pytest.mark.django_db

URL = "/api/v1/national/dossiers"
PDF = b"%PDF-1.4\n% fake but well-formed enough\n"


@pytest.fixture
def world(media):
    agency = AgencyFactory(code="000.00.02.H23")
    procedure = ProcedureFactory(code="1.001234", online_class=OnlineClass.FULL)
    RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị", mandatory=True)
    offline = ProcedureFactory(code="1.009999", online_class=OnlineClass.NONE)
    system = UserFactory(username="dvcqg")
    system.user_permissions.add(Permission.objects.get(codename="add_nationaldossier"))
    _token, key = api_token_create(user=system, name="DVCQG")
    return {"agency": agency, "procedure": procedure, "offline": offline, "key": key}


def body(**changes):
    data = {
        "MaHoSoQG": "G22.99-251003-000123",
        "MaTTHC": "1.001234",
        "MaCoQuan": "000.00.02.H23",
        "ChuHoSo": "Nguyễn Văn An",
        "LoaiDoiTuong": 1,
        "MaDoiTuong": "001090012345",
        "SoDienThoai": "0912345678",
        "Email": "an@example.vn",
        "DiaChi": "Số 1 đường Lê Lợi",
        "TrichYeuHoSo": "Cấp giấy phép",
        "NgayNopHoSo": "20251003143000",
        "HinhThucTraKQ": 0,
        "TaiLieuNop": [
            {
                "TenGiayTo": "Đơn đề nghị",
                "TenTep": "don.pdf",
                "NoiDungBase64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    data.update(changes)
    return data


def push(client, key, data):
    return client.post(
        URL, data, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


def counts():
    return tuple(
        m.objects.count()
        for m in (Dossier, DossierEvent, DossierFile, NationalDossier, OutboxMessage)
    )


def test_a_push_creates_an_online_dossier_waiting_for_precheck(client, world):
    response = push(client, world["key"], body())
    assert response.status_code == 201, response.content
    assert response.json() == {"MaHoSo": "", "MaHoSoQG": "G22.99-251003-000123", "TrangThaiHoSo": 1}
    dossier = NationalDossier.objects.get(national_ref="G22.99-251003-000123").dossier
    assert (dossier.state, dossier.channel, dossier.agency_id) == (
        DossierState.SUBMITTED,
        "online",
        world["agency"].pk,
    )
    assert dossier.due_at is None and dossier.received_at is None  # deadline starts at acceptance
    assert (dossier.applicant_name, dossier.applicant_phone) == ("Nguyễn Văn An", "0912345678")
    stored = dossier.files.get()
    assert stored.original_name == "don.pdf" and stored.file.read() == PDF
    assert stored.document.name == "Đơn đề nghị"
    assert list(dossier.events.values_list("type", flat=True)) == ["submit", "attach"]


def test_the_same_push_again_returns_the_same_dossier(client, world):
    first = push(client, world["key"], body())
    before = counts()
    again = push(client, world["key"], body(ChuHoSo="Người khác"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["MaHoSoQG"] == first.json()["MaHoSoQG"]
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"MaTTHC": "9.999999"}, "MaTTHC"),
        ({"MaTTHC": "1.009999"}, "MaTTHC"),  # not offered online
        ({"MaCoQuan": "000.00.77.H23"}, "MaCoQuan"),
        ({"MaDoiTuong": "12345"}, "MaDoiTuong"),
        ({"LoaiDoiTuong": 2, "MaDoiTuong": "001090012345"}, "MaDoiTuong"),  # not a tax code
        ({"LoaiDoiTuong": 7}, "LoaiDoiTuong"),
        ({"SoDienThoai": "12345"}, "SoDienThoai"),
        ({"Email": "not-an-address"}, "Email"),
        ({"ChuHoSo": ""}, "ChuHoSo"),
        ({"MaHoSoQG": ""}, "MaHoSoQG"),
        ({"NgayNopHoSo": "03/10/2025"}, "NgayNopHoSo"),
        ({"HinhThucTraKQ": 1}, "HinhThucTraKQ"),  # this procedure has no postal return
        (
            {"TaiLieuNop": [{"TenTep": "scan.pdf", "NoiDungBase64": "TVqQAAM="}]},  # an .exe
            "TaiLieuNop.0.NoiDungBase64",
        ),
        (
            {"TaiLieuNop": [{"TenTep": "a.pdf", "NoiDungBase64": "@@not base64@@"}]},
            "TaiLieuNop.0.NoiDungBase64",
        ),
        (
            {
                "TaiLieuNop": [
                    {"TenTep": "a.pdf", "NoiDungBase64": base64.b64encode(b"GIF89a").decode()}
                ]
            },
            "TaiLieuNop.0.NoiDungBase64",
        ),
    ],
)
def test_each_bad_field_is_422_naming_it_and_writes_nothing(client, world, changes, field):
    before = counts()
    response = push(client, world["key"], body(**changes))
    assert response.status_code == 422, response.content
    fields = [e["field"] for e in response.json()["errors"]]
    assert field in fields
    assert field in response.json()["detail"]
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1000
    big = base64.b64encode(PDF + b"x" * 2000).decode()
    before = counts()
    response = push(
        client, world["key"], body(TaiLieuNop=[{"TenTep": "a.pdf", "NoiDungBase64": big}])
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "TaiLieuNop.0.NoiDungBase64"
    assert counts() == before


def test_every_error_is_reported_at_once(client, world):
    response = push(client, world["key"], body(MaTTHC="", SoDienThoai="1", Email="x"))
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"MaTTHC", "SoDienThoai", "Email"} <= fields


def test_an_account_without_the_permission_is_refused(client, world):
    _token, key = api_token_create(user=UserFactory(), name="other")
    before = counts()
    assert push(client, key, body()).status_code == 403
    assert push(client, "mc_wrong", body()).status_code == 401
    assert counts() == before


def test_the_pushed_dossier_is_reported_back_under_its_national_reference(
    client, world, fake_national
):
    from motcua.dossiers import services

    push(client, world["key"], body())
    dossier = NationalDossier.objects.get().dossier
    services.dossier_precheck_accept(dossier=dossier, actor=staff(dossier))
    assert drain() == 0
    item = fake_national.dossiers["G22.99-251003-000123"]
    dossier.refresh_from_db()
    assert (item["MaHoSo"], item["TrangThaiHoSo"], item["KenhThucHien"]) == (dossier.code, 2, 2)
    assert fake_national.progress["G22.99-251003-000123"] == [1, 2, 3]
    assert fake_national.violations == []


def test_bad_json_is_422(client, world):
    response = client.post(
        URL,
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {world['key']}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
