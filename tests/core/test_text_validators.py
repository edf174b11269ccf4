"""Folding for search (core.text) and the ID / phone validators (core.validators)."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, search_words
from motcua.core.validators import (
    IdKind,
    classify_id_number,
    normalize_id_number,
    normalize_phone,
    tax_check_digit,
)
from motcua.demo import names


@pytest.mark.parametrize(
    "typed", ["nguyen van", "NGUYỄN VĂN", "Nguyen Van", "  nguyễn   văn ", "NGUYEN VAN"]
)
def test_fold_makes_every_spelling_of_a_name_equal(typed):
    assert fold(typed) == fold("Nguyễn Văn") == "nguyen van"


def test_fold_maps_d_with_stroke_both_cases():
    assert fold("Đăng ký kết hôn") == "dang ky ket hon"
    assert fold("ĐỖ ĐỨC") == fold("do duc") == "do duc"


def test_search_words_are_folded_and_limited():
    assert search_words("Cấp  PHÉP xây dựng", limit=2) == ["cap", "phep"]
    assert search_words(None) == []


@given(st.text())
def test_fold_is_idempotent_and_lower(text):
    once = fold(text)
    assert fold(once) == once
    assert once == " ".join(once.split())


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệ ", max_size=40))
def test_fold_of_upper_equals_fold_of_lower(text):
    assert fold(text.upper()) == fold(text)


@pytest.mark.parametrize(
    ("value", "kind", "normalised"),
    [
        ("001090000001", IdKind.CCCD, "001090000001"),
        (" 0010 9000 0001 ", IdKind.CCCD, "001090000001"),
        ("123456789", IdKind.CMND, "123456789"),
        ("0100109106", IdKind.TAX, "0100109106"),
        ("0100109106-001", IdKind.TAX, "0100109106-001"),
        ("0100109106001", IdKind.TAX, "0100109106-001"),
        ("c1234567", IdKind.PASSPORT, "C1234567"),
        ("AB123456", IdKind.PASSPORT, "AB123456"),
    ],
)
def test_valid_id_numbers(value, kind, normalised):
    assert classify_id_number(value) == (kind, normalised)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("12345", "id_length"),
        ("0100109107", "tax_check_digit"),
        ("１２３４５６７８９０１２", "id_format"),  # full-width digits are not ASCII digits
        ("¹²³", "id_format"),
        ("12\x0034", "id_format"),
        ("x" * 41, "max_length"),
    ],
)
def test_invalid_id_numbers_say_why(value, code):
    with pytest.raises(ValidationError) as raised:
        classify_id_number(value)
    assert raised.value.code == code


def test_id_kind_restriction():
    assert normalize_id_number("001090000001", kinds=(IdKind.CCCD, IdKind.TAX)) == "001090000001"
    with pytest.raises(ValidationError) as raised:
        normalize_id_number("123456789", kinds=(IdKind.CCCD, IdKind.TAX))
    assert raised.value.code == "id_kind"


def test_tax_check_digit_of_published_codes():
    # Codes printed on public invoices of two state companies.
    assert tax_check_digit("010010910") == 6
    assert tax_check_digit("010010007") == 9


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("0912345678", "0912345678"),
        ("091 234 5678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(0299) 3812.345", "02993812345"),
    ],
)
def test_valid_phones(value, normalised):
    assert normalize_phone(value) == normalised


@pytest.mark.parametrize("value", ["", "0123", "0112345678", "09123456789", "091234567a", "٠٩١"])
def test_invalid_phones(value):
    with pytest.raises(ValidationError):
        normalize_phone(value)


def test_demo_numbers_are_valid():
    rng = random.Random(7)
    for _ in range(500):
        assert classify_id_number(names.tax_number(rng))[0] is IdKind.TAX
        assert classify_id_number(names.citizen_id(rng))[0] is IdKind.CCCD
        assert normalize_phone(names.phone(rng))
