"""Personal data in pages, lists, exports and printed forms: the ID number, phone, e-mail and
addresses in full for those who handle the dossier, masked for everyone else who may see it —
on every surface; and each surface logged."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.tokens import api_token_create
from motcua.catalog.choices import Role
from motcua.dossiers import services
from motcua.dossiers.masking import MASKED_FIELDS, Viewer, mask
from motcua.dossiers.permissions import IMPORT, PERMISSIONS, handles, scoped_roles
from motcua.dossiers.services.history import HistoryEntry, dossier_history_record
from motcua.ops.models import PersonalDataAccess
from tests.dossiers.factories import AgencyFactory, UserFactory, local, official, received_dossier

pytestmark = pytest.mark.django_db

ID_NUMBER, PHONE = "001090012345", "0912345678"
EMAIL, ADDRESS = "nguyen.van.a@example.vn", "Số 12 đường Trần Phú, phường Hà Đông"
DELIVERY = "Số 7 ngõ 15 phố Lê Lợi, phường Phúc La"


@pytest.fixture
def place():
    """Agency A handles a dossier received for it at unit U; a monitor and a control officer
    sit at A; B is another agency; an administrator sees everything."""
    a, u, b = AgencyFactory(), AgencyFactory(), AgencyFactory()
    counter_u = official(u, Role.COUNTER_OFFICER)
    dossier = received_dossier(
        agency=a,
        receiving_unit=u,
        actor=counter_u,
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        applicant_email=EMAIL,
        applicant_address=ADDRESS,
        delivery_address=DELIVERY,
    )
    admin = UserFactory(is_superuser=True)
    admin.save()
    return {
        "a": a,
        "u": u,
        "b": b,
        "dossier": dossier,
        "specialist_a": official(a, Role.SPECIALIST),
        "counter_u": counter_u,
        "specialist_u": official(u, Role.SPECIALIST),  # RECEIVING grants the counter only
        "monitor_a": official(a, Role.MONITOR),
        "control_a": official(a, Role.CONTROL_OFFICER),
        "counter_b": official(b, Role.COUNTER_OFFICER),
        "admin": admin,
    }


IN_FULL = ("specialist_a", "counter_u", "admin")
MASKED = ("monitor_a", "control_a")


def _personal(body: str, full: bool, *values: str) -> None:
    for value in values:
        assert (value in body) is full, value
        assert (mask(value) in body) is not full, value


def test_mask_keeps_only_the_last_three_characters():
    assert mask(ID_NUMBER) == "*********345"
    assert mask(PHONE) == "*******678"
    assert mask("123456") == "******"  # short: nothing of it shown
    assert mask("") == "" and mask(None) == ""


def test_handles_is_some_role_of_the_permission_table_on_the_dossier(place):
    dossier = place["dossier"]
    for name in (*IN_FULL, *MASKED, "specialist_u", "counter_b"):
        user = place[name]
        by_table = any(
            scoped_roles(user, action, dossier) is None or scoped_roles(user, action, dossier)
            for action in PERMISSIONS
        )
        assert handles(user, dossier) is by_table, name
        assert handles(user, dossier) is (name in IN_FULL), name


def test_the_target_of_a_hand_over_handles_it_until_then_not(place):
    dossier, b = place["dossier"], place["b"]
    assert not handles(place["counter_b"], dossier)
    lead_a = official(place["a"], Role.LEADER)
    moved = services.dossier_transfer(
        dossier=dossier, actor=lead_a, to_agency=b, at=local(2026, 11, 24, 9)
    )
    assert handles(place["counter_b"], moved)
    assert not handles(official(b, Role.MONITOR), moved)


def _page(user, url_name, dossier) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(url_name, args=[dossier.code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url_name", ["dossiers:detail", "dossiers:receipt"])
def test_dossier_page_and_receipt(place, url_name):
    dossier = place["dossier"]
    for name in IN_FULL:
        body = _page(place[name], url_name, dossier)
        assert ID_NUMBER in body and PHONE in body, name
    for name in MASKED:
        body = _page(place[name], url_name, dossier)
        assert ID_NUMBER not in body and PHONE not in body, name
        assert mask(ID_NUMBER) in body and mask(PHONE) in body, name
    logged = PersonalDataAccess.objects.filter(dossier=dossier).order_by("id")
    assert [(a.actor, a.kind, a.full) for a in logged] == [
        (place[n], "view", n in IN_FULL) for n in (*IN_FULL, *MASKED)
    ]
    # the e-mail and the addresses by the same rule (the receipt prints the address only)
    shown = (EMAIL, ADDRESS, DELIVERY) if url_name == "dossiers:detail" else (ADDRESS,)
    for name in (*IN_FULL, *MASKED):
        _personal(_page(place[name], url_name, dossier), name in IN_FULL, *shown)


def _api(user) -> tuple[Client, dict]:
    _token, key = api_token_create(user=user, name="test")
    return Client(), {"Authorization": f"Bearer {key}"}


def test_api_list_and_detail_mask_and_log_with_the_purpose(place):
    dossier = place["dossier"]
    dossier_history_record(
        actor=IMPORT,
        entries=[HistoryEntry(dossier_id=dossier.pk, applicant={"applicant_phone": PHONE})],
        source="test",
    )
    for name in (*IN_FULL, *MASKED):
        client, headers = _api(place[name])
        listed = client.get("/api/v1/dossiers/", {"purpose": "kiểm tra"}, headers=headers).json()[
            "items"
        ]
        [item] = [i for i in listed if i["id"] == dossier.pk]
        detail = client.get(f"/api/v1/dossiers/{dossier.code}", headers=headers).json()
        [imported] = [e for e in detail["events"] if e["payload"].get("applicant")]
        full = name in IN_FULL
        assert item["applicant_id_number"] == (ID_NUMBER if full else mask(ID_NUMBER)), name
        assert detail["applicant_id_number"] == item["applicant_id_number"], name
        assert detail["applicant_phone"] == (PHONE if full else mask(PHONE)), name
        for key, value in (
            ("applicant_email", EMAIL),
            ("applicant_address", ADDRESS),
            ("delivery_address", DELIVERY),
        ):
            assert detail[key] == (value if full else mask(value)), (name, key)
        assert imported["payload"]["applicant"]["applicant_phone"] == detail["applicant_phone"]
        logged = PersonalDataAccess.objects.filter(actor=place[name], dossier=dossier)
        assert sorted((a.kind, a.purpose, a.full) for a in logged) == [
            ("view", "API: dossier", full),
            ("view", "kiểm tra", full),
        ], name


def test_api_action_answer_is_masked_by_the_same_rule_and_logged(place):
    dossier = place["dossier"]
    lead = official(place["a"], Role.LEADER)
    client, headers = _api(lead)
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/assign",
        {"assignee": place["specialist_a"].username},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["applicant_id_number"] == ID_NUMBER
    [access] = PersonalDataAccess.objects.filter(actor=lead)
    assert (access.dossier_id, access.purpose, access.full) == (dossier.pk, "API: assign", True)


def _export(user, fmt: str, **params):
    client = Client()
    client.force_login(user)
    return client.get(reverse("dossiers:export", kwargs={"fmt": fmt}), params)


def _csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_masks_for_those_who_do_not_handle_and_logs_each_dossier(place, english):
    dossier = place["dossier"]
    other = received_dossier(agency=place["a"], applicant_id_number="079201000777")
    for name in (*IN_FULL, *MASKED):
        response = _export(place[name], "csv", purpose="báo cáo quý")
        assert response.status_code == 200, response.content
        assert 'filename="ho-so-' in response["Content-Disposition"]
        rows = {r["Dossier code"]: r for r in _csv_rows(response)}
        full = name in IN_FULL
        assert rows[dossier.code]["ID / tax number"] == (ID_NUMBER if full else mask(ID_NUMBER))
        assert rows[dossier.code]["Phone"] == (PHONE if full else mask(PHONE))
        logged = PersonalDataAccess.objects.filter(actor=place[name], kind="export")
        assert {(a.dossier_id, a.purpose, a.full) for a in logged} >= {
            (dossier.pk, "báo cáo quý", full)
        }
        # U's counter sees only what U received; the others see both of A's dossiers.
        expected = {dossier.code} if name == "counter_u" else {dossier.code, other.code}
        assert set(rows) == expected, name
        assert logged.count() == len(rows)


def test_xlsx_export_follows_the_list_filters_and_the_same_rule(place, english):
    dossier = place["dossier"]
    received_dossier(agency=place["a"], applicant_name="Người khác")
    for name in ("specialist_a", "monitor_a"):
        response = _export(place[name], "xlsx", purpose="đối chiếu", q=ID_NUMBER)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert header[:4] == ["Dossier code", "Applicant", "ID / tax number", "Phone"]
        full = name == "specialist_a"
        assert rows == [
            [
                dossier.code,
                dossier.applicant_name,
                ID_NUMBER if full else mask(ID_NUMBER),
                PHONE if full else mask(PHONE),
                *rows[0][4:],
            ]
        ]
        assert PersonalDataAccess.objects.filter(actor=place[name], kind="export").count() == 1


def test_export_needs_a_purpose_and_valid_filters(place, english):
    user = place["specialist_a"]
    assert _export(user, "csv").status_code == 400
    assert b"purpose" in _export(user, "csv", purpose="   ").content
    assert _export(user, "csv", purpose="x" * 256).status_code == 400
    assert _export(user, "csv", purpose="a\x07b").status_code == 400
    assert _export(user, "xlsx", purpose="ok", received_from="not a date").status_code == 400
    client = Client()
    client.force_login(user)
    assert client.get("/dossiers/export.pdf", {"purpose": "ok"}, follow=True).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_list_page_offers_the_export_with_its_filters(place, english):
    client = Client()
    client.force_login(place["specialist_a"])
    body = client.get(reverse("dossiers:list"), {"q": "Nguyễn"}).content.decode()
    assert reverse("dossiers:export", kwargs={"fmt": "csv"}) in body
    assert 'name="q" value="Nguyễn"' in body


def test_the_import_format_export_carries_no_personal_data(place, tmp_path):
    """`motcua export dossiers` writes the import's columns: none is personal, so there is
    nothing to mask and nothing to log."""
    out = tmp_path / "dossiers.csv"
    call_command("export", "dossiers", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert place["dossier"].code in text
    assert ID_NUMBER not in text and PHONE not in text
    assert not any(f in text.splitlines()[0] for f in MASKED_FIELDS)
    assert not PersonalDataAccess.objects.exists()


def test_one_viewer_asks_once_per_dossier(place, django_assert_num_queries):
    viewer = Viewer(place["monitor_a"])
    dossier = place["dossier"]
    assert viewer.value(dossier, "applicant_id_number") == mask(ID_NUMBER)
    with django_assert_num_queries(0):
        assert viewer.personal(dossier) == {
            "applicant_id_number": mask(ID_NUMBER),
            "applicant_phone": mask(PHONE),
            "applicant_email": mask(EMAIL),
            "applicant_address": mask(ADDRESS),
            "delivery_address": mask(DELIVERY),
        }


def test_api_purpose_is_checked_like_any_input(place):
    client, headers = _api(place["specialist_a"])
    for bad in ("a\x07b", "x" * 256):
        response = client.get("/api/v1/dossiers/", {"purpose": bad}, headers=headers)
        assert response.status_code == 422, bad
        assert "purpose" in response.content.decode()
    code = place["dossier"].code
    response = client.get(f"/api/v1/dossiers/{code}", {"purpose": "a\x07b"}, headers=headers)
    assert response.status_code == 422
    assert not PersonalDataAccess.objects.exists()


def test_printed_forms_and_the_register_follow_the_same_rule(place):
    """Form 01 (the receipt), form 06 (the control sheet) and the unit's register (form 07)
    print the ID number, the phone and the address as the reader may see them."""
    from tests.dossiers.printing_helpers import docx_text, pdf_text

    dossier = place["dossier"]
    for name in (*IN_FULL, *MASKED):
        client = Client()
        client.force_login(place[name])
        full = name in IN_FULL
        for kind in ("receipt", "control"):
            url = reverse("dossiers:form", args=[dossier.code, kind, "docx"])
            response = client.get(url)
            assert response.status_code == 200, (name, kind)
            text = docx_text(response.content)
            values = (ID_NUMBER, PHONE, ADDRESS) if kind == "receipt" else (PHONE, ADDRESS)
            _personal(text, full, *values)
        pdf = client.get(reverse("dossiers:form", args=[dossier.code, "receipt", "pdf"]))
        assert (PHONE in "".join(pdf_text(pdf.content).split())) is full, name
        if name in ("counter_u", "monitor_a"):  # users of a unit the register is printed for
            unit = place["u"] if name == "counter_u" else place["a"]
            response = client.get(
                reverse("dossiers:register"),
                {"unit": unit.pk, "start": "2026-11-01", "end": "2026-11-30", "fmt": "docx"},
            )
            assert response.status_code == 200, (name, response.content[:300])
            _personal(docx_text(response.content), full, PHONE, ADDRESS)


def test_uploaded_files_are_opened_only_by_those_who_handle_the_dossier(place, tmp_path, settings):
    """A scan cannot be masked: those who see the data masked see the files' names, no link,
    and a download is refused (403) and not logged; those who handle it download it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    dossier = place["dossier"]
    stored = services.dossier_attach_file(
        dossier=dossier,
        actor=place["specialist_a"],
        uploaded_file=SimpleUploadedFile(
            "cccd.pdf", b"%PDF-1.4 scan", content_type="application/pdf"
        ),
    )
    url = reverse("dossiers:file", args=[dossier.code, stored.pk])
    for name in (*IN_FULL, *MASKED):
        full = name in IN_FULL
        client = Client()
        client.force_login(place[name])
        page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
        assert "cccd.pdf" in page and (url in page) is full, name
        before = PersonalDataAccess.objects.filter(actor=place[name]).count()
        response = client.get(url)
        assert response.status_code == (200 if full else 403), name
        logged = PersonalDataAccess.objects.filter(actor=place[name]).order_by("id")[before:]
        expected = [(dossier.pk, f"uploaded file #{stored.pk}", True)] if full else []
        assert [(a.dossier_id, a.purpose, a.full) for a in logged] == expected, name
        if full:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
        else:
            assert "chỉ người giải quyết" in response.content.decode()
