"""In headless Chromium: the dossier page's "Print" menu downloads form 01 (PDF) and the
control sheet (DOCX); the register page downloads form 07 as XLSX. Screenshots at 1366×768 go
to a temporary folder (and to MOTCUA_FORM_SHOTS when set, for people to look at)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from motcua.catalog.choices import Role
from tests.browser.test_pages import ARGS, CHROMIUM
from tests.dossiers.factories import local, official
from tests.dossiers.printing_helpers import docx_text, pdf_text
from tests.dossiers.test_printing import _receive, province  # noqa: F401 - fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium at /usr/bin/chromium"),
]


def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("MOTCUA_FORM_SHOTS"):
        target = Path(os.environ["MOTCUA_FORM_SHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)


def test_print_menu_and_register_downloads(live_server, transactional_db, province, tmp_path):  # noqa: F811
    playwright_api = pytest.importorskip("playwright.sync_api")
    dossier = _receive(province, at=local(2026, 11, 23, 9, 5))
    user = official(province["center"], Role.COUNTER_OFFICER)
    user.set_password("demo12345")
    user.save()
    url = live_server.url
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(
            locale="vi-VN", viewport={"width": 1366, "height": 768}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "demo12345")
        page.click("main form button")
        page.wait_for_url(f"{url}/")

        page.goto(f"{url}/dossiers/{dossier.code}/")
        page.click("#print-menu summary")
        assert page.locator("#print-menu .print-receipt").is_visible()
        assert page.locator("#print-menu .print-refusal").count() == 0
        _shot(page, tmp_path, "browser-print-menu")
        with page.expect_download() as info:
            page.click("#print-menu .print-receipt a:text('PDF')")
        text = pdf_text(Path(info.value.path()).read_bytes())
        assert dossier.code in text and "Đơn đề nghị cấp giấy phép" in text
        assert "Giấy chứng nhận đăng ký doanh nghiệp" not in text  # not ticked
        with page.expect_download() as info:
            page.click("#print-menu .print-control a:text('DOCX')")
        assert info.value.suggested_filename.endswith(".docx")
        assert dossier.code in docx_text(Path(info.value.path()).read_bytes())

        page.goto(f"{url}/dossiers/")
        page.click("#register-link")
        page.select_option("#id_unit", str(province["center"].pk))
        page.fill("#id_start", "2026-11-15")
        page.fill("#id_end", "2026-11-30")
        page.select_option("#id_fmt", "xlsx")
        _shot(page, tmp_path, "browser-register")
        with page.expect_download() as info:
            page.click("#register-form button[type=submit]")
        sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert dossier.code in cells
        context.close()
        browser.close()
