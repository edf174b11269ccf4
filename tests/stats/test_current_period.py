"""A period that has not ended is counted up to the moment of the report (statistics.md §1):
pending and overdue are measured now, and every page and document says "tính đến …"."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from motcua.dossiers.worklists import worklist_counts
from motcua.stats.assembly import consolidated_report
from motcua.stats.periods import resolve_period
from motcua.stats.reports import render
from motcua.stats.reports.narrative import period_text
from tests.stats.helpers import Spec, Wait, agency, at, build, procedure

pytestmark = pytest.mark.django_db
NOW = at(2026, 12, 3, 14, 30)
UNTIL = "tính đến 14 giờ 30 ngày 03/12/2026"


@pytest.fixture
def current():
    """Month 2026-12 (15/11 to 14/12 by the cut-off rule), seen on 3 December at 14:30."""
    root = agency("000.00.00.H97", name="Ủy ban nhân dân tỉnh Thử")
    unit = agency("000.00.01.H97", parent=root, name="Sở Thử")
    p = procedure(code="9.000300")
    dossiers = build(
        [
            # overdue now
            Spec(unit, p, at(2026, 11, 20, 9), at(2026, 12, 1, 17)),
            Spec(unit, p, at(2026, 11, 21, 9), at(2026, 12, 3, 11)),
            # due after now but before the period's end: not overdue yet
            Spec(unit, p, at(2026, 11, 25, 9), at(2026, 12, 5, 17)),
            Spec(unit, p, at(2026, 11, 26, 9), at(2026, 12, 10, 17)),
            # the clock stopped for a supplement before the due date: not due
            Spec(
                unit,
                p,
                at(2026, 11, 27, 9),
                at(2026, 12, 2, 17),
                waits=[Wait(at(2026, 11, 30, 9), None, at(2026, 12, 2, 17), None)],
            ),
            # resolved late, and pending after the period
            Spec(
                unit, p, at(2026, 11, 16, 9), at(2026, 11, 20, 17), "resolved", at(2026, 11, 24, 9)
            ),
            Spec(unit, p, at(2026, 12, 4, 9), at(2026, 12, 6, 17)),
        ]
    )
    # the services stop the clock with the wait (the home page reads `paused_at`)
    waiting = dossiers[4]
    waiting.paused_at = at(2026, 11, 30, 9)
    waiting.save(update_fields=["paused_at"])
    return root, unit


@time_machine.travel(NOW, tick=False)
def test_the_current_period_is_counted_up_to_now(current, django_user_model):
    root, _ = current
    period = resolve_period(period="2026-12")
    assert (period.start, period.end) == (dt.date(2026, 11, 15), dt.date(2026, 12, 14))
    report = consolidated_report(unit=root, period=period, children=True)
    assert report["period"]["as_of"] == "2026-12-03T14:30:00+07:00"
    assert report["pending"]["total"] == 5
    assert report["pending"]["overdue"] == 2  # not 4: two fall due before the 14th
    assert report["pending"]["not_due"] == 3
    assert report["pending"]["awaiting_supplement"] == 1
    assert report["due"] == report["resolved"]["total"] + 2
    assert len(report["late_list"]) == 3  # resolved late + the two overdue now
    # the officials' home page counts the same overdue dossiers
    admin = django_user_model.objects.create_superuser("admin", "a@x.vn", "x")
    assert worklist_counts(user=admin, now=NOW)["overdue"] == report["pending"]["overdue"]
    # every document says up to when it is counted
    assert UNTIL in period_text(report)
    document = Document(io.BytesIO(render(report, fmt="docx")))
    assert any(UNTIL in p.text for p in document.paragraphs)


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_the_home_pages_overdue_and_the_moment(
    current, client, django_user_model
):
    root, _ = current
    admin = django_user_model.objects.create_superuser("admin", "a@x.vn", "x")
    client.force_login(admin)
    page = client.get(reverse("stats:dashboard"), {"unit": root.code, "period": "2026-12"})
    assert page.status_code == 200
    overdue = worklist_counts(user=admin, now=NOW)["overdue"]
    assert overdue == 2
    card = page.context["headline"][-1]  # the dashboard's "quá hạn"
    assert card.get("danger") and card["value"] == str(overdue)
    assert UNTIL in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_ended_period_is_counted_at_its_end(current):
    root, _ = current
    report = consolidated_report(unit=root, period=resolve_period(period="2026-11"), children=False)
    assert "as_of" not in report["period"]
    assert "tính đến" not in period_text(report)
