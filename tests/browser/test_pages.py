"""End to end in headless Chromium: receive a dossier at the counter, print the receipt, find it
in the list, act on it, and look it up on the citizen portal. Screenshots go to a temporary
folder (and to /tmp/shots/ when it exists, for people to look at)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.catalog.models import ProcedureAssignment
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    received_dossier,
)

# Playwright's sync API runs an event loop in this thread; Django must not refuse the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots are copied there too when the folder exists (for people to look at).
SHOTS = Path(os.environ.get("MOTCUA_SHOTS_DIR", "/tmp/shots"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium at /usr/bin/chromium"),
]


@contextmanager
def open_page(viewport: dict, **options):
    """One page of a fresh headless Chromium (Debian's), in Vietnamese, at ``viewport``
    (``options``: more of the browser context's, e.g. ``java_script_enabled=False``)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(locale="vi-VN", viewport=viewport, **options)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def browser_page(tmp_path):
    with open_page({"width": 1366, "height": 900}) as page:
        yield page


@pytest.fixture
def counter_officer(transactional_db):
    agency = AgencyFactory(name="Sở Công Thương tỉnh Thử", short_name="Sở Công Thương")
    procedure = ProcedureFactory(name="Cấp Giấy phép bán lẻ sản phẩm thuốc lá")
    ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    for name in ("Đơn đề nghị cấp giấy phép", "Bản sao Giấy chứng nhận đăng ký doanh nghiệp"):
        RequiredDocumentFactory(procedure=procedure, name=name)
    user = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Thu Hà")
    user.set_password("demo12345")
    user.save()
    Membership.objects.create(user=user, agency=agency, role=Role.COUNTER_OFFICER)
    Membership.objects.create(user=user, agency=agency, role=Role.LEADER)
    received_dossier(agency=agency, procedure=procedure, applicant_name="Trần Văn Khác")
    return {"user": user, "agency": agency, "procedure": procedure}


def log_in(page, url: str, username: str, password: str = "demo12345") -> None:
    """Sign in through the login page, as a person would."""
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button")
    page.wait_for_url(f"{url}/")


def shot(page, tmp_path: Path, name: str, *, full_page: bool = True) -> Path:
    """A screenshot in ``tmp_path``, copied to MOTCUA_SHOTS_DIR (default /tmp/shots) when that
    folder exists, for people to look at."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)
    return path


def test_reception_receipt_list_detail_and_portal(
    live_server, browser_page, counter_officer, tmp_path
):
    page, url = browser_page, live_server.url
    procedure = counter_officer["procedure"]

    log_in(page, url, "tiepnhan")
    shot(page, tmp_path, "browser-home")

    # Reception: choosing the procedure brings its checklist (htmx), then the receipt.
    page.goto(f"{url}/dossiers/new/")
    page.select_option("select[name=procedure]", str(procedure.pk))
    page.wait_for_selector("#procedure-info input[name=documents]")
    assert page.locator("#procedure-info input[name=documents]").count() == 2
    assert page.locator("#procedure-info input[name=documents]:checked").count() == 0
    for box in page.locator("#procedure-info input[name=documents]").all():
        box.check()
    page.fill("#id_applicant_name", "Đỗ Thị Hoa")
    page.fill("#id_applicant_id_number", "099123456789")
    page.fill("#id_applicant_phone", "0912345678")
    page.fill("#id_applicant_address", "Số 5 đường Lê Lợi, phường Sơn Lâm")
    shot(page, tmp_path, "browser-reception")
    page.click("#reception-form button[type=submit]")
    page.wait_for_selector("#receipt")
    code = page.locator("#receipt-code").inner_text().strip()
    assert code.startswith(counter_officer["agency"].code)
    assert page.locator("#receipt svg").count() == 1
    assert page.locator("#receipt-due").inner_text().strip()
    shot(page, tmp_path, "browser-receipt")

    # The list finds it; the search box filters through htmx without reloading the page.
    page.goto(f"{url}/dossiers/")
    assert page.locator(f"text={code}").count() == 1
    assert page.locator("table.dossier-table tbody tr").count() == 2
    page.fill("input[name=q]", "Hoa")
    page.wait_for_function("() => location.search.includes('q=Hoa')")
    page.wait_for_function(
        "() => document.querySelectorAll('table.dossier-table tbody tr').length === 1"
    )
    shot(page, tmp_path, "browser-list")

    # Detail: an action through its small form.
    page.click(f"text={code}")
    page.wait_for_selector("#dossier-code")
    page.select_option("select[name=assign-assignee]", str(counter_officer["user"].pk))
    page.click(".action-assign button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#timeline li").count() == 2
    shot(page, tmp_path, "browser-detail")

    # Portal: the applicant looks it up with the code and the ID number.
    page.goto(f"{url}/portal/?code={code}")
    page.fill("#id_id_number", "099123456789")
    page.click("#lookup-form button")
    page.wait_for_selector("#lookup-result")
    assert code in page.locator("#lookup-result").inner_text()
    shot(page, tmp_path, "browser-portal")
    page.goto(f"{url}/portal/procedures/?q=thuốc lá")
    assert page.locator(f"text={procedure.name}").count() == 1
    shot(page, tmp_path, "browser-procedures")


def test_list_export_with_a_purpose(live_server, browser_page, counter_officer, tmp_path):
    """The list's export form carries the list's filters; the browser downloads the workbook."""
    import io

    from openpyxl import load_workbook

    from motcua.ops.models import PersonalDataAccess

    page, url = browser_page, live_server.url
    log_in(page, url, "tiepnhan")
    received_dossier(
        agency=counter_officer["agency"],
        procedure=counter_officer["procedure"],
        applicant_name="Đỗ Thị Hoa",
        applicant_id_number="099123456789",
    )
    page.goto(f"{url}/dossiers/")
    page.fill("#dossier-filter input[name=q]", "Hoa")
    page.wait_for_function(
        "() => document.querySelectorAll('table.dossier-table tbody tr').length === 1"
    )
    page.fill("#dossier-export input[name=purpose]", "Đối chiếu với sổ theo dõi")
    shot(page, tmp_path, "browser-list-export")
    with page.expect_download() as download:
        page.click("#dossier-export button[formaction]")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "Đỗ Thị Hoa" and rows[1][2] == "099123456789"
    [access] = PersonalDataAccess.objects.filter(kind="export")
    assert (access.actor, access.purpose) == (counter_officer["user"], "Đối chiếu với sổ theo dõi")
