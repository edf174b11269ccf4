"""``indented_json`` (core/jsonwrite.py) writes lists of flat rows in one pass: equal to
``json.dumps(obj, ensure_ascii=False, indent=2)`` for any JSON-like value, such lists at any
depth, strings of any characters (placeholder-like ones included)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.jsonwrite import indented_json

texts = st.text() | st.sampled_from(["", "\x00", '"\\u0000', 'Hồ sơ "trễ"\n\t', "\u2028"])
scalars = st.none() | st.booleans() | st.integers() | texts | st.floats()
keys = texts | st.integers() | st.booleans() | st.none() | st.floats()
flat_row = st.dictionaries(keys, scalars, max_size=6)
rows = st.lists(flat_row, max_size=5)
values = st.recursive(
    scalars | rows,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=30,
)


@settings(max_examples=500)
@given(values)
def test_indented_json_is_json_dumps(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_rows_shared_by_lists_at_other_depths():
    row = {"a": "x", "b": None, "c": True, "d": 1.5}
    value = {"x": [row, row], "y": [{"z": [row, {"k": [row]}]}], "e": [], "f": [{}]}
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_report_like_value():
    late = [
        {"code": f"H{i}", "due_at": "2025-12-01T08:00:00+07:00", "apology": False} for i in range(3)
    ]
    report = {"late_list": late, "children": [{"late_list": late, "x": [1, 2]}, {"late_list": []}]}
    assert indented_json(report) == json.dumps(report, ensure_ascii=False, indent=2)
    assert indented_json(late) == json.dumps(late, ensure_ascii=False, indent=2)
