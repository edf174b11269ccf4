"""The report settings on the dashboard in headless Chromium: an official edits the signer's
lines, downloads the DOCX (which prints them), opens the page again and finds them pre-filled
(screenshots as in test_pages: a temporary folder, and /tmp/shots/ when it exists)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.stats.models import ReportSettings
from tests.browser.test_pages import browser_page, shot  # noqa: F401 - the fixture
from tests.stats.test_service_index import build_small

pytestmark = [pytest.mark.browser]


@pytest.fixture
def leader(transactional_db):
    from motcua.catalog.models import AgencyLevel

    for rank, code in enumerate(("province", "provincial_agency", "department", "commune")):
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": code, "rank": rank})
    root, _a, _b = build_small()
    user = User.objects.create_user("lanhdao", password="demo12345", full_name="Lê Văn Cường")
    Membership.objects.create(user=user, agency=root, role=Role.LEADER)
    return user, root


def test_signer_lines_are_edited_downloaded_and_prefilled_next_time(
    live_server,
    browser_page,  # noqa: F811
    leader,
    tmp_path,
):
    user, root = leader
    page, url = browser_page, live_server.url
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "demo12345")
    page.click("main form button")
    page.wait_for_url(f"{url}/")
    dashboard = f"{url}/stats/?unit={root.code}&period=2025-03"
    page.goto(dashboard)
    page.wait_for_load_state("networkidle")
    page.locator("#document-details summary").click()
    title = page.locator("#id_signer_title")
    assert title.input_value() == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"  # the province's default
    title.fill("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    page.fill("#id_signer_name", "Lê Văn Cường")
    page.fill("#id_number", "215")
    with page.expect_download() as info:
        page.locator("#report-settings button[value=docx]").click()
    document = Document(io.BytesIO(info.value.path().read_bytes()))
    ending = next(t for t in document.tables if t.cell(0, 0).text.startswith("Nơi nhận"))
    lines = [p.text for p in ending.cell(0, 1).paragraphs if p.text.strip()]
    assert lines[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] and lines[-1] == "Lê Văn Cường"
    assert "Số: 215/BC-UBND" in [p.text for p in document.tables[0].cell(0, 0).paragraphs]
    row = ReportSettings.objects.get(agency=root)
    assert row.changed_by == user and row.signer_title == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    # opened again: the form holds what was typed, and says who changed it
    page.goto(dashboard)
    page.wait_for_load_state("networkidle")
    assert page.locator("#document-details").get_attribute("open") is not None
    assert page.locator("#id_signer_title").input_value() == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert page.locator("#id_signer_name").input_value() == "Lê Văn Cường"
    assert page.locator("#id_number").input_value() == "215"
    assert "Lê Văn Cường" in page.locator("#settings-note").inner_text()
    page.locator("#report-settings").scroll_into_view_if_needed()
    shot(page, tmp_path, "report-settings-prefilled")
    # bad input: refused with the field's error, nothing changed
    page.fill("#id_number", "21a")
    page.locator("#save-settings").click()
    page.wait_for_load_state("networkidle")
    assert ReportSettings.objects.get(agency=root).number == "215"
    assert page.locator("#messages .alert-danger").count() == 1
    shot(page, tmp_path, "report-settings-refused")
