"""``bulkwrite``: a callable default gives each COPY row its own value, as ``Model(**row)`` does.

``copy_statement`` only builds text (no database), so these run on any backend; the last test
writes through ``insert_rows`` on the database at hand (COPY on PostgreSQL, bulk_create else).
"""

from __future__ import annotations

import itertools
import json

import pytest

from motcua.dossiers.interchange.bulkwrite import copy_layout, copy_statement, insert_rows
from motcua.dossiers.models import DossierEvent
from tests.dossiers.factories import local, received_dossier


@pytest.fixture
def counting_payload_default(monkeypatch):
    """DossierEvent.payload's default made a counter: every call returns a new value."""
    field = DossierEvent._meta.get_field("payload")
    counter = itertools.count(1)
    monkeypatch.setattr(field, "default", lambda: {"n": next(counter)})
    field.__dict__.pop("_get_default", None)  # Field caches its default's getter
    yield field
    field.__dict__.pop("_get_default", None)


def _payload_column(sql: str, text: str) -> list[dict]:
    columns = sql[sql.index("(") + 1 : sql.index(")")].replace('"', "").split(", ")
    at = columns.index("payload")
    return [json.loads(line.split("\t")[at]) for line in text.splitlines()]


def test_copy_calls_a_callable_default_for_every_row(counting_payload_default):
    rows = [
        {"dossier_id": i, "seq": 1, "type": "import", "at": local(2026, 1, 5, 9), "to_state": "x"}
        for i in range(1, 4)
    ]
    sql, text = copy_statement(DossierEvent, rows, {})
    numbers = [payload["n"] for payload in _payload_column(sql, text)]
    assert len(set(numbers)) == 3 and numbers == sorted(numbers)  # one call per row, in order


def test_given_values_and_constants_are_not_replaced(counting_payload_default):
    rows = [{"dossier_id": 1, "seq": 1, "type": "t", "at": local(2026, 1, 5, 9), "to_state": "x"}]
    sql, text = copy_statement(DossierEvent, rows, {"payload": {"same": True}})
    assert _payload_column(sql, text) == [{"same": True}]
    sql, text = copy_statement(DossierEvent, [{**rows[0], "payload": {"own": 1}}], {})
    assert _payload_column(sql, text) == [{"own": 1}]


def test_a_shared_layout_refuses_a_callable_default():
    """``copy_layout`` writes one suffix for every line: a callable default cannot be in it."""
    with pytest.raises(ValueError, match=r"dossiers\.DossierEvent\.payload has a callable default"):
        copy_layout(DossierEvent, ("dossier_id", "seq", "type", "at", "to_state"), {})
    sql, suffix, _fields = copy_layout(DossierEvent, ("dossier_id", "payload"), {})
    assert "payload" in sql


@pytest.mark.django_db
def test_inserted_rows_each_get_their_own_default(counting_payload_default):
    dossiers = [received_dossier(at=local(2026, 1, 5, 9 + i)) for i in range(2)]
    rows = [
        {"dossier_id": d.pk, "seq": 2, "type": "import", "at": local(2026, 1, 6, 9)}
        for d in dossiers
    ]
    insert_rows(DossierEvent, rows, constants={"from_state": "received", "to_state": "received"})
    payloads = list(
        DossierEvent.objects.filter(seq=2, dossier__in=dossiers)
        .order_by("dossier_id")
        .values_list("payload", flat=True)
    )
    assert len(payloads) == 2 and payloads[0] != payloads[1]
    assert all(set(p) == {"n"} for p in payloads)
