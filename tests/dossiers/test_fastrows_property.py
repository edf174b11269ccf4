"""``fastrows.parse_rows`` gives exactly what ``rows.parse_row`` gives, on any row.

Pure functions: the catalogue is built in memory, no database is touched, so this runs the
same on SQLite and PostgreSQL. Rows are drawn from cells that are valid, nearly valid (an
unknown code, a date in the wrong order, a bad choice) and arbitrary text, so both the fast
path and its fall-back to ``parse_row`` are exercised; the parsed rows must be equal field by
field (instants compared with their offsets) and the errors equal message for message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from motcua.dossiers.interchange.fastrows import _FastRows, parse_rows
from motcua.dossiers.interchange.rows import (
    CHANNELS,
    COLUMNS,
    DELIVERY_CHANNELS,
    OUTCOMES,
    Catalogue,
    ParsedRow,
    ProcedureInfo,
    parse_row,
)

# Enough to find a difference, small enough for CI (about 4 s on one core).
EXAMPLES = 1500

AGENCIES = {"A01": 1, "A02": 2, "A03": 3}
PROCEDURES = {
    "P.1": ProcedureInfo(10, False, Decimal("5"), "working_days", "full"),
    "P.2": ProcedureInfo(11, True, None, "working_days", ""),
    "P.3": ProcedureInfo(12, False, None, "working_hours", "partial"),  # time only by agency
    "P.4": ProcedureInfo(13, False, Decimal("0.5"), "working_days", ""),
}
ASSIGNMENTS = {(12, 2): (Decimal("8"), "level3"), (10, 3): (None, "level4"), (13, 1): (None, "")}


def catalogue() -> Catalogue:
    return Catalogue(
        agencies=dict(AGENCIES),
        agency_codes={v: k for k, v in AGENCIES.items()},
        procedures=dict(PROCEDURES),
        assignments=dict(ASSIGNMENTS),
    )


_junk = st.text(max_size=12)
_base = dt.datetime(2025, 3, 3, 8, 0)


@st.composite
def instants(draw) -> str:
    """ISO instants in the forms the format allows (offset, Z, local, date only), a few days
    apart so that every "before"/"after" check goes both ways, and some that are not."""
    moment = _base + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 12)))
    form = draw(st.sampled_from(["local", "offset", "utc", "z", "date", "space", "junk"]))
    if form == "local":
        return moment.isoformat()
    if form == "offset":
        return moment.isoformat() + draw(st.sampled_from(["+07:00", "+00:00", "-05:30"]))
    if form == "utc":
        return (moment - dt.timedelta(hours=7)).isoformat() + "+00:00"
    if form == "z":
        return moment.isoformat(timespec="seconds") + "Z"
    if form == "date":
        return moment.date().isoformat()
    if form == "space":
        return moment.isoformat(sep=" ", timespec="minutes")
    return draw(st.sampled_from(["2025-02-30", "tomorrow", "2025-13-01T00:00", "  ", "-"]))


def cell(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(valid, valid, valid, st.just(""), _junk)


COLUMN_VALUES = {
    "code": cell(
        st.one_of(
            st.text(min_size=1, max_size=20),
            st.text(min_size=63, max_size=66, alphabet="ab"),
        )
    ),
    "agency_code": cell(st.sampled_from([*AGENCIES, "A99"])),
    "receiving_unit_code": cell(st.sampled_from([*AGENCIES, "Z00"])),
    "procedure_code": cell(st.sampled_from([*PROCEDURES, "P.404"])),
    "channel": cell(st.sampled_from([*CHANNELS, "fax"])),
    "online_class": cell(
        st.sampled_from(["none", "level2", "level3", "level4", "partial", "full"])
    ),
    "received_at": cell(instants()),
    "due_at": cell(instants()),
    "outcome": cell(st.sampled_from([*OUTCOMES, "lost"])),
    "closed_at": cell(instants()),
    "supplement_requested_at": cell(instants()),
    "supplement_received_at": cell(instants()),
    "delivered_at": cell(instants()),
    "delivery_channel": cell(st.sampled_from([*DELIVERY_CHANNELS, "pigeon"])),
}


def _form(draw, moment: dt.datetime) -> str:
    """One valid ISO form of a local instant (the date-only form means midnight)."""
    form = draw(st.sampled_from(["local", "offset", "z", "space"]))
    if form == "local":
        return moment.isoformat()
    if form == "offset":
        return moment.isoformat() + "+07:00"
    if form == "z":
        return (moment - dt.timedelta(hours=7)).isoformat() + "Z"
    return moment.isoformat(sep=" ")


@st.composite
def coherent_rows(draw) -> dict[str, str]:
    """A row that is valid when the catalogue allows it: instants in order, outcome and
    columns that agree (one-way procedures, a missing processing time... still fail)."""
    minutes = sorted(draw(st.lists(st.integers(0, 60 * 24 * 20), min_size=6, max_size=6)))
    received, requested, resumed, closed, delivered, due = (
        _base + dt.timedelta(minutes=m) for m in minutes
    )
    channel = draw(st.sampled_from(CHANNELS))
    outcome = draw(st.sampled_from(OUTCOMES))
    row = {
        "agency_code": draw(st.sampled_from(list(AGENCIES))),
        "procedure_code": draw(st.sampled_from(list(PROCEDURES))),
        "channel": channel,
        "received_at": _form(draw, received),
        "outcome": outcome,
    }
    if draw(st.booleans()):
        row["code"] = draw(st.text(min_size=1, max_size=20))
    if draw(st.booleans()):
        row["receiving_unit_code"] = draw(st.sampled_from(list(AGENCIES)))
    if channel == "online" and draw(st.booleans()):
        row["online_class"] = draw(st.sampled_from(["level2", "level3", "level4", "partial"]))
    elif channel != "online" and draw(st.booleans()):
        row["online_class"] = "none"
    if draw(st.booleans()):
        row["due_at"] = _form(draw, due)
    if outcome != "pending":
        row["closed_at"] = _form(draw, closed)
    if draw(st.booleans()):
        row["supplement_requested_at"] = _form(draw, requested)
        if draw(st.booleans()):
            row["supplement_received_at"] = _form(draw, resumed)
    if outcome == "resolved" and draw(st.booleans()):
        row["delivered_at"] = _form(draw, delivered)
        row["delivery_channel"] = draw(st.sampled_from(DELIVERY_CHANNELS))
    return row


@st.composite
def rows(draw) -> dict[str, str]:
    """A row as ``read_csv`` gives it: a coherent row with none, one or a few cells changed
    to any value of their column (or dropped), or a row of random cells."""
    if draw(st.integers(0, 9)) == 0:
        present = draw(st.sets(st.sampled_from(COLUMNS), min_size=3))
        return {name: draw(COLUMN_VALUES[name]) for name in COLUMNS if name in present}
    row = draw(coherent_rows())
    for name in draw(st.lists(st.sampled_from(COLUMNS), max_size=3)):
        if draw(st.integers(0, 4)) == 0:
            row.pop(name, None)
        else:
            row[name] = draw(COLUMN_VALUES[name])
    return row


def _exact(row: ParsedRow | None) -> object:
    """The parsed row with every value and its type (an instant with its offset)."""
    if row is None:
        return None
    out = {}
    for name, value in vars(row).items():
        if isinstance(value, dt.datetime):
            value = (value.isoformat(), value.utcoffset())
        elif isinstance(value, str):
            value = str.__str__(value)
        out[name] = value
    return out


def _errors(errors) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in errors]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=rows(), line=st.integers(2, 10**6))
def test_fast_rows_equal_parse_row(row, line):
    cat = catalogue()
    expected, expected_errors = parse_row(line, row, cat)
    parsed, errors = parse_rows([(line, row)], cat)
    assert [_exact(p) for p in parsed] == ([_exact(expected)] if expected else [])
    assert _errors(errors) == _errors(expected_errors)
    # The fast path alone: it accepts only rows parse_row accepts, and gives the same row.
    fast = _FastRows(cat).parse(line, row)
    event("fast path" if fast is not None else "parse_row")
    event("valid" if expected is not None else "invalid")
    if fast is not None:
        assert _exact(fast) == _exact(expected)
    if expected_errors:
        assert fast is None


@settings(max_examples=EXAMPLES // 4, deadline=None)
@given(batch=st.lists(rows(), min_size=1, max_size=12))
def test_fast_rows_keep_order_and_errors_of_a_whole_file(batch):
    cat = catalogue()
    numbered = [(i + 2, row) for i, row in enumerate(batch)]
    expected_rows, expected_errors = [], []
    for line, row in numbered:
        parsed, errors = parse_row(line, row, cat)
        expected_errors.extend(errors)
        if parsed is not None:
            expected_rows.append(parsed)
    parsed, errors = parse_rows(numbered, cat)
    assert [_exact(p) for p in parsed] == [_exact(p) for p in expected_rows]
    assert _errors(errors) == _errors(expected_errors)


def test_the_generated_rows_reach_both_paths():
    """The strategy is not vacuous: valid rows taken fast and invalid ones exist."""
    cat = catalogue()
    valid = {
        "agency_code": "A01",
        "procedure_code": "P.1",
        "channel": "online",
        "received_at": "2025-03-03T08:00",
        "outcome": "resolved",
        "closed_at": "2025-03-05",
        "delivered_at": "2025-03-06T09:00+07:00",
    }
    assert _FastRows(cat).parse(2, valid) is not None
    parsed, errors = parse_rows([(2, valid), (3, {**valid, "closed_at": "2025-03-01"})], cat)
    assert len(parsed) == 1 and parsed[0].online_class == "full"
    assert _errors(errors) == [(3, "closed_at", "before received_at")]
