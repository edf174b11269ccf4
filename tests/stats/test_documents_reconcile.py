"""Every figure a reader of the documents can reconcile, on random histories: each Biểu 06 row
satisfies identity 1 of statistics.md §2 (received = resolved + refused + withdrawn + stopped +
pending) with its own columns, and the online classes listed in the narrative add up to the
online total."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.stats.assembly import build_report
from motcua.stats.reports import form06, narrative
from tests.stats.test_identities import history, make, minutes, periods, tree  # noqa: F401

pytestmark = pytest.mark.django_db


def online_total(counters) -> int:
    return narrative.get(counters, "received.by_channel.online")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), rows=st.lists(history(5), max_size=25))
def test_form06_rows_balance_and_online_classes_add_up(tree, data, rows):  # noqa: F811
    agencies, proc = tree
    with transaction.atomic():
        make(agencies, proc, rows, [])
        period = data.draw(periods())
        unit = data.draw(st.sampled_from(agencies))
        report = build_report(unit=unit, period=period, children=True, compare=False)
        table = [row for row in form06.rows(report) if row.kind != "section"]
        assert table[-1].kind == "total"
        for row in table:
            assert len(row.figures) == len(form06.SUBHEADERS)
            assert form06.balances(row.figures), (row.label, row.figures)
        for counters in [report, *report["children"], *report["by_field"]]:
            classes = narrative.online_classes(counters)
            if classes:
                assert sum(count for _, count in classes) == online_total(counters)
                assert all(count > 0 for _, count in classes)
        sentence = narrative.reception_sentence(report)
        for words, count in narrative.online_classes(report):
            assert narrative.class_clause(words, count) in sentence
        transaction.set_rollback(True)


def test_online_sentence_lists_every_class():
    report = {
        "received": {
            "carried_over": 0,
            "new": 30,
            "total": 30,
            "by_channel": {"direct": 2, "online": 28, "postal": 0},
            "online_by_class": {"level3": 2, "level4": 0, "partial": 13, "full": 12},
        }
    }
    sentence = narrative.reception_sentence(report)
    assert (
        "trong đó 13 hồ sơ trực tuyến một phần, 12 hồ sơ trực tuyến toàn trình, 02 hồ sơ mức độ 3, "
        "01 hồ sơ chưa phân loại mức độ)"
    ) in sentence
    assert sum(c for _, c in narrative.online_classes(report)) == 28
