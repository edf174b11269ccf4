"""Procedure search ignores case and diacritics, wherever procedures are searched."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_text_q
from motcua.catalog.services import ProcedureSpec, procedures_upsert
from motcua.core.text import fold
from motcua.portal.selectors import procedure_search

from .factories import ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedures():
    return [
        ProcedureFactory(code="1.001", name="Cấp giấy phép xây dựng nhà ở riêng lẻ"),
        ProcedureFactory(code="1.002", name="Đăng ký kết hôn"),
        ProcedureFactory(code="2.003", name="Đăng ký kinh doanh hộ gia đình"),
    ]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("cap phep", ["1.001"]),
        ("CẤP PHÉP", ["1.001"]),
        ("đăng ký kết hôn", ["1.002"]),
        ("dang ky", ["1.002", "2.003"]),
        ("DANG KY KINH DOANH", ["2.003"]),
        ("1.00", ["1.001", "1.002"]),
        ("", ["1.001", "1.002", "2.003"]),
    ],
)
def test_text_query(procedures, query, codes):
    found = Procedure.objects.filter(procedure_text_q(query)).order_by("code")
    assert [p.code for p in found] == codes
    assert sorted(p.code for p in procedure_search(q=query)) == codes


def test_search_text_follows_saves(procedures):
    procedure = procedures[1]
    procedure.name = "Đăng ký khai sinh"
    procedure.save(update_fields=["name"])
    procedure.refresh_from_db()
    assert procedure.search_text == fold("1.002 Đăng ký khai sinh")
    assert list(Procedure.objects.filter(procedure_text_q("khai sinh"))) == [procedure]


def test_catalogue_import_keeps_search_text(procedures):
    field = procedures[0].field.name
    specs = [
        ProcedureSpec(
            code="1.002", name="Đổi tên: Đăng ký lại", field_name=field, processing_time=Decimal(5)
        ),
        ProcedureSpec(
            code="3.004",
            name="Thủ tục MỚI về đất đai",
            field_name=field,
            processing_time=Decimal(5),
        ),
    ]
    procedures_upsert(specs=specs)
    for procedure in Procedure.objects.all():
        assert procedure.search_text == fold(f"{procedure.code} {procedure.name}")
    assert [p.code for p in Procedure.objects.filter(procedure_text_q("dat dai"))] == ["3.004"]
    assert [p.code for p in Procedure.objects.filter(procedure_text_q("doi ten"))] == ["1.002"]
