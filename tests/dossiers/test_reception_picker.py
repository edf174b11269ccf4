"""The reception's procedure picker: matching by name or code without diacritics, grouped by
field and agency, limited to what the officer may receive (the permission table's reception
scope), and the plain select that works without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.choices import Role
from motcua.catalog.models import ProcedureAssignment
from motcua.dossiers.selectors import receivable_procedures, reception_choices
from motcua.dossiers.views import reception as reception_views
from tests.catalog.factories import FieldFactory
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, official

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    center = AgencyFactory(name="Trung tâm Phục vụ hành chính công")
    trade = AgencyFactory(name="Sở Công Thương", short_name="Sở Công Thương")
    commune_1 = AgencyFactory(name="UBND phường Một", short_name="Phường Một")
    commune_2 = AgencyFactory(name="UBND xã Hai", short_name="Xã Hai")
    commerce = FieldFactory(name="Lưu thông hàng hóa")
    building = FieldFactory(name="Hoạt động xây dựng")
    retail = ProcedureFactory(code="1.000101", name="Cấp Giấy phép bán lẻ rượu", field=commerce)
    house = ProcedureFactory(
        code="1.009999", name="Cấp phép xây dựng nhà ở riêng lẻ", field=building
    )
    old = ProcedureFactory(name="Cấp phép kinh doanh cũ", field=commerce, is_active=False)
    orphan = ProcedureFactory(name="Cấp phép chưa giao cơ quan nào", field=commerce)
    birth = ProcedureFactory(name="Đăng ký khai sinh", field=building)
    ProcedureAssignment.objects.create(procedure=retail, agency=trade)
    ProcedureAssignment.objects.create(procedure=old, agency=trade)
    ProcedureAssignment.objects.create(procedure=birth, agency=commune_1)
    for commune in (commune_1, commune_2):
        ProcedureAssignment.objects.create(procedure=house, agency=commune)
    return {
        "trade": trade,
        "commune_1": commune_1,
        "retail": retail,
        "house": house,
        "old": old,
        "orphan": orphan,
        "birth": birth,
        "counter": official(center, Role.COUNTER_OFFICER),
        "commune_official": official(commune_1, Role.COUNTER_OFFICER, Role.SPECIALIST, Role.LEADER),
        "specialist": official(trade, Role.SPECIALIST, Role.LEADER),
        "commune_specialist": official(commune_2, Role.SPECIALIST),
    }


def search(user, q: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dossiers:procedure_search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def options(html: str) -> dict[int, str]:
    """procedure id -> the agency id the option receives for ('' when the officer chooses)."""
    found = re.findall(r'role="option"[^>]*data-procedure="(\d+)" data-agency="(\d*)"', html)
    return {int(p): a for p, a in found}


def test_matches_name_without_diacritics_in_any_case(world):
    wanted = {world["retail"].pk, world["house"].pk}
    for q in ("cap phep", "CẤP PHÉP", "Cấp phép", "  cấp   PHEP "):
        assert set(options(search(world["counter"], q))) == wanted, q
    # In force and handled by an agency only: the old and the orphan procedures never show.
    assert set(options(search(world["counter"], "cap phep kinh doanh"))) == set()
    assert set(options(search(world["counter"], "dang ky khai sinh"))) == {world["birth"].pk}


def test_matches_the_code(world):
    assert set(options(search(world["counter"], "1.000101"))) == {world["retail"].pk}
    assert set(options(search(world["counter"], "1.0099"))) == {world["house"].pk}


def test_grouped_by_field_and_the_agency_received_for(world):
    html = search(world["counter"], "cap phep")
    labels = re.findall(r'class="picker-group-label" id="[^"]+">([^<]+)<', html)
    assert labels == [
        "Hoạt động xây dựng · nhiều cơ quan giải quyết",
        "Lưu thông hàng hóa · Sở Công Thương",
    ]
    # Each option is inside a group labelled by its header (ARIA), and names its own id.
    assert html.count('role="group" aria-labelledby="procedure-group-') == 2
    assert options(html) == {world["house"].pk: "", world["retail"].pk: str(world["trade"].pk)}


def test_limited_to_what_the_officer_may_receive(world):
    # The counter officer of the Center and the commune official both hold a counter role:
    # reception anywhere (Decree 118), the same procedures, each for the agency they default to.
    center = options(search(world["counter"], "cap phep"))
    commune = options(search(world["commune_official"], "cap phep"))
    assert set(center) == set(commune) == {world["retail"].pk, world["house"].pk}
    assert commune[world["house"].pk] == str(world["commune_1"].pk)  # the official's own commune
    assert center[world["house"].pk] == ""  # two communes handle it: the officer chooses
    # Officials without a counter role receive nothing, and are told why.
    for name in ("specialist", "commune_specialist"):
        html = search(world[name], "cap phep")
        assert options(html) == {}, name
        assert "không có vai trò cán bộ một cửa" in html, name  # no counter role
        assert not receivable_procedures(user=world[name]).exists()


def test_one_way_procedures_follow_the_filing_permission(world):
    filed = ProcedureFactory(name="Cấp phép thông báo một chiều", one_way=True)
    ProcedureAssignment.objects.create(procedure=filed, agency=world["trade"])
    assert filed.pk in options(search(world["counter"], "mot chieu"))
    assert filed.pk not in options(search(world["specialist"], "mot chieu"))


def test_results_are_capped_and_the_total_said(world, monkeypatch):
    monkeypatch.setattr(reception_views, "PICKER_LIMIT", 1)
    html = search(world["counter"], "cap phep")
    assert len(options(html)) == 1
    assert "Đang hiện 1 trên 2 thủ tục" in html  # 1 of 2 procedures shown
    groups, total = reception_choices(user=world["counter"], q="cap phep", limit=1)
    assert total == 2 and sum(len(g.choices) for g in groups) == 1


def test_the_plain_select_lists_only_receivable_procedures(world):
    client = Client()
    client.force_login(world["counter"])
    page = client.get(reverse("dossiers:new")).content.decode()
    start = page.index('<select name="procedure"')
    select = page[start : page.index("</select>", start)]
    listed = {int(v) for v in re.findall(r'<option value="(\d+)"', select)}
    assert listed == {world["retail"].pk, world["house"].pk, world["birth"].pk}
    # The picker is in the page, hidden until the script enhances it (no JavaScript: the select).
    assert re.search(r'id="procedure-picker" hidden', page)
    assert 'role="combobox"' in page and "procedure-picker.js" in page


def test_choosing_an_option_preselects_its_agency(world):
    client = Client()
    client.force_login(world["counter"])
    url = reverse("dossiers:procedure_info")
    chosen = str(world["commune_1"].pk)
    html = client.get(url, {"procedure": world["house"].pk, "agency": chosen}).content.decode()
    assert re.search(rf'<option value="{chosen}" selected>', html)
    # An agency that does not handle the procedure is ignored, not an error.
    other = client.get(url, {"procedure": world["house"].pk, "agency": world["trade"].pk})
    assert other.status_code == 200
    assert not re.search(r'<option value="\d+" selected>', other.content.decode())
