"""``json.dumps(obj, ensure_ascii=False, indent=2)``, with long lists of flat rows written in one
pass.

With ``indent`` Python 3.11 encodes in pure Python, ≈ 12 µs a row of a report's late list (each
key and value through a generator chain). :func:`indented_json` writes every list of flat
dicts (string keys; string, boolean, integer or null values) with ``str.join`` and the C
string encoder, the rest with ``json.dumps`` itself, and puts the lists where ``json.dumps``
left a placeholder. Anything else, or a placeholder not found exactly once, is the plain
``json.dumps``. tests/core/test_jsonwrite.py proves the two equal.
"""

from __future__ import annotations

import json
import uuid
from json.encoder import encode_basestring  # the encoder json.dumps uses with ensure_ascii=False
from typing import Any

_SCALARS = {str, bool, int, type(None)}
_PLAIN = {None: "null", True: "true", False: "false"}


def _flat_rows(value: Any) -> bool:
    return (
        type(value) is list
        and bool(value)
        and all(
            type(row) is dict
            and row
            and all(type(k) is str and type(v) in _SCALARS for k, v in row.items())
            for row in value
        )
    )


def _value(v: Any) -> str:
    if type(v) is str:
        return encode_basestring(v)
    if v is None or type(v) is bool:
        return _PLAIN[v]
    return int.__repr__(v)


def _write_rows(rows: list[dict[str, Any]], indent: str) -> str:
    inner, field = indent + "  ", indent + "    "
    parts = [
        inner
        + "{\n"
        + ",\n".join(f"{field}{encode_basestring(k)}: {_value(v)}" for k, v in row.items())
        + "\n"
        + inner
        + "}"
        for row in rows
    ]
    return "[\n" + ",\n".join(parts) + "\n" + indent + "]"


def indented_json(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``."""
    mark = "\x00" + uuid.uuid4().hex
    lists: list[list[dict[str, Any]]] = []

    def swap(node: Any) -> Any:
        if type(node) is dict:
            return {k: swap(v) for k, v in node.items()}
        if type(node) is list:
            if _flat_rows(node):
                lists.append(node)
                return f"{mark}-{len(lists) - 1}"
            return [swap(v) for v in node]
        return node

    swapped = swap(obj)
    text = json.dumps(swapped, ensure_ascii=False, indent=2)
    if not lists:
        return text
    out, at = [], 0
    for i, rows in enumerate(lists):
        placeholder = json.dumps(f"{mark}-{i}")
        pos = text.find(placeholder, at)
        if pos < 0 or text.count(placeholder) != 1:
            return json.dumps(obj, ensure_ascii=False, indent=2)
        line = end = text.rfind("\n", 0, pos) + 1
        while text[end] == " ":
            end += 1
        indent = text[line:end]  # the list closes at its opening line's indentation
        out += [text[at:pos], _write_rows(rows, indent)]
        at = pos + len(placeholder)
    out.append(text[at:])
    return "".join(out)
