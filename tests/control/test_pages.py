"""The control pages: who may read, who may write, and that writes go through the services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.catalog.models import AgencyLevel
from motcua.control.choices import DecisionKind
from motcua.control.documents import docx_text
from motcua.control.models import DraftLegalText, Posting, ProcedureReview, PublicationDecision
from motcua.core.models import AuditLog
from tests.catalog.factories import AgencyFactory, FieldFactory, ProcedureFactory
from tests.control.factories import PublicationDecisionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def make_user(django_user_model):
    def make(username, agency=None, role=None, **extra):
        user = django_user_model.objects.create_user(username=username, password="x", **extra)
        if role:
            Membership.objects.create(user=user, agency=agency, role=role)
        return user

    return make


@pytest.fixture
def officer(make_user, province):
    return make_user("officer", province, Role.CONTROL_OFFICER)


@pytest.fixture
def monitor(make_user, province):
    return make_user("monitor", province, Role.MONITOR)


@pytest.fixture
def other_province(db):
    return AgencyFactory(
        code="000.00.00.H44", name="UBND tỉnh khác", level=AgencyLevel.objects.get(code="province")
    )


LISTS = [
    "control:decision_list",
    "control:review_list",
    "control:draft_list",
    "control:posting_list",
]
FORMS = ["control:decision_add", "control:review_add", "control:draft_add", "control:posting_add"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("control:decision_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_user_without_a_control_role_is_refused(client, make_user, province):
    client.force_login(make_user("clerk", province, Role.COUNTER_OFFICER))
    for name in LISTS + FORMS + ["control:report"]:
        assert client.get(reverse(name)).status_code == 403, name


def test_monitor_reads_but_cannot_write(client, monitor, province):
    decision = PublicationDecisionFactory(agency=province, effective_from=dt.date(2020, 4, 23))
    client.force_login(monitor)
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert reverse("control:decision_add") not in response.content.decode()
    assert decision.number in client.get(reverse("control:decision_list")).content.decode()
    assert client.get(reverse("control:decision", args=[decision.pk])).status_code == 200
    for name in FORMS:
        assert client.get(reverse(name)).status_code == 403, name
    response = client.post(reverse("control:decision_apply", args=[decision.pk]))
    assert response.status_code == 403
    decision.refresh_from_db()
    assert not decision.is_applied


def test_officer_sees_only_decisions_of_own_agencies(client, officer, province, other_province):
    mine = PublicationDecisionFactory(agency=province, number="1/QĐ-UBND")
    theirs = PublicationDecisionFactory(agency=other_province, number="2/QĐ-UBND")
    client.force_login(officer)
    page = client.get(reverse("control:decision_list")).content.decode()
    assert mine.number in page
    assert theirs.number not in page
    assert client.get(reverse("control:decision", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("control:decision_apply", args=[theirs.pk])).status_code == 404


def test_officer_enters_a_decision_adds_a_procedure_and_applies_it(client, officer, province):
    field = FieldFactory()
    procedure = ProcedureFactory(processing_time=Decimal(15))
    today = timezone.localdate()
    client.force_login(officer)
    response = client.post(
        reverse("control:decision_add"),
        {
            "number": "1016/QĐ-UBND",
            "kind": DecisionKind.PROCEDURES,
            "issued_on": today.isoformat(),
            "effective_from": today.isoformat(),
            "signer": "Chủ tịch",
            "agency": province.pk,
        },
    )
    decision = PublicationDecision.objects.get(number="1016/QĐ-UBND")
    assert response.status_code == 302
    assert response["Location"] == reverse("control:decision", args=[decision.pk])

    url = reverse("control:item_add", args=[decision.pk])
    response = client.post(
        url,
        {"action": "amend", "level": "province", "code": procedure.code, "processing_time": "10"},
    )
    assert response.status_code == 302
    response = client.post(
        url, {"action": "publish", "level": "commune", "code": "1.999999", "name": "Mới"}
    )
    assert response.status_code == 200  # a new procedure without field and time is refused
    assert "national code, name and field" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "publish",
            "level": "commune",
            "code": "1.999999",
            "name": "Mới",
            "field": field.pk,
            "processing_time": "3",
        },
    )
    assert response.status_code == 302
    assert decision.items.count() == 2

    response = client.post(reverse("control:decision_apply", args=[decision.pk]), follow=True)
    assert response.status_code == 200
    procedure.refresh_from_db()
    assert procedure.processing_time == Decimal(10)
    assert AuditLog.objects.filter(action="control.decision_apply", actor=officer).exists()


def test_officer_cannot_pick_an_agency_outside_the_own_tree(client, officer, other_province):
    client.force_login(officer)
    response = client.post(
        reverse("control:decision_add"),
        {
            "number": "9/QĐ-UBND",
            "kind": "procedures",
            "issued_on": "2020-04-01",
            "effective_from": "2020-04-01",
            "agency": other_province.pk,
        },
    )
    assert response.status_code == 200
    assert not PublicationDecision.objects.exists()


def test_officer_approves_an_internal_process_on_the_page(client, officer, province):
    decision = PublicationDecisionFactory(agency=province, kind=DecisionKind.INTERNAL_PROCESSES)
    procedure = ProcedureFactory()
    client.force_login(officer)
    url = reverse("control:process_add", args=[decision.pk])
    response = client.post(
        url,
        {
            "procedure": procedure.code,
            "steps": "Tiếp nhận | counter_officer | 10\nThẩm định | specialist | 80",
        },
    )
    assert response.status_code == 200
    assert "not 100%" in response.content.decode()
    response = client.post(
        url,
        {
            "procedure": procedure.code,
            "steps": "Tiếp nhận | counter_officer | 10\nThẩm định | specialist | 90",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("control:decision", args=[decision.pk])).content.decode()
    assert "Thẩm định" in page


def test_officer_records_review_draft_and_posting(client, officer, province):
    procedure = ProcedureFactory()
    client.force_login(officer)
    response = client.post(
        reverse("control:review_add"),
        {
            "procedure": procedure.code,
            "agency": province.pk,
            "kind": "review",
            "reviewed_on": "2020-05-01",
            "simplification_proposed": "on",
            "plan": "Bỏ bản sao",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("control:draft_add"),
        {
            "title": "Dự thảo",
            "drafting_agency": province.pk,
            "agency": province.pk,
            "received_on": "2020-05-01",
            "commented_on": "2020-04-01",
            "procedures_count": 2,
        },
    )
    assert response.status_code == 200
    assert "before the date the draft was received" in response.content.decode()
    response = client.post(
        reverse("control:draft_add"),
        {
            "title": "Dự thảo",
            "drafting_agency": province.pk,
            "agency": province.pk,
            "received_on": "2020-05-01",
            "commented_on": "2020-05-04",
            "procedures_count": 2,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("control:posting_add"),
        {
            "procedure": "0.000000",
            "agency": province.pk,
            "channel": "national_db",
            "posted_on": "2020-05-02",
        },
    )
    assert response.status_code == 200
    assert "0.000000" in response.content.decode()
    response = client.post(
        reverse("control:posting_add"),
        {
            "procedure": procedure.code,
            "agency": province.pk,
            "channel": "national_db",
            "posted_on": "2020-05-02",
        },
    )
    assert response.status_code == 302
    assert (
        ProcedureReview.objects.count(),
        DraftLegalText.objects.count(),
        Posting.objects.count(),
    ) == (1, 1, 1)
    for name, text in (
        ("control:review_list", procedure.code),
        ("control:draft_list", "Dự thảo"),
        ("control:posting_list", procedure.code),
    ):
        assert text in client.get(reverse(name)).content.decode(), name


def test_report_page_json_and_docx(client, monitor, province):
    PublicationDecisionFactory(agency=province, issued_on=dt.date(2020, 4, 23))
    client.force_login(monitor)
    params = {"unit": province.code, "period": "2020-Q2"}
    response = client.get(reverse("control:report"), params)
    assert response.status_code == 200
    assert "format=docx" in response.content.decode()
    data = json.loads(client.get(reverse("control:report"), {**params, "format": "json"}).content)
    assert data["decisions_issued"] == 1
    response = client.get(reverse("control:report"), {**params, "format": "docx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "01 Quyết định công bố" in docx_text(response.content)
    # the default period is a quarter
    assert client.get(reverse("control:report"), {"unit": province.code}).status_code == 200


def test_report_page_refuses_a_unit_outside_the_users_tree(client, monitor, other_province):
    client.force_login(monitor)
    response = client.get(
        reverse("control:report"), {"unit": other_province.code, "period": "2020-Q2"}
    )
    assert response.status_code == 400


def test_report_downloads_print_the_units_remembered_settings_in_docx_and_pdf(
    client, monitor, province, django_user_model, tmp_path
):
    """The control report's letterhead, recipients and signer are the unit's remembered report
    settings, as the narrative report's (stats.ReportSettings), in the DOCX and the PDF."""
    from motcua.stats.services import save_report_settings
    from tests.stats.test_documents_levels import pdf_text, squeeze

    admin = django_user_model.objects.create_superuser("admin-settings", "s@x.vn", "x")
    typed = {
        "number": "77",
        "symbol": "VPUB",
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Hoàng Văn Nhớ",
        "recipients": "Cục Kiểm soát TTHC (b/c);\nLưu: VT, KSTT.",
    }
    save_report_settings(actor=admin, agency=province, data=typed)
    client.force_login(monitor)
    params = {"unit": province.code, "period": "2020-Q2"}
    wanted = [
        "Số: 77/BC-VPUB",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hoàng Văn Nhớ",
        "- Cục Kiểm soát TTHC (b/c);",
        "- Lưu: VT, KSTT.",
    ]
    docx = client.get(reverse("control:report"), {**params, "format": "docx"})
    assert [w for w in wanted if w not in docx_text(docx.content)] == []
    pdf = client.get(reverse("control:report"), {**params, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith('.pdf"')
    printed = squeeze(pdf_text(pdf.content, tmp_path))
    assert [w for w in wanted if squeeze(w) not in printed] == []
