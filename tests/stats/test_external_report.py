"""Figures of agencies outside the system inside the consolidated report and its documents."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from motcua.accounts.models import User
from motcua.stats.assembly import build_report, report_with_external
from motcua.stats.identities import check_identities
from motcua.stats.periods import date_range
from motcua.stats.services import external_figures_record, flatten_figures
from tests.stats.documents_fixtures import counters
from tests.stats.helpers import agency

pytestmark = pytest.mark.django_db

MARCH = date_range("2025-03-01", "2025-03-31")


def figures(**kwargs) -> dict:
    report = counters(**kwargs)
    return {k: v for k, v in report.items() if k not in {"rates", "late_list", "children"}}


@pytest.fixture
def admin():
    return User.objects.create_superuser("admin", password="x")


@pytest.fixture
def police_figures():
    return figures(
        carried_over=5, online=7, direct=20, postal=3, early=10, on_time=12, late=1, overdue=2
    )


def test_an_agency_reporting_under_the_unit_becomes_a_marked_child(province, admin, police_figures):
    root, one, two = province
    external_figures_record(
        actor=admin,
        agency={"code": "CA-H98", "name": "Công an tỉnh"},
        period=MARCH,
        figures=police_figures,
        reporting_unit=root,
    )
    plain = build_report(unit=root, period=MARCH, children=True)
    report = report_with_external(plain, unit=root, period=MARCH)
    added = flatten_figures(police_figures)
    assert report["received"]["total"] == plain["received"]["total"] + added["received.total"]
    assert report["resolved"]["late"] == plain["resolved"]["late"] + added["resolved.late"]
    police = [c for c in report["children"] if c.get("external")]
    assert [c["unit"]["name"] for c in police] == ["Công an tỉnh"]
    assert police[0]["rates"]["on_time_of_resolved"] is not None
    assert [e["unit"]["code"] for e in report["external"]] == ["CA-H98"]
    assert check_identities(report) == []
    # idempotent, and the report asked of the child units alone does not include it
    assert report_with_external(report, unit=root, period=MARCH) == report
    assert "external" not in report_with_external(
        build_report(unit=one, period=MARCH), unit=one, period=MARCH
    )


def test_an_agency_deeper_in_the_tree_is_added_to_its_child(province, admin, police_figures):
    root, one, _ = province
    office = agency("000.00.01.01.H98", parent=one, name="Đội Cảnh sát giao thông")
    external_figures_record(actor=admin, agency=office, period=MARCH, figures=police_figures)
    plain = build_report(unit=root, period=MARCH, children=True)
    report = report_with_external(plain, unit=root, period=MARCH)
    before = next(c for c in plain["children"] if c["unit"]["code"] == one.code)
    after = next(c for c in report["children"] if c["unit"]["code"] == one.code)
    added = flatten_figures(police_figures)
    assert after["received"]["new"] == before["received"]["new"] + added["received.new"]
    assert len(report["children"]) == len(plain["children"])
    assert check_identities(report) == []


def test_documents_and_dashboard_mark_them(client, province, admin, police_figures):
    root, _, _ = province
    external_figures_record(
        actor=admin,
        agency={"code": "CT-H98", "name": "Cục Thuế tỉnh"},
        period=MARCH,
        figures=police_figures,
        reporting_unit=root,
    )
    client.force_login(admin)
    params = {"unit": root.code, "kind": "range", "start": "2025-03-01", "end": "2025-03-31"}
    page = client.get(reverse("stats:dashboard"), params)
    assert any(row["external"] for row in page.context["ranking"])
    response = client.get(reverse("stats:document", kwargs={"fmt": "docx"}), params)
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Số liệu của Cục Thuế tỉnh" in text and "(*)" in text
