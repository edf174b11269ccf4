"""A report's late list is capped (decisions.md #51): each unit's section holds its N most
late dossiers of the whole list (earliest legal due date first), listed in reception order,
and ``late_list_total`` is the whole list's length; with no cap it is the whole list."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.selectors import agency_subtree_ids
from motcua.dossiers.models import Apology, Dossier
from motcua.stats.assembly import build_report, consolidated_report, report_json
from motcua.stats.periods import Period
from motcua.stats.sections import late_list
from tests.stats.reference import load, reference_late_list
from tests.stats.test_identities import history, instant, make, minutes, periods, tree  # noqa: F401

pytestmark = pytest.mark.django_db


def _content(row: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in row.items() if k not in ("agency_id", "late_key")))


def _whole(unit, period) -> list[dict]:
    rows = late_list(agency_ids=agency_subtree_ids(roots=[unit.pk]), period=period)
    return sorted(rows, key=lambda r: r["late_key"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(history(5), max_size=25), period=periods(), cap=st.integers(1, 4))
def test_capped_late_list_holds_the_most_late(tree, rows, period, cap):  # noqa: F811
    agencies, proc = tree
    root = agencies[0]
    with transaction.atomic():
        make(agencies, proc, rows, [])
        from django.test import override_settings

        with override_settings(MOTCUA_REPORT_LATE_LIST_MAX=0):
            full = build_report(unit=root, period=period, children=True, compare=False)
        with override_settings(MOTCUA_REPORT_LATE_LIST_MAX=cap):
            capped = build_report(unit=root, period=period, children=True, compare=False)
        sections = [(root, full, capped)] + [
            (next(a for a in agencies if a.code == f["unit"]["code"]), f, c)
            for f, c in zip(full["children"], capped["children"], strict=True)
        ]
        for unit, f, c in sections:
            whole = _whole(unit, period)
            assert f["late_list_total"] == c["late_list_total"] == len(whole)
            assert sorted(map(_content, f["late_list"])) == sorted(map(_content, whole))
            assert sorted(map(_content, c["late_list"])) == sorted(map(_content, whole[:cap]))
            received = [r["received_at"] for r in c["late_list"]]
            assert received == sorted(received)  # listed in reception order
        transaction.set_rollback(True)


apologies = st.tuples(
    st.integers(0, 24),  # which dossier (modulo their number)
    minutes,  # issued
    minutes,  # new appointment
    st.booleans(),  # issued late
    st.sampled_from(["", "Chờ xác minh", "thiếu hồ sơ"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(history(5), max_size=25),
    period=periods(),
    cap=st.none() | st.integers(1, 4),
    drawn=st.lists(apologies, max_size=10),
)
def test_every_section_lists_the_reference_rows(tree, rows, period, cap, drawn):  # noqa: F811
    """The report's late lists (tuples read with psycopg's loader, rows formatted once and
    shared by the sections, apologies in one query, the fixed-offset time format) are, row for
    row and key for key, the plain reference's, in the JSON file too."""
    agencies, proc = tree
    root = agencies[0]
    with transaction.atomic():
        make(agencies, proc, rows, [])
        dossiers = list(Dossier.objects.order_by("pk"))
        if dossiers:
            Apology.objects.bulk_create(
                Apology(
                    dossier=dossiers[i % len(dossiers)],
                    issued_at=instant(issued),
                    new_due_at=instant(new_due),
                    issued_late=late,
                    reason=reason,
                )
                for i, issued, new_due, late, reason in drawn
            )
        from django.test import override_settings

        with override_settings(MOTCUA_REPORT_LATE_LIST_MAX=cap or 0):
            report = consolidated_report(unit=root, period=period, children=True)
        written = json.loads(report_json(report))
        data = load()
        sections = [(root, report, written)] + [
            (next(a for a in agencies if a.code == c["unit"]["code"]), c, w)
            for c, w in zip(report["children"], written["children"], strict=True)
        ]
        for unit, section, in_json in sections:
            ids = set(agency_subtree_ids(roots=[unit.pk]))
            expected = reference_late_list(data, ids, period.start, period.end, cap)
            assert section["late_list"] == expected
            assert in_json["late_list"] == expected
        transaction.set_rollback(True)


def test_no_cap_lists_every_dossier(tree):  # noqa: F811
    agencies, proc = tree
    from tests.stats.helpers import Spec, at, build

    build(
        [
            Spec(agencies[1], proc, at(2025, 3, d, 9), at(2025, 3, d + 1, 17), "", None)
            for d in range(1, 8)
        ]
    )
    period = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    from django.test import override_settings

    with override_settings(MOTCUA_REPORT_LATE_LIST_MAX=3):
        report = build_report(unit=agencies[0], period=period, children=True, compare=False)
    assert report["late_list_total"] == report["pending"]["overdue"] == 7
    assert [r["due_at"][:10] for r in report["late_list"]] == [
        "2025-03-02",
        "2025-03-03",
        "2025-03-04",
    ]


def test_a_capped_list_is_introduced_with_the_whole_count_in_vietnamese():
    from motcua.stats.reports.formatting import fmt_count
    from motcua.stats.reports.narrative import late_intro

    text = late_intro({"late_list": [{}, {}], "late_list_total": 1766})
    assert text == (
        f"Trong kỳ có {fmt_count(1766)} hồ sơ giải quyết quá hạn hoặc đang quá hạn; "
        f"{fmt_count(2)} hồ sơ quá hạn lâu nhất như sau:"
    )
    assert "chi tiết như sau" in late_intro({"late_list": [{}, {}], "late_list_total": 2})
