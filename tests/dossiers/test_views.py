"""The officials' dossier pages: list (scoping, filters, htmx, query count), detail, actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.catalog.models import ProcedureAssignment
from motcua.dossiers.choices import DossierState, EventType
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.worktime.models import WorkingHours
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    local,
    official,
    received_dossier,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = AgencyFactory(name="Sở A"), AgencyFactory(name="Sở B")
    procedure = ProcedureFactory(name="Cấp giấy phép thử")
    for agency in (a, b):
        ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    docs = [RequiredDocumentFactory(procedure=procedure) for _ in range(2)]
    officer_a, officer_b = UserFactory(), UserFactory()
    for officer in (officer_a, officer_b):
        officer.save()  # the factory sets the password without saving it
    Membership.objects.create(user=officer_a, agency=a, role=Role.COUNTER_OFFICER)
    Membership.objects.create(user=officer_a, agency=a, role=Role.SPECIALIST)
    Membership.objects.create(user=officer_b, agency=b, role=Role.COUNTER_OFFICER)
    lead_a = official(a, Role.LEADER, Role.DEPARTMENT_HEAD)
    return {
        "lead_a": lead_a,
        "a": a,
        "b": b,
        "procedure": procedure,
        "docs": docs,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "dossier_a": received_dossier(agency=a, procedure=procedure, applicant_name="Lê Văn Ất"),
        "dossier_b": received_dossier(
            agency=b, procedure=procedure, applicant_name="Phạm Thị Bính"
        ),
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_list_shows_only_the_officers_agencies(client, world):
    client.force_login(world["officer_a"])
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 200, response
    body = response.content.decode()
    assert world["dossier_a"].code in body
    assert world["dossier_b"].code not in body


def test_list_filters_by_applicant_and_state(client, world):
    client.force_login(world["officer_a"])
    other = received_dossier(agency=world["a"], procedure=world["procedure"], applicant_name="Zô")
    body = client.get(reverse("dossiers:list"), {"q": "Ất"}).content.decode()
    assert world["dossier_a"].code in body and other.code not in body
    body = client.get(reverse("dossiers:list"), {"state": "resolved"}).content.decode()
    assert world["dossier_a"].code not in body


def test_list_htmx_request_gets_the_table_fragment_only(client, world):
    client.force_login(world["officer_a"])
    response = client.get(reverse("dossiers:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert world["dossier_a"].code in body
    assert "navbar" not in body and "<html" not in body


def test_list_query_count_is_pinned_and_independent_of_rows(
    client, world, django_assert_num_queries
):
    client.force_login(world["officer_a"])
    client.get(reverse("dossiers:list"))  # warm the per-process memos (core.generations)
    # 11: session, user, memos, the roles (which tabs), the tab counts (one query), count, rows,
    # the filters' choices (agencies, procedures, fields, the agencies' officials)…
    with django_assert_num_queries(11):
        client.get(reverse("dossiers:list"))
    for _ in range(6):
        received_dossier(agency=world["a"], procedure=world["procedure"])
    client.get(reverse("dossiers:list"))  # the factories wrote catalogue rows: warm again
    with django_assert_num_queries(11):
        response = client.get(reverse("dossiers:list"))
    assert response.content.decode().count("/dossiers/000.") >= 7


def test_detail_of_another_agencys_dossier_is_404(client, world):
    client.force_login(world["officer_a"])
    ok = client.get(reverse("dossiers:detail", args=[world["dossier_a"].code]))
    assert ok.status_code == 200
    assert "Lê Văn Ất" in ok.content.decode()
    missing = client.get(reverse("dossiers:detail", args=[world["dossier_b"].code]))
    assert missing.status_code == 404


def test_action_assign_through_post(client, world):
    client.force_login(world["lead_a"])
    dossier = world["dossier_a"]
    url = reverse("dossiers:action", args=[dossier.code, "assign"])
    response = client.post(url, {"assign-assignee": world["officer_a"].pk, "assign-note": "ok"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_PROCESS
    assert dossier.assignee == world["officer_a"]
    assert DossierEvent.objects.filter(dossier=dossier, type=EventType.ASSIGN).count() == 1


@pytest.mark.usefixtures("english")
def test_illegal_action_shows_an_error_not_a_500(client, world):
    client.force_login(world["officer_a"])
    dossier = world["dossier_a"]
    url = reverse("dossiers:action", args=[dossier.code, "deliver"])
    response = client.post(url, {"deliver-delivery_channel": "counter"}, follow=True)
    assert response.status_code == 200
    assert any("cannot" in m for m in messages_of(response))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED
    assert not DossierEvent.objects.filter(dossier=dossier, type=EventType.DELIVER).exists()


def test_action_with_invalid_form_changes_nothing(client, world):
    client.force_login(world["officer_a"])
    dossier = world["dossier_a"]
    url = reverse("dossiers:action", args=[dossier.code, "refuse"])
    response = client.post(url, {"refuse-reason": ""}, follow=True)
    assert response.status_code == 200
    assert messages_of(response)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED


def test_action_on_another_agencys_dossier_is_404(client, world):
    client.force_login(world["officer_a"])
    url = reverse("dossiers:action", args=[world["dossier_b"].code, "refuse"])
    assert client.post(url, {"refuse-reason": "x"}).status_code == 404
    world["dossier_b"].refresh_from_db()
    assert world["dossier_b"].state == DossierState.RECEIVED


def test_unknown_action_is_404(client, world):
    client.force_login(world["officer_a"])
    url = reverse("dossiers:action", args=[world["dossier_a"].code, "explode"])
    assert client.post(url).status_code == 404


def test_detail_offers_the_actions_of_the_state(client, world):
    url = reverse("dossiers:detail", args=[world["dossier_a"].code])
    client.force_login(world["lead_a"])
    body = client.get(url).content.decode()
    assert "action-assign" in body and "action-refuse" in body
    assert "action-deliver" not in body  # not in this state
    client.force_login(world["officer_a"])  # counter and specialist: no decision
    body = client.get(url).content.decode()
    assert "action-assign" not in body and "action-refuse" not in body
    assert "action-supplement_request" in body and "action-withdraw" in body


def test_reception_form_receives_and_shows_the_receipt(client, world):
    client.force_login(world["officer_a"])
    procedure = world["procedure"]
    info = client.get(reverse("dossiers:procedure_info"), {"procedure": procedure.pk})
    assert world["docs"][0].name in info.content.decode()
    assert " checked" not in info.content.decode()  # nothing ticked in advance
    data = {
        "procedure": procedure.pk,
        "agency": world["a"].pk,
        "channel": "direct",
        "applicant_kind": "person",
        "applicant_name": "Đỗ Thị Hoa",
        "applicant_id_number": "099123456789",
        "delivery_channel": "counter",
        "documents": [str(world["docs"][0].pk)],
    }
    # The second required document is missing: a warning the officer must confirm.
    warned = client.post(reverse("dossiers:new"), data)
    assert warned.status_code == 400 and 'id="missing-documents"' in warned.content.decode()
    assert world["docs"][1].name in warned.content.decode()
    assert not Dossier.objects.filter(applicant_name="Đỗ Thị Hoa").exists()
    data["confirm_missing"] = "on"
    response = client.post(reverse("dossiers:new"), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Đỗ Thị Hoa")
    assert response["Location"] == reverse("dossiers:receipt", args=[dossier.code])
    receipt = client.get(response["Location"]).content.decode()
    assert dossier.code in receipt and "<svg" in receipt
    # The receipt lists exactly the document ticked.
    assert world["docs"][0].name in receipt and world["docs"][1].name not in receipt
    assert list(dossier.documents.filter(submitted=True).values_list("required_id", flat=True)) == [
        world["docs"][0].pk
    ]


def test_reception_form_errors_are_shown(client, world):
    client.force_login(world["officer_a"])
    response = client.post(reverse("dossiers:new"), {"procedure": world["procedure"].pk})
    assert response.status_code == 400
    assert not Dossier.objects.filter(applicant_name="").exists()


def test_counter_closures_page(client, world):
    client.force_login(world["lead_a"])
    url = reverse("dossiers:counter_closures")
    data = {
        "agency": world["a"].pk,
        "start": "2026-12-01",
        "end": "2026-12-03",
        "reason": "Sửa trụ sở",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Sửa trụ sở" in response.content.decode()
    bad = client.post(url, {**data, "end": "2026-11-01"})
    assert bad.status_code == 400


def test_checklist_and_file_upload(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world["officer_a"])
    dossier = world["dossier_a"]
    doc = dossier.documents.first()
    response = client.post(
        reverse("dossiers:checklist", args=[dossier.code]), {"submitted": [doc.pk]}
    )
    assert response.status_code == 302
    assert list(dossier.documents.filter(submitted=True)) == [doc]
    upload = SimpleUploadedFile("don.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = client.post(reverse("dossiers:upload", args=[dossier.code]), {"file": upload})
    assert response.status_code == 302
    stored = dossier.files.get()
    download = client.get(reverse("dossiers:file", args=[dossier.code, stored.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    response = client.post(
        reverse("dossiers:upload", args=[dossier.code]), {"file": bad}, follow=True
    )
    assert response.status_code == 200 and messages_of(response)
    assert dossier.files.count() == 1


def test_a_closed_dossiers_checklist_and_files_cannot_be_changed_from_its_page(client, world):
    """The page of a withdrawn dossier shows its checklist read-only and offers no upload, and
    a checklist posted anyway is refused with the workflow's reason, nothing changed."""
    from motcua.dossiers import services

    dossier = world["dossier_a"]
    services.dossier_withdraw(dossier=dossier, actor=world["lead_a"], at=local(2026, 11, 23, 10))
    client.force_login(world["officer_a"])
    body = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "Lưu danh mục giấy tờ" not in body
    assert body.count('name="submitted"') == 2
    assert body.count(" disabled>") >= 2
    assert reverse("dossiers:upload", args=[dossier.code]) not in body
    handed_in = sorted(dossier.documents.filter(submitted=True).values_list("pk", flat=True))
    assert len(handed_in) == 2
    response = client.post(
        reverse("dossiers:checklist", args=[dossier.code]), {"submitted": handed_in[:1]}
    )
    assert response.status_code == 302
    assert any("cập nhật danh mục giấy tờ" in m for m in messages_of(response))
    assert sorted(dossier.documents.filter(submitted=True).values_list("pk", flat=True)) == (
        handed_in
    )


def test_online_dossier_without_code_is_prechecked_from_its_page(client, world):
    client.force_login(world["officer_a"])
    dossier = submitted_dossier(agency=world["a"], procedure=world["procedure"])
    assert dossier.code is None
    listing = client.get(reverse("dossiers:list")).content.decode()
    ref = f"id-{dossier.pk}"
    assert reverse("dossiers:detail", args=[ref]) in listing
    page = client.get(reverse("dossiers:detail", args=[ref]))
    assert page.status_code == 200 and "action-precheck_accept" in page.content.decode()
    response = client.post(reverse("dossiers:action", args=[ref, "precheck_accept"]))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED and dossier.code
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.code])
    other = submitted_dossier(agency=world["b"], procedure=world["procedure"])
    assert client.get(reverse("dossiers:detail", args=[f"id-{other.pk}"])).status_code == 404


def test_list_deadline_column_counts_in_each_agencys_own_hours(client, world, time_machine):
    """Same due instant, two agencies: with a 3-hour working day, Thursday's closing is one
    working day away on Wednesday afternoon (due soon); with the default 7.5-hour day it is
    9.5 working hours away (not due)."""
    a, b = world["a"], world["b"]
    WorkingHours.objects.create(
        agency=a,
        morning_start=dt.time(8, 0),
        morning_end=dt.time(10, 0),
        afternoon_start=dt.time(13, 0),
        afternoon_end=dt.time(14, 0),
    )
    Membership.objects.create(user=world["officer_a"], agency=b, role=Role.COUNTER_OFFICER)
    due = local(2026, 11, 26, 17, 0)
    Dossier.objects.filter(pk__in=[world["dossier_a"].pk, world["dossier_b"].pk]).update(due_at=due)
    time_machine.move_to(local(2026, 11, 25, 15, 0), tick=False)
    client.force_login(world["officer_a"])
    html = client.get(reverse("dossiers:list")).content.decode()
    rows = {row.split("</tr>")[0] for row in html.split("<tr")[1:]}
    row_a = next(r for r in rows if world["dossier_a"].code in r)
    row_b = next(r for r in rows if world["dossier_b"].code in r)
    assert "deadline-due_soon" in row_a and "deadline-not_due" in row_b
