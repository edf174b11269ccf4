"""``pglines`` writes what the generic path writes: the same dossier line, the same event payload.

The generic path is ``writer.event_payload`` (the dict the ORM / ``bulk_create`` path stores)
and ``bulkwrite.copy_statement`` (the COPY text of any rows). The lines are read back here as
PostgreSQL reads COPY text (backslash escapes), and the payload parsed as JSON: it must equal the
ORM's payload value for value, key order included, for any code, source and cell text (tabs,
quotes, backslashes, newlines, control and non-BMP characters). No database is needed, so this
runs on SQLite too; the last test (PostgreSQL only) writes such a file and reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.audit import first_event_hash
from motcua.dossiers.interchange.bulkwrite import copy_statement
from motcua.dossiers.interchange.importer import Plan
from motcua.dossiers.interchange.pglines import DOSSIER_FIELDS, NewDossierLines
from motcua.dossiers.interchange.rows import COLUMNS, ParsedRow, ProcedureInfo
from motcua.dossiers.interchange.writer import event_payload
from motcua.dossiers.models import Dossier, DossierEvent

EXAMPLES = 600

# Text that COPY and JSON must carry exactly: the characters each format escapes, others that
# look like escapes, control and non-BMP characters (no NUL: PostgreSQL text cannot hold it).
_tricky = st.sampled_from(
    ["\t", "\n", "\r", "\\", "\\N", "\\.", '"', "'", "\\t", "\x01", "\x1f", "\x7f", "\u2028",
     "😀", "𝔘", "ồ", ",", "{", "}", ": "]
)  # fmt: skip
_char = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.lists(st.one_of(_tricky, _char, st.text(_char, max_size=4)), max_size=8).map("".join)

_ZONES = [dt.UTC, LOCAL_TZ, dt.timezone(dt.timedelta(hours=-5, minutes=-30))]
instants = st.builds(
    lambda minutes, micro, zone: (
        dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes, microseconds=micro)
    ).astimezone(zone),
    st.integers(0, 60 * 24 * 800),
    st.sampled_from([0, 0, 1, 500_000]),
    st.sampled_from(_ZONES),
)
maybe = st.one_of(st.none(), instants)
amounts = st.one_of(
    st.none(), st.sampled_from([Decimal("5"), Decimal("0.5"), Decimal("12.25"), Decimal("1E+1")])
)


@st.composite
def plans(draw) -> tuple[Plan, int, str]:
    values = {
        "agency_id": draw(st.integers(1, 10**6)),
        "receiving_unit_id": draw(st.one_of(st.none(), st.integers(1, 10**6))),
        "procedure_id": draw(st.integers(1, 10**6)),
        "channel": draw(st.sampled_from(["direct", "online", "postal"])),
        "online_class": draw(st.sampled_from(["none", "full", "partial", "level3"])),
        "received_at": draw(instants),
        "due_at": draw(maybe),
        "state": draw(st.sampled_from(["in_process", "resolved", "delivered", "filed"])),
        "outcome": draw(st.sampled_from(["", "resolved", "refused", "filed"])),
        "closed_at": draw(maybe),
        "paused_at": draw(maybe),
        "delivered_at": draw(maybe),
        "delivery_channel": draw(st.sampled_from(["", "counter", "postal"])),
        "processing_time": draw(amounts),
        "time_unit": draw(st.sampled_from(["working_days", "working_hours"])),
        "one_way": draw(st.booleans()),
    }
    raw = {name: draw(st.one_of(st.just(""), texts)) for name in COLUMNS}
    line = draw(st.integers(2, 10**7))
    row = ParsedRow(
        line=line,
        raw=raw,
        code=raw["code"],
        agency_id=values["agency_id"],
        receiving_unit_id=values["receiving_unit_id"],
        procedure=ProcedureInfo(values["procedure_id"], values["one_way"], None, "", ""),
        channel=values["channel"],
        online_class=values["online_class"],
        received_at=values["received_at"],
        due_at=values["due_at"],
        outcome=values["outcome"],
        closed_at=values["closed_at"],
        supplement_requested_at=None,
        supplement_received_at=None,
        delivered_at=values["delivered_at"],
        delivery_channel=values["delivery_channel"],
        processing_time=values["processing_time"],
        time_unit=values["time_unit"],
    )
    code = draw(st.one_of(st.just(raw["code"]), texts.filter(bool)))
    return Plan(row=row, values=values), draw(st.integers(1, 2**40)), code


_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.DOTALL)
_NAMED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _unescape(field: str) -> str | None:
    """One field of a COPY text line as PostgreSQL reads it (``\\N`` is NULL)."""
    if field == "\\N":
        return None

    def one(match: re.Match) -> str:
        s = match.group(1)
        if s[0] == "x" and len(s) > 1:
            return chr(int(s[1:], 16))
        if s[0] in "01234567":
            return chr(int(s, 8))
        return _NAMED.get(s, s)

    return _ESCAPE.sub(one, field)


def _read(sql: str, line: str) -> dict[str, str | None]:
    """A COPY line as {column: text}: the columns from the statement, the fields from the line."""
    assert "\n" not in line and "\r" not in line  # a raw newline would end the row early
    columns = [c.strip('"') for c in sql[sql.index("(") + 1 : sql.index(")")].split(", ")]
    fields = line.split("\t")
    assert len(fields) == len(columns)
    return {name: _unescape(field) for name, field in zip(columns, fields, strict=True)}


def _orm_json(payload: dict) -> str:
    """The payload as the ORM stores it (JSONField: ``json.dumps``), read back as JSON text."""
    return json.dumps(json.loads(json.dumps(payload)), ensure_ascii=False)


FIRST_EVENT = {
    "seq": 1,
    "type": "import",
    "at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    "from_state": "",
    "recorded_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
}


@time_machine.travel(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), tick=False)
@settings(max_examples=EXAMPLES, deadline=None)
@given(plan=plans(), source=texts)
def test_pglines_equal_the_generic_path(plan, source):
    plan, pk, code = plan
    lines = NewDossierLines(source=source, event_constants=FIRST_EVENT)
    dossier_line, event_line = lines.lines(pk, code, plan.values, plan.row.line, plan.row.raw)

    orm_payload = event_payload(plan, source, code)
    event = _read(lines.event_sql, event_line)
    parsed = json.loads(event.pop("payload"))
    assert parsed == json.loads(json.dumps(orm_payload))
    assert json.dumps(parsed, ensure_ascii=False) == _orm_json(orm_payload)  # key order too

    # Every other column of both lines: as the generic COPY of the same rows writes them.
    sql, text = copy_statement(
        DossierEvent,
        [
            {
                "dossier_id": pk,
                "to_state": plan.values["state"],
                "payload": orm_payload,
                "hash": first_event_hash(pk, plan.values["state"], orm_payload, FIRST_EVENT),
            }
        ],
        FIRST_EVENT,
    )
    generic = _read(sql, text.rstrip("\n"))
    assert json.loads(generic.pop("payload")) == parsed
    assert event == generic

    row = {"id": pk, "code": code, **{f: plan.values[f] for f in DOSSIER_FIELDS[2:]}}
    sql, text = copy_statement(Dossier, [row], {"imported": True})
    assert _read(lines.dossier_sql, dossier_line) == _read(sql, text.rstrip("\n"))
    assert _read(lines.dossier_sql, dossier_line)["code"] == code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=False)
def test_postgresql_reads_the_lines_back_as_written():
    """COPY of the fast lines, then the stored code and payload equal the ORM's values."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (COPY)")
    from motcua.dossiers.interchange import import_dossier_records
    from tests.catalog.factories import AgencyFactory, ProcedureFactory

    AgencyFactory(code="Q.H97")
    ProcedureFactory(code="9.000001", processing_time=Decimal(5))
    code = 'Mã\\01\t"hồ sơ"\n\\N 😀\r\\.'
    source = 'nguồn\\t\t"𝔘"\n'
    import_dossier_records(
        [
            {
                "code": code,
                "agency_code": "Q.H97",
                "procedure_code": "9.000001",
                "channel": "direct",
                "received_at": "2025-03-03T09:00:00+07:00",
                "outcome": "pending",
            }
        ],
        source=source,
    )
    dossier = Dossier.objects.get(code=code)
    payload = dossier.events.get().payload
    assert payload["source"] == source
    assert payload["columns"]["code"] == code
    assert payload["code"] == code
    assert dt.datetime.fromisoformat(payload["due_at"]) == dossier.due_at
