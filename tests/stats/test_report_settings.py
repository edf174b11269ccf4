"""What a unit's reports print around the figures, editable before a download and remembered
per unit (issue 12, decision "docsettings"): pre-filled next time, printed in the DOCX and the
PDF (read back with python-docx and pdftotext) and in the monthly round, changed only by the
unit's officials (or those above it, administrators), bad input refused with nothing saved."""

from __future__ import annotations

import zipfile

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.catalog.selectors import agency_identity
from motcua.core.errors import PermissionDenied
from motcua.stats.models import ReportSettings
from motcua.stats.periods import resolve_period
from motcua.stats.reports.letterhead import editable_defaults
from motcua.stats.rounds.writer import file_names, period_slug, write_round
from motcua.stats.selectors import report_settings_options
from motcua.stats.services import SettingsInvalid, save_report_settings
from tests.stats import test_documents_levels as levels
from tests.stats.test_documents_levels import PERIOD, docx_texts, pdf_text, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
sonlam = levels.sonlam  # the province of every level, with dossiers of March 2025

TYPED = {
    "parent_name": "UBND TỈNH SƠN LÂM MỚI",
    "unit_name": "SỞ CÔNG THƯƠNG SƠN LÂM",
    "number": "215",
    "symbol": "sct-ql",  # upper-cased when saved
    "place": "Thành Sơn",
    "recipients": "Văn phòng UBND tỉnh (b/c);\r\nLãnh đạo Sở;\r\nLưu: VT, QLTM.",
    "signer_title": "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC",
    "signer_name": "Lê Văn Cường",
}
PRINTED = [
    "UBND TỈNH SƠN LÂM MỚI",
    "SỞ CÔNG THƯƠNG SƠN LÂM",
    "Số: 215/BC-SCT-QL",
    "Thành Sơn, ngày",
    "- Văn phòng UBND tỉnh (b/c);",
    "- Lãnh đạo Sở;",
    "- Lưu: VT, QLTM.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Lê Văn Cường",
]


def official(unit, role, name):
    user = User.objects.create_user(name, password="x", full_name=name.title())
    Membership.objects.create(user=user, agency=unit, role=role)
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


def page_initial(client, unit) -> dict[str, str]:
    response = client.get(reverse("stats:dashboard"), {"unit": unit.code, "period": PERIOD})
    assert response.status_code == 200
    return response.context["settings_form"].initial


def post(client, unit, data, download=""):
    payload = {"unit": unit.code, "period": PERIOD, **data}
    if download:
        payload["download"] = download
    return client.post(reverse("stats:report_settings"), payload)


def printed_in(texts: str, lines=PRINTED) -> list[str]:
    """The lines of `lines` missing from `texts` (white space ignored)."""
    whole = squeeze(texts)
    return [line for line in lines if squeeze(line) not in whole]


def test_nothing_remembered_the_form_shows_the_levels_defaults(sonlam, client):
    unit = sonlam["agency"]
    initial = page_initial(logged_in(client, official(unit, Role.LEADER, "lanhdao")), unit)
    defaults = editable_defaults(agency_identity(unit))
    assert initial == defaults
    assert initial["parent_name"] == "UBND TỈNH SƠN LÂM"
    assert initial["signer_title"] == "GIÁM ĐỐC" and initial["symbol"] == "SCT"
    assert not ReportSettings.objects.exists()


def test_a_download_remembers_the_settings_and_prints_them_in_docx_and_pdf(
    sonlam, client, tmp_path
):
    unit = sonlam["agency"]
    leader = official(unit, Role.LEADER, "lanhdao")
    client = logged_in(client, leader)
    response = post(client, unit, TYPED, download="docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert printed_in("\n".join(docx_texts(response.content))) == []
    row = ReportSettings.objects.get(agency=unit)
    assert row.changed_by == leader and row.changed_at is not None
    assert row.symbol == "SCT-QL" and row.signer_title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    # next time: the form is pre-filled with them
    initial = page_initial(client, unit)
    assert initial == {
        **{k: v.replace("\r\n", "\n") for k, v in TYPED.items()},
        "symbol": "SCT-QL",
    }
    # and a plain download (no option typed) prints them, in the DOCX and in the PDF
    for fmt in ("docx", "pdf"):
        response = client.get(
            reverse("stats:document", kwargs={"fmt": fmt}), {"unit": unit.code, "period": PERIOD}
        )
        assert response.status_code == 200
        text = (
            "\n".join(docx_texts(response.content))
            if fmt == "docx"
            else pdf_text(response.content, tmp_path)
        )
        assert printed_in(text) == [], fmt


def test_saving_without_a_download_and_values_equal_to_the_defaults_stay_blank(sonlam, client):
    unit = sonlam["agency"]
    client = logged_in(client, official(unit, Role.COUNTER_OFFICER, "motcua"))
    defaults = editable_defaults(agency_identity(unit))
    response = post(client, unit, {**defaults, "signer_name": "Nguyễn Thị Hoa"})
    assert response.status_code == 302
    row = ReportSettings.objects.get(agency=unit)
    # only what differs from the level's default is kept: a later change of the tree shows
    assert row.options() == {"signer_name": "Nguyễn Thị Hoa"}
    assert any("saved" in str(m) for m in get_messages(response.wsgi_request))
    assert page_initial(client, unit) == {**defaults, "signer_name": "Nguyễn Thị Hoa"}


def test_the_round_prints_each_units_remembered_settings(sonlam, tmp_path, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@x.vn", "x")
    trade, commune = sonlam["agency"], sonlam["commune"]
    save_report_settings(actor=admin, agency=trade, data=TYPED)
    save_report_settings(
        actor=admin,
        agency=commune,
        data={"signer_title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "signer_name": "Đỗ Văn Bình"},
    )
    assert set(report_settings_options(agency_ids=[trade.pk, commune.pk])) == {
        trade.pk,
        commune.pk,
    }
    period = resolve_period(period=PERIOD)
    result = write_round(root=sonlam["province"], period=period, output=tmp_path)
    slug = period_slug(period)
    (docx_name, _), (pdf_name, _), _xlsx = file_names(trade.code, slug)
    assert printed_in("\n".join(docx_texts((result.directory / docx_name).read_bytes()))) == []
    assert printed_in(pdf_text((result.directory / pdf_name).read_bytes(), tmp_path)) == []
    (docx_name, _), (pdf_name, _), _xlsx = file_names(commune.code, slug)
    commune_lines = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Văn Bình", "ỦY BAN NHÂN DÂN", "XÃ AN PHÚ"]
    commune_docx = "\n".join(docx_texts((result.directory / docx_name).read_bytes()))
    assert printed_in(commune_docx, commune_lines) == []
    assert (
        printed_in(pdf_text((result.directory / pdf_name).read_bytes(), tmp_path), commune_lines)
        == []
    )
    # a unit with nothing remembered keeps its level's signer
    (docx_name, _), _pdf, _xlsx = file_names(sonlam["district"].code, slug)
    district = docx_texts((result.directory / docx_name).read_bytes())
    assert "TM. ỦY BAN NHÂN DÂN" in district and "Lê Văn Cường" not in district
    # the ZIP holds the same files; a changed setting writes that unit again, only it
    assert docx_name.split("/")[-1] in " ".join(zipfile.ZipFile(result.zip_path).namelist())
    save_report_settings(actor=admin, agency=commune, data={"signer_name": "Đỗ Thị Cúc"})
    again = write_round(root=sonlam["province"], period=period, output=tmp_path)
    assert again.written == [commune.code]


def test_only_the_units_officials_or_those_above_it_may_change_them(sonlam, client):
    trade, district = sonlam["agency"], sonlam["district"]
    other = official(district, Role.LEADER, "huyen")
    with pytest.raises(PermissionDenied):
        save_report_settings(actor=other, agency=trade, data=TYPED)
    # the other unit's official cannot even pick the unit on the page
    response = post(logged_in(client, other), trade, TYPED)
    assert response.status_code == 400
    # a monitor of the unit reads: the service refuses, the page says so, nothing is saved
    monitor = official(trade, Role.MONITOR, "giamsat")
    with pytest.raises(PermissionDenied):
        save_report_settings(actor=monitor, agency=trade, data=TYPED)
    client.force_login(monitor)
    response = post(client, trade, TYPED)
    assert response.status_code == 302
    assert any("Only officials" in str(m) for m in get_messages(response.wsgi_request))
    # a monitor's download prints what was typed, for that download only
    response = post(client, trade, TYPED, download="docx")
    assert response.status_code == 200
    assert printed_in("\n".join(docx_texts(response.content))) == []
    assert not ReportSettings.objects.exists()
    assert not page_initial(client, trade)["signer_name"]
    # a department's official cannot change its agency's; the province's leader may
    department = official(sonlam["department"], Role.LEADER, "phong")
    with pytest.raises(PermissionDenied):
        save_report_settings(actor=department, agency=trade, data=TYPED)
    above = official(sonlam["province"], Role.LEADER, "tinh")
    save_report_settings(actor=above, agency=trade, data=TYPED)
    assert ReportSettings.objects.get(agency=trade).changed_by == above


BAD = [
    ({"number": "21a"}, "number", "digits only"),
    ({"number": "215/BC-SCT"}, "number", "digits only"),
    ({"symbol": "SCT/BC"}, "symbol", "capital letters"),
    ({"signer_title": "A\nB\nC\nD\nE"}, "signer_title", "at most 4 lines"),
    ({"signer_title": "G" * 81}, "signer_title", "at most 80 characters"),
    ({"recipients": "x" * 201}, "recipients", "at most 200 characters"),
    ({"recipients": "\n".join(f"Nơi {i};" for i in range(21))}, "recipients", "At most 20"),
    ({"signer_name": "Lê\x07Văn"}, "signer_name", ""),
    ({"place": "P" * 61}, "place", ""),
]


@pytest.mark.parametrize(("data", "field", "words"), BAD)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(
    sonlam, client, data, field, words
):
    trade = sonlam["agency"]
    leader = official(trade, Role.LEADER, "lanhdao")
    with pytest.raises(SettingsInvalid) as refused:
        save_report_settings(actor=leader, agency=trade, data={**TYPED, **data})
    assert list(refused.value.errors) == [field]
    assert words in str(refused.value)
    response = post(logged_in(client, leader), trade, {**TYPED, **data}, download="pdf")
    assert response.status_code == 302  # back to the page with the error, no file
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(errors) == 1 and words in errors[0]
    assert not ReportSettings.objects.exists()
