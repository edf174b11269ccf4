"""The print menu and downloads: forms as attachments, only for dossiers the user may see;
the register (form 07) for a unit and a period as PDF, DOCX and XLSX."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.catalog.choices import Role
from motcua.ops.models import PersonalDataAccess
from tests.dossiers.factories import AgencyFactory, local, official, received_dossier
from tests.dossiers.printing_helpers import docx_text, pdf_text
from tests.dossiers.test_printing import _receive, province  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _form(dossier, kind, fmt, **query):
    url = reverse("dossiers:form", args=[dossier.code, kind, fmt])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_form_downloads_are_attachments_for_an_official_who_sees_the_dossier(client, province):  # noqa: F811
    dossier = _receive(province)
    client.force_login(official(province["department"], Role.SPECIALIST))
    pdf = client.get(_form(dossier, "receipt", "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        pdf["Content-Disposition"].startswith("attachment;")
        and ".pdf" in pdf["Content-Disposition"]
    )
    assert dossier.code in pdf_text(pdf.content)
    docx = client.get(_form(dossier, "control", "docx"))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    assert dossier.code in docx_text(docx.content)
    assert PersonalDataAccess.objects.filter(dossier=dossier, kind="export").count() == 2


def test_another_agencys_official_gets_404(client, province):  # noqa: F811
    dossier = _receive(province)
    client.force_login(official(AgencyFactory(name="Sở Xây dựng"), Role.COUNTER_OFFICER))
    for kind in ("receipt", "control"):
        assert client.get(_form(dossier, kind, "pdf")).status_code == 404
    assert PersonalDataAccess.objects.filter(dossier=dossier).count() == 0


def test_forms_that_do_not_apply_and_bad_addresses_are_404(client, province):  # noqa: F811
    dossier = _receive(province)
    client.force_login(official(province["department"], Role.SPECIALIST))
    assert client.get(_form(dossier, "refusal", "pdf")).status_code == 404  # not refused
    assert client.get(_form(dossier, "apology", "docx")).status_code == 404  # no apology
    assert client.get(_form(dossier, "receipt", "exe")).status_code == 404
    assert client.get(_form(dossier, "register", "pdf")).status_code == 404
    assert client.get(_form(dossier, "nothing", "pdf")).status_code == 404
    assert client.get(_form(dossier, "supplement", "pdf", n="x")).status_code == 404


def test_dossier_page_offers_the_forms_of_its_state(client, province):  # noqa: F811
    dossier = _receive(province)
    client.force_login(official(province["department"], Role.SPECIALIST))
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert 'id="print-menu"' in page
    assert _form(dossier, "receipt", "pdf") in page and _form(dossier, "control", "docx") in page
    assert (
        _form(dossier, "refusal", "pdf") not in page and _form(dossier, "stop", "pdf") not in page
    )


@pytest.fixture
def register_world(province):  # noqa: F811
    inside = [
        _receive(province, at=local(2026, 11, 16, 9, 0)),
        _receive(province, at=local(2026, 11, 20, 10, 0)),
    ]
    before = _receive(province, at=local(2026, 11, 13, 9, 0))  # before the period
    elsewhere = received_dossier(agency=AgencyFactory(name="Sở Y tế"), at=local(2026, 11, 18, 9, 0))
    return {"inside": inside, "before": before, "elsewhere": elsewhere, **province}


def test_register_for_a_unit_and_a_period_in_three_formats(client, register_world):
    w = register_world
    client.force_login(official(w["center"], Role.COUNTER_OFFICER))
    page = client.get(reverse("dossiers:register"))
    assert page.status_code == 200 and 'id="register-form"' in page.content.decode()
    # November 2026 with the Decree 09 cut-off (the 14th): 15 Oct .. 14 Nov -> use the dates.
    query = {"unit": w["center"].pk, "start": "2026-11-15", "end": "2026-11-30"}
    xlsx = client.get(reverse("dossiers:register"), {**query, "fmt": "xlsx"})
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    codes = [d.code for d in w["inside"]]
    assert all(code in cells for code in codes)
    assert w["before"].code not in cells and w["elsewhere"].code not in cells
    assert "SỔ THEO DÕI HỒ SƠ" in cells and "Mã hồ sơ" in cells
    pdf = pdf_text(client.get(reverse("dossiers:register"), {**query, "fmt": "pdf"}).content)
    docx = docx_text(client.get(reverse("dossiers:register"), {**query, "fmt": "docx"}).content)
    for text in (pdf, docx):
        assert all(code in text for code in codes) and w["before"].code not in text
        assert "Mẫu số 07" in text and "Từ ngày 15/11/2026 đến ngày 30/11/2026" in text
        assert "Tổng cộng: 2 hồ sơ" in text
    named = client.get(
        reverse("dossiers:register"), {"unit": w["center"].pk, "period": "2026-11", "fmt": "pdf"}
    )
    assert named.status_code == 200  # a named period of stats/periods


def test_register_refuses_a_unit_outside_the_users_agencies_and_bad_periods(client, register_world):
    w = register_world
    client.force_login(official(w["center"], Role.COUNTER_OFFICER))
    other = client.get(
        reverse("dossiers:register"),
        {"unit": w["elsewhere"].agency_id, "period": "2026-11", "fmt": "xlsx"},
    )
    assert other.status_code == 400 and "attachment" not in other.get("Content-Disposition", "")
    bad = client.get(
        reverse("dossiers:register"), {"unit": w["center"].pk, "period": "2026-13", "fmt": "pdf"}
    )
    assert bad.status_code == 400
    reversed_dates = client.get(
        reverse("dossiers:register"),
        {"unit": w["center"].pk, "start": "2026-11-30", "end": "2026-11-01", "fmt": "pdf"},
    )
    assert reversed_dates.status_code == 400


def test_register_of_a_period_before_15_sep_2025_is_the_2018_form_06(client, province):  # noqa: F811
    dossier = _receive(province, at=local(2025, 9, 3, 9, 0))
    client.force_login(official(province["center"], Role.COUNTER_OFFICER))
    response = client.get(
        reverse("dossiers:register"),
        {"unit": province["center"].pk, "start": "2025-09-01", "end": "2025-09-14", "fmt": "pdf"},
    )
    text = pdf_text(response.content)
    assert "Mẫu số 06" in text and "SỔ THEO DÕI HỒ SƠ" in text.upper() and dossier.code in text


def test_online_submission_refused_or_returned_at_pre_check_prints_02_and_03(client, province):  # noqa: F811
    from motcua.dossiers import services
    from motcua.dossiers.views.actions import dossier_ref
    from tests.dossiers.factories import staff, submitted_dossier

    returned = submitted_dossier(agency=province["department"], procedure=province["procedure"])
    services.dossier_precheck_return(
        dossier=returned, actor=staff(returned), reason="Ảnh chụp đơn bị mờ, nộp lại bản rõ"
    )
    refused = submitted_dossier(agency=province["department"], procedure=province["procedure"])
    services.dossier_precheck_refuse(
        dossier=refused, actor=staff(refused), reason="Thủ tục không thuộc thẩm quyền của Sở"
    )
    client.force_login(official(province["department"], Role.COUNTER_OFFICER))
    for dossier, kind, reason in (
        (returned, "supplement", "Ảnh chụp đơn bị mờ, nộp lại bản rõ"),
        (refused, "refusal", "Thủ tục không thuộc thẩm quyền của Sở"),
    ):
        ref = dossier_ref(dossier)
        assert ref.startswith("id-")  # never received: no code
        page = client.get(reverse("dossiers:detail", args=[ref])).content.decode()
        url = reverse("dossiers:form", args=[ref, kind, "pdf"])
        assert url in page
        assert reverse("dossiers:form", args=[ref, "receipt", "pdf"]) not in page
        text = pdf_text(client.get(url).content)
        assert reason in text and "Trần Thị B" in text
        assert client.get(reverse("dossiers:form", args=[ref, "receipt", "pdf"])).status_code == 404


def test_register_too_long_for_a_pdf_asks_for_a_shorter_period(client, register_world, monkeypatch):
    from motcua.dossiers.printing import register

    monkeypatch.setitem(register.MAX_ROWS, "pdf", 1)
    client.force_login(official(register_world["center"], Role.COUNTER_OFFICER))
    query = {"unit": register_world["center"].pk, "start": "2026-11-15", "end": "2026-11-30"}
    refused = client.get(reverse("dossiers:register"), {**query, "fmt": "pdf"})
    assert refused.status_code == 400 and "XLSX" in refused.content.decode()
    assert client.get(reverse("dossiers:register"), {**query, "fmt": "xlsx"}).status_code == 200
