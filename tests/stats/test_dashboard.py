"""The monitors' dashboard, its trend endpoint, the document downloads and the entry page."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.stats.assembly import build_report
from motcua.stats.models import ExternalFigures
from motcua.stats.periods import date_range
from motcua.stats.reports.formatting import fmt_int, fmt_rate
from tests.stats.documents_fixtures import counters
from tests.stats.helpers import Spec, agency, at, build, procedure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MARCH = {"kind": "range", "start": "2025-03-01", "end": "2025-03-31"}


@pytest.fixture
def monitor(province):
    root, _, _ = province
    user = User.objects.create_user("monitor", password="x")
    Membership.objects.create(user=user, agency=root, role=Role.MONITOR)
    return user


@pytest.fixture
def client_monitor(client, monitor):
    client.force_login(monitor)
    return client


def query(unit, **extra):
    return {"unit": unit.code, **MARCH, **extra}


def test_login_required(client, province):
    response = client.get(reverse("stats:dashboard"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_dashboard_shows_the_report_figures(client_monitor, province, monitor):
    root, one, two = province
    response = client_monitor.get(reverse("stats:dashboard"), query(root))
    assert response.status_code == 200
    html = response.content.decode()
    report = build_report(
        unit=root, period=date_range("2025-03-01", "2025-03-31"), children=True, user=monitor
    )
    context = response.context
    values = [item["value"] for item in context["headline"]]
    assert values[0] == fmt_int(report["received"]["total"])
    assert values[1] == fmt_int(report["resolved"]["total"])
    assert values[3] == fmt_int(report["pending"]["total"])
    assert values[4] == fmt_int(report["pending"]["overdue"])
    assert [row["code"] for row in context["ranking"]] == sorted(
        [one.code, two.code],
        key=lambda code: (
            -next(
                c["rates"]["on_time_of_due"] or -1
                for c in report["children"]
                if c["unit"]["code"] == code
            )
        ),
    )
    for row in context["ranking"]:  # rates written the Vietnamese way, in the page too
        assert row["rate_text"] == fmt_rate(row["rate"])
        assert row["rate_text"] in html
    assert context["late_count"] == len(report["late_list"])
    for item in report["late_list"]:
        assert item["code"] in html
    assert "Tỉnh Mẫu" in html  # diacritics intact
    for fmt in ("docx", "xlsx", "pdf"):
        assert reverse("stats:document", kwargs={"fmt": fmt}) + "?unit=" in html
    assert 'id="document-details"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "cdn" not in html.lower()


def test_htmx_request_gets_the_partial(client_monitor, province):
    root, _, _ = province
    response = client_monitor.get(reverse("stats:dashboard"), query(root), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="headline"' in html


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("stats:dashboard"), params).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_units_or_dossiers(client_monitor, province):
    root, one, _ = province
    before = _count_queries(client_monitor, query(root))
    three = agency("000.00.03.H98", parent=root, name="Sở Mẫu Ba")
    p = procedure()
    build(
        Spec(three, p, at(2025, 3, d, 9), at(2025, 3, d + 5, 17), "resolved", at(2025, 3, d + 7, 9))
        for d in range(2, 12)
    )
    build([Spec(one, p, at(2025, 3, 12, 9), at(2025, 3, 14, 17))])
    after = _count_queries(client_monitor, query(root))
    assert after == before
    # the report's queries (with the daily summary: days held, their sums, the days counted live,
    # the stocks; the late list in two reads), the page's own (pinned below: the round panel,
    # the report settings)
    # the stock snapshot and the coverage summary add their reads (decisions.md #51)
    # 58 on PostgreSQL (+1 SET per statistics transaction), 52 on SQLite
    assert before <= 60, before


def test_dashboard_own_queries_are_pinned(client_monitor, province, monitor, monkeypatch):
    """Beside build_report's queries, the page costs a fixed number: session, user, the user's
    agencies (memoised by build_report above: one generation check), the unit list, the tree,
    the external figures (the children's levels come with build_report's children), the
    latest report round of the unit and period, the unit's remembered report settings and the
    user's roles (whether they may change them; memoised per process like the agencies)."""
    root, _, _ = province
    report = build_report(
        unit=root, period=date_range("2025-03-01", "2025-03-31"), children=True, user=monitor
    )
    monkeypatch.setattr("motcua.stats.assembly.build_report", lambda **kwargs: report)
    with CaptureQueriesContext(connection) as ctx:
        response = client_monitor.get(reverse("stats:dashboard"), query(root))
    assert response.status_code == 200
    assert len(ctx.captured_queries) == 9, [q["sql"] for q in ctx.captured_queries]


def test_trend_json_matches_the_monthly_reports(client_monitor, province, settings, monitor):
    settings.MOTCUA_PERIOD_CUTOFF_DAY = 0  # calendar months
    root, _, _ = province
    response = client_monitor.get(reverse("stats:trend"), {"unit": root.code, "period": "2025-03"})
    data = response.json()
    assert len(data["labels"]) == 12 and data["labels"][-1] == "03/2025"
    for label, start, end in (
        ("03/2025", "2025-03-01", "2025-03-31"),
        ("02/2025", "2025-02-01", "2025-02-28"),
    ):
        index = data["labels"].index(label)
        report = build_report(unit=root, period=date_range(start, end), user=monitor, compare=False)
        assert data["received"][index] == report["received"]["new"]
        assert data["resolved"][index] == report["resolved"]["total"]


def test_unit_outside_the_users_agencies_is_refused(client, province):
    root, one, _ = province
    user = User.objects.create_user("clerk", password="x")
    Membership.objects.create(user=user, agency=one, role=Role.MONITOR)
    client.force_login(user)
    response = client.get(reverse("stats:dashboard"), query(root))
    assert "unit" not in response.context or response.context.get("unit") is None
    assert [code for code, _ in response.context["form"].fields["unit"].choices] == [one.code]
    document = client.get(reverse("stats:document", kwargs={"fmt": "xlsx"}), query(root))
    assert document.status_code == 400


def test_documents_download(client_monitor, province, monitor):
    root, one, _ = province
    url = reverse("stats:document", kwargs={"fmt": "docx"})
    details = {"place": "Hà Giang", "signer_name": "Lê Thị Hà", "number": "12/BC-TM"}
    response = client_monitor.get(url, query(root, issued_on="2025-04-02", **details))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bao-cao-000.00.00.H98-20250301-20250331.docx" in response["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    report = build_report(unit=root, period=date_range("2025-03-01", "2025-03-31"), user=monitor)
    assert f"Tổng số hồ sơ tiếp nhận trong kỳ là {report['received']['total']:02d} hồ sơ" in text
    assert "Nhiệm vụ trọng tâm kỳ tiếp theo" in text
    heading = Document(io.BytesIO(response.content)).tables[0]
    assert "Số: 12/BC-TM" in heading.cell(0, 0).text
    assert "Hà Giang, ngày 02 tháng 4 năm 2025" in heading.cell(0, 1).text
    bad_date = client_monitor.get(url, query(root, issued_on="02/04"))
    assert bad_date.status_code == 400

    commune = agency("H98.01", parent=root, name="UBND xã Mẫu", level="commune")
    response = client_monitor.get(reverse("stats:document", kwargs={"fmt": "xlsx"}), query(root))
    ws = load_workbook(io.BytesIO(response.content)).active
    labels = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    assert "Sở Mẫu Một" in labels and "Tổng cộng" in labels and commune.name in labels
    # children of two levels: one summary row per level, named after the level
    assert commune.level.name in labels and one.level.name in labels

    response = client_monitor.get(reverse("stats:document", kwargs={"fmt": "pdf"}), query(root))
    assert response.content.startswith(b"%PDF")


def test_external_figures_entry_page(client_monitor, province):
    root, _, _ = province
    url = reverse("stats:external")
    assert client_monitor.get(url).status_code == 200
    figures = counters(
        carried_over=4, online=3, direct=8, postal=1, early=5, on_time=4, late=1, overdue=1
    )
    post = {
        "agency_code": "CA-H98",
        "agency_name": "Công an tỉnh",
        "reporting_unit": root.code,
        "source": "Hệ thống Bộ Công an",
        **MARCH,
    }

    def flat(d, prefix=""):
        for key, value in d.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            elif isinstance(value, int):
                yield f"{prefix}{key}", value

    numbers = dict(flat({k: v for k, v in figures.items() if k not in {"rates", "late_list"}}))
    broken = {**numbers, "resolved.total": numbers["resolved.total"] + 1}
    response = client_monitor.post(url, {**post, **broken})
    assert response.status_code == 400
    assert "identity 3" in response.content.decode()
    assert not ExternalFigures.objects.exists()

    response = client_monitor.post(url, {**post, **numbers})
    assert response.status_code == 302
    row = ExternalFigures.objects.get()
    assert (row.agency_name, row.reporting_unit) == ("Công an tỉnh", root)
    assert "Công an tỉnh" in client_monitor.get(url).content.decode()


def test_dashboard_links_to_the_service_index(client_monitor, client, province):
    root, _one, _two = province
    html = client_monitor.get(reverse("stats:dashboard"), query(root)).content.decode()
    url = reverse("stats:index") + f"?unit={root.code}&amp;period=2025-03"
    assert f'id="index-link" href="{url}"' in html
    page = client_monitor.get(url.replace("&amp;", "&"))
    assert page.status_code == 200
    assert page.context["index"]["unit"]["code"] == root.code
    # a user who works for no unit sees no report, and no link to the index either
    nobody = User.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    html = client.get(reverse("stats:dashboard")).content.decode()
    assert "index-link" not in html
    assert client.get(reverse("stats:index")).status_code == 400
