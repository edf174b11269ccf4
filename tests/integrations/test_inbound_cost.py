"""What one push of the national portal costs in database statements (docs/performance.md).

The burst target (10,000 pushes, p99 ≤ 200 ms) is met by keeping each push short; these pins make
a change that adds a statement to every push visible. The statements of a push with one file,
inside the test's transaction (so each atomic block is a savepoint):

  generation values (memo scope) · MaHoSoQG known? · [savepoint · dossier · checklist · SUBMIT
  event · its outbox row · release] · national reference · checklist read (to match files) ·
  [savepoint · lock · last event time · file · last event hash · ATTACH event · its outbox row ·
  release] · release
"""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.generations import memo_clear, watch_loads
from motcua.dossiers.models import Dossier
from motcua.integrations.models import NationalDossier, OutboxMessage
from tests.core.test_memo_tracking import LoadChecker
from tests.integrations.test_inbound import PDF, body, push, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ONE_FILE = 20  # the list above
PER_FILE = 8  # savepoint, lock, last event time, file, last event hash, event, outbox, release
REPEAT = 2  # generation values, MaHoSoQG known


def _file(name: str) -> dict[str, str]:
    return {
        "TenGiayTo": "Đơn đề nghị",
        "TenTep": name,
        "NoiDungBase64": base64.b64encode(PDF).decode(),
    }


def _push(client, world, **changes):  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        response = push(client, world["key"], body(**changes))
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def warm(client, world, fake_national):  # noqa: F811
    """One push first: the catalogue and access memos are filled, as in a running server."""
    assert push(client, world["key"], body(MaHoSoQG="WARM-0")).status_code == 201
    return world


def test_one_push_costs_a_fixed_number_of_statements(client, warm):
    response, sql = _push(client, warm, MaHoSoQG="G22.99-251003-000200")
    assert response.status_code == 201
    assert len(sql) == ONE_FILE, "\n".join(sql)
    # what the push no longer reads: its own national reference (it knows it), the supplement
    # waits of a dossier never received, the procedure's online class (memoised)
    for table in ("integrations_nationaldossier", "dossiers_supplementwait",
                  "catalog_procedureassignment"):  # fmt: skip
        reads = [s for s in sql if s.startswith("SELECT") and f'FROM "{table}"' in s]
        allowed = 1 if table == "integrations_nationaldossier" else 0  # "MaHoSoQG known?"
        assert len(reads) == allowed, (table, reads)
    dossier = NationalDossier.objects.get(national_ref="G22.99-251003-000200").dossier
    sent = OutboxMessage.objects.filter(dossier_id=dossier.pk).order_by("id")
    assert [m.payload["MaHoSoQG"] for m in sent] == ["G22.99-251003-000200"] * sent.count()
    assert sent.count() == 3  # SUBMIT: dossier + progress; ATTACH: progress


def test_each_further_file_costs_the_same(client, warm):
    one, sql_one = _push(client, warm, MaHoSoQG="Q-1", TaiLieuNop=[_file("a.pdf")])
    three, sql_three = _push(
        client, warm, MaHoSoQG="Q-3", TaiLieuNop=[_file("a.pdf"), _file("b.pdf"), _file("c.pdf")]
    )
    assert (one.status_code, three.status_code) == (201, 201)
    assert len(sql_one) == ONE_FILE
    assert len(sql_three) - len(sql_one) == 2 * PER_FILE, "\n".join(sql_three)
    assert Dossier.objects.get(national__national_ref="Q-3").files.count() == 3


def test_a_repeated_push_only_reads(client, warm):
    response, sql = _push(client, warm, MaHoSoQG="WARM-0")
    assert response.status_code == 200
    assert len(sql) == REPEAT and all(s.startswith("SELECT") for s in sql), sql


def test_the_memoised_reads_of_a_push_read_only_tracked_tables(client, world, fake_national):  # noqa: F811
    """The reads a push keeps between requests (the online class among them) are dropped when
    a table they read changes (tests/core/test_memo_tracking.py's check, on this path)."""
    memo_clear()
    checker = LoadChecker()
    with watch_loads(checker):
        assert push(client, world["key"], body()).status_code == 201
    assert ("catalogue",) in {groups for groups, _key in checker.loads}
    assert any(
        key[0] == "national_online_class" for _g, key in checker.loads if isinstance(key, tuple)
    )
    assert checker.untracked == []
