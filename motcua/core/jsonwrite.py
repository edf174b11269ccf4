"""``json.dumps(obj, ensure_ascii=False, indent=2)``, with long lists of flat rows written by
json's C encoder.

With ``indent`` Python 3.11 encodes in pure Python, ≈ 12 µs a row of a report's late list (each
key and value through a generator chain). :func:`indented_json` writes each list of flat dicts
(no dict, list or tuple among their values) with json's own C encoder, one row at a time with
the separators the indented layout puts between its fields, each row once however many lists
hold it (a report's unit and child sections share their rows); the rest with ``json.dumps``
itself, and puts the lists where ``json.dumps`` left a placeholder. Anything else, or a
placeholder not found exactly once, is the plain ``json.dumps``. tests/core/test_jsonwrite.py
proves the two equal.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

# a row at indentation 0 in a list at indentation 0: "  {\n    key: value,\n    …\n  }"
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": "))
# values both encoders write alike with these settings (exact types: no subclass, no default())
_SCALARS = frozenset({str, int, float, bool, type(None)})


def indented_json(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)`` (for an acyclic ``obj``)."""
    mark = "\x00" + uuid.uuid4().hex
    lists: list[list[str]] = []  # each swapped list's rows, written at indentation 0
    rows: dict[int, str | None] = {}  # id(row) → the row written ("{" to "}"), None: not flat

    def row_text(row: Any) -> str | None:
        key = id(row)
        if key not in rows:
            flat = type(row) is dict and row and _SCALARS.issuperset(map(type, row.values()))
            rows[key] = "{\n    " + _ROW.encode(row)[1:-1] + "\n  }" if flat else None
        return rows[key]

    def swap(node: Any) -> Any:
        if type(node) is dict:
            return {k: swap(v) for k, v in node.items()}
        if type(node) is list:
            written = [row_text(r) for r in node] if node else [None]
            if None not in written:
                lists.append(written)
                return f"{mark}-{len(lists) - 1}"
            return [swap(v) for v in node]
        return node

    text = json.dumps(swap(obj), ensure_ascii=False, indent=2)
    if not lists:
        return text
    out, at = [], 0
    for i, items in enumerate(lists):
        placeholder = json.dumps(f"{mark}-{i}")
        pos = text.find(placeholder, at)
        if pos < 0 or text.count(placeholder) != 1:
            return json.dumps(obj, ensure_ascii=False, indent=2)
        line = end = text.rfind("\n", 0, pos) + 1
        while text[end] == " ":
            end += 1
        # the list closes at its opening line's indentation; an encoded string holds no
        # line break, so indenting is putting spaces after each one
        written = "[\n  " + ",\n  ".join(items) + "\n]"
        if end > line:
            written = written.replace("\n", "\n" + text[line:end])
        out += [text[at:pos], written]
        at = pos + len(placeholder)
    out.append(text[at:])
    return "".join(out)
