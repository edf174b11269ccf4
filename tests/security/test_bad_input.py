# ruff: noqa: F811 - fixtures imported from other test modules
"""Every bad input gets a clear 4xx naming what and where, never a 500, and writes nothing.

Runs on SQLite and on PostgreSQL (which cannot store NUL at all: before these checks a NUL
reached the database and failed there with a 500).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier
from tests.dossiers.test_api_dossiers import (  # noqa: F401
    BASE,
    Api,
    api,
    assert_refused,
    official_a,
    reception,
)
from tests.dossiers.test_import_dossiers import catalogue  # noqa: F401
from tests.dossiers.test_views import world  # noqa: F401

pytestmark = pytest.mark.django_db
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are matched by their English source text (one test checks the Vietnamese)."""


# -- NUL in the address and query parameters -------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/dossiers/", "/api/v1/reports/"])
def test_nul_in_an_api_query_parameter_is_a_json_400(api, path):
    response = api.client.get(path, {"q": "a\x00b", "unit": "x"}, headers=api.headers)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "'q'" in response.json()["detail"] and "NUL" in response.json()["detail"]


def test_nul_in_a_query_parameter_name_is_refused(api):
    response = api.client.get(BASE + "?a%00b=1", headers=api.headers)
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_nul_in_a_page_query_parameter_is_a_plain_400(client, world):
    client.force_login(world["officer_a"])
    for url in (reverse("dossiers:list"), reverse("portal:procedures"), reverse("portal:lookup")):
        response = client.get(url, {"q": "x\x00", "code": "\x00"})
        assert response.status_code == 400, url
        assert "NUL" in response.content.decode()


def test_nul_in_the_dossier_address_is_refused(api):
    response = api.client.get(BASE + "A%00B", headers=api.headers)
    assert response.status_code == 400


def test_nul_in_a_posted_form_field_is_refused_before_any_view(client, world):
    client.force_login(world["officer_a"])
    response = client.post(reverse("portal:lookup"), {"code": "X\x00", "id_number": "1"})
    assert response.status_code == 400
    assert "'code'" in response.content.decode()


# -- control characters in API bodies and forms ----------------------------------------------


@pytest.mark.parametrize("char", CONTROLS)
def test_every_control_character_in_a_name_is_refused_by_the_api(api, char):
    response = api.post("", reception(applicant_name=f"Nguyễn{char}Văn"))
    assert_refused(response, 422, "applicant_name", f"U+{ord(char):04X}", "position 7")
    assert Dossier.objects.count() == 0


def test_notes_keep_line_breaks_and_tabs_but_refuse_other_controls(api):
    assert api.post("", reception(note="dòng 1\r\n\tdòng 2")).status_code == 201
    response = api.post("", reception(note="ghi chú\x0b"))
    assert_refused(response, 422, "note", "U+000B")
    response = api.post("", reception(applicant_name="tab\tin a name"))
    assert_refused(response, 422, "applicant_name", "U+0009")
    assert Dossier.objects.get().note == "dòng 1\r\n\tdòng 2"


def test_a_lone_surrogate_is_refused(api):
    raw = json.dumps(reception()).replace('"Nguy', '"\\ud800Nguy')
    response = api.post("", raw=raw)
    assert_refused(response, 422, "applicant_name")


def test_action_bodies_refuse_control_characters(api):
    code = api.post("", reception()).json()["code"]
    response = api.post(f"{code}/actions/refuse", {"reason": "lý do\x00"})
    assert_refused(response, 422, "reason", "NUL")
    assert Dossier.objects.get(code=code).state == "received"


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\x85"])
def test_reception_form_shows_the_control_character_error_at_the_field(
    client,
    world,
    char,
):
    client.force_login(world["officer_a"])
    data = {
        "procedure": world["procedure"].pk,
        "agency": world["a"].pk,
        "channel": "direct",
        "applicant_kind": "person",
        "applicant_name": f"Đỗ{char}Hoa",
        "delivery_channel": "counter",
        "note": f"ghi{char}chú",
    }
    response = client.post(reverse("dossiers:new"), data)
    if char == "\x00":  # refused before the form by the guard
        assert response.status_code == 400
    else:
        assert response.status_code == 400
        form = response.context["form"]
        assert f"U+{ord(char):04X}" in form.errors["applicant_name"][0]
        assert f"U+{ord(char):04X}" in form.errors["note"][0]
    assert not Dossier.objects.filter(applicant_name__startswith="Đỗ").exists()


def test_the_message_is_vietnamese_by_default(api, settings):
    settings.LANGUAGE_CODE = "vi"
    response = api.post("", reception(applicant_name="A\x0bB"))
    assert response.status_code == 422
    assert "ký tự điều khiển U+000B" in response.json()["detail"]


# -- odd digits, huge ids and offsets ---------------------------------------------------------


@pytest.mark.parametrize(
    "ref", ["¹", "١٢", "²³", "99999999999999999999", "9223372036854775808", "0", "-1", "1e3"]
)
def test_odd_dossier_ids_are_404_in_the_api(api, ref):
    assert_refused(api.get(ref), 404)


@pytest.mark.parametrize("ref", ["id-¹", "id-99999999999999999999", "id-", "id-١"])
def test_odd_dossier_ids_are_404_in_the_pages(client, world, ref):
    client.force_login(world["officer_a"])
    assert client.get(reverse("dossiers:detail", args=[ref])).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"offset": "9223372036854775808"}, "offset"),
        ({"offset": "1000000001"}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "0"}, "limit"),
        ({"limit": "99999999999999999999999"}, "limit"),
        ({"offset": "¹"}, "offset"),
    ],
)
def test_out_of_range_paging_is_422(api, params, field):
    assert_refused(api.get("", **params), 422, field)


def test_the_largest_offset_is_answered(api):
    response = api.get("", offset="1000000000")
    assert response.status_code == 200 and response.json()["items"] == []


def test_portal_field_filter_ignores_odd_numbers(client):
    for value in ("¹", "99999999999999999999", "-3", "x"):
        assert client.get(reverse("portal:procedures"), {"field": value}).status_code == 200


# -- body size --------------------------------------------------------------------------------


def test_an_oversized_api_body_is_a_json_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = reception(note="x" * 5000)
    response = api.post("", body)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "1000" in response.json()["detail"]
    assert Dossier.objects.count() == 0


def test_a_5_mb_body_is_refused_with_the_default_limit(api):
    response = api.post("", reception(note="x" * 5_000_000))
    assert response.status_code == 413 and "detail" in response.json()


def test_an_oversized_form_post_is_a_413(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(world["officer_a"])
    response = client.post(reverse("dossiers:new"), {"note": "x" * 5000})
    assert response.status_code == 413
    assert not response["Content-Type"].startswith("text/html")


def test_malformed_json_is_a_4xx_not_a_500(api):
    response = api.post("", raw='{"applicant_name": ')
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


# -- ID numbers and phones where they are entered ----------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "word"),
    [
        ({"applicant_id_number": "12345"}, "applicant_id_number", "5 digits"),
        ({"applicant_id_number": "0123456780"}, "applicant_id_number", "check digit"),
        ({"applicant_id_number": "ÅÆØ12345"}, "applicant_id_number", "neither"),
        ({"applicant_phone": "12345"}, "applicant_phone", "not a Vietnamese number"),
        ({"applicant_phone": "0412345678"}, "applicant_phone", "not a Vietnamese number"),
    ],
)
def test_api_checks_id_numbers_and_phones(api, fields, field, word):
    assert_refused(api.post("", reception(**fields)), 422, field, word)
    assert Dossier.objects.count() == 0


def test_api_stores_normalised_id_numbers_and_phones(api):
    body = reception(applicant_id_number="001 234 567 890", applicant_phone="+84 912.345.678")
    assert api.post("", body).status_code == 201
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_number, dossier.applicant_phone) == ("001234567890", "0912345678")


def test_reception_form_checks_phone_and_id_number(client, world, settings):
    client.force_login(world["officer_a"])
    data = {
        "procedure": world["procedure"].pk,
        "agency": world["a"].pk,
        "channel": "direct",
        "applicant_kind": "person",
        "applicant_name": "Đỗ Thị Hoa",
        "applicant_id_number": "12345678",
        "applicant_phone": "0123",
        "delivery_channel": "counter",
    }
    settings.LANGUAGE_CODE = "vi"
    response = client.post(reverse("dossiers:new"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Số điện thoại 0123" in errors["applicant_phone"][0]
    assert "12345678" in errors["applicant_id_number"][0]
    assert not Dossier.objects.filter(applicant_name="Đỗ Thị Hoa").exists()


def test_portal_lookup_reads_id_numbers_as_written_on_the_receipt(client):
    from tests.dossiers.factories import received_dossier

    dossier = received_dossier(applicant_id_number="001090000001")
    data = {"code": dossier.code, "id_number": " 001 090 000 001 "}
    response = client.post(reverse("portal:lookup"), data)
    assert response.status_code == 200 and 'id="lookup-result"' in response.content.decode()


def test_session_client_posts_are_checked_too(official_a):
    client = Client()
    client.force_login(official_a)
    response = client.post(
        BASE, json.dumps(reception(applicant_name="x\x00")), content_type="application/json"
    )
    assert response.status_code == 422
