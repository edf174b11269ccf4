"""core.cleaning and core.ids, the rules every interface uses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.cleaning import bad_character, check_text, printable, printable_deep
from motcua.core.ids import MAX_ID, parse_id

REFUSED = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]


@pytest.mark.parametrize("code", REFUSED)
def test_each_refused_character_is_named_with_its_position(code):
    with pytest.raises(ValidationError) as error:
        check_text(f"ab{chr(code)}", multiline=True)
    assert f"U+{code:04X}" in error.value.messages[0] and "3" in error.value.messages[0]


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_tab_and_line_breaks_only_in_multiline_text(char):
    assert check_text(f"a{char}b", multiline=True) == f"a{char}b"
    assert bad_character(f"a{char}b") == (2, f"U+{ord(char):04X}")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_text_without_controls_passes_unchanged(value):
    if "\ufffe" in value or "\uffff" in value:
        return
    assert check_text(value) == value


@given(st.text())
def test_printable_leaves_no_refused_character_and_keeps_the_length(value):
    cleaned = printable(value)
    assert bad_character(cleaned, multiline=True) is None
    assert len(cleaned) == len(value)


def test_printable_deep_cleans_nested_reports_and_keeps_other_values():
    report = {"unit": {"name": "A\x0bB"}, "rows": [("x\x00", 3)], "n": 1, "none": None}
    assert printable_deep(report) == {
        "unit": {"name": "A B"},
        "rows": [("x ", 3)],
        "n": 1,
        "none": None,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("¹", None),
        ("١٢", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (True, None),
        (5, 5),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected
