"""Issue #11's scenario end to end in headless Chromium, each role logged in on its own:

the counter officer finds the procedure by typing ``cap phep``, ticks 2 of its 3 documents,
confirms the warning for the missing required one and prints form 01; the specialist requests a
supplement (form 02); the counter records the supplement; the leader resolves; an overdue
dossier gets its apology (form 04); the counter delivers; a stopped dossier's notice (05), the
control sheet (06) and the register (07, also as XLSX) are printed. Every PDF is read back with
pdftotext, every DOCX with python-docx.

Screenshots at 1366×768 (full page) and the downloaded files are kept in ``MOTCUA_E2E_SHOTS``
(default: the test's temporary folder) for people to look at."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone, translation
from openpyxl import load_workbook

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.dossiers.choices import DossierState
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing.common import clock_text
from motcua.worktime.selectors import calendar_for_agency
from tests.browser.test_pages import ARGS, CHROMIUM, log_in
from tests.browser.test_pages import pytestmark as browser_marks
from tests.dossiers.factories import UserFactory, local
from tests.dossiers.printing_helpers import docx_text, pdf_text
from tests.dossiers.test_printing import _receive, province  # noqa: F401 - fixture

pytestmark = browser_marks
PASSWORD = "demo12345"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("MOTCUA_E2E_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _person(username: str, full_name: str, agency, role: str):
    user = UserFactory(username=username, full_name=full_name)
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


def _vi(instant: dt.datetime) -> str:
    with translation.override("vi"):
        return clock_text(instant)


def _read(query):
    """Run an ORM read from inside the Playwright block and close its connection there: the
    sync API switches greenlets, so Django's connection of that moment is not the test's, and
    left open it kept the PostgreSQL test database from being dropped at the end."""
    try:
        return query()
    finally:
        connection.close()


def _working_day_morning(agency, start: dt.date, days: int) -> dt.datetime:
    """09:00 on the ``days``-th working day of ``agency`` after ``start``."""
    day = calendar_for_agency(agency_id=agency.pk).add_working_days(start, days)
    return local(day.year, day.month, day.day, 9, 0)


class Scenario:
    """One Chromium, one browser context (own cookies) per role; files and shots kept."""

    def __init__(self, browser, url: str, shots: Path) -> None:
        self.browser, self.url, self.shots, self.n = browser, url, shots, 0
        self.pages: dict[str, object] = {}
        self.problems: list[str] = []

    def as_(self, username: str):
        if username not in self.pages:
            context = self.browser.new_context(
                locale="vi-VN", viewport={"width": 1366, "height": 768}, accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.on("pageerror", lambda e: self.problems.append(str(e)))
            log_in(page, self.url, username, PASSWORD)
            self.pages[username] = page
        return self.pages[username]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()

    def shot(self, page, name: str) -> None:
        # The menu keeps to one line at 1366 px, whoever is logged in (it wrapped with a longer
        # name: "Trang chủ" and "Hồ sơ" each on two lines).
        nav = page.locator("nav.navbar")
        if nav.count():
            assert nav.bounding_box()["height"] < 64, f"the menu wraps on {name}"
        self.n += 1
        page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)

    def download(self, page, selector: str, name: str) -> bytes:
        with page.expect_download() as info:
            page.click(selector)
        data = Path(info.value.path()).read_bytes()
        suffix = info.value.suggested_filename.rsplit(".", 1)[-1]
        (self.shots / f"{name}.{suffix}").write_bytes(data)
        return data

    def print_form(self, page, kind: str, name: str) -> tuple[str, str]:
        """Both files of one form from the dossier page's print menu: (PDF text, DOCX text)."""
        files = []
        for fmt in ("PDF", "DOCX"):
            if page.locator("#print-menu").get_attribute("open") is None:
                page.click("#print-menu summary")
            files.append(self.download(page, f"#print-menu .print-{kind} a:text('{fmt}')", name))
        return pdf_text(files[0]), docx_text(files[1])

    def act(self, page, code: str, action: str, fill: dict[str, str], shot: str) -> None:
        """Open the dossier, unfold the action, fill its form, press its button."""
        page.goto(f"{self.url}/dossiers/{code}/")
        box = page.locator(f"#actions .action-{action}")
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        for field, value in fill.items():
            page.fill(f"#actions [name='{action}-{field}']", value)
        box.locator("button[type=submit]").click()
        page.wait_for_selector(".alert-success")
        self.shot(page, shot)


def test_counter_specialist_leader_and_the_seven_forms(
    live_server,
    transactional_db,
    province,  # noqa: F811
    shots,
):
    playwright_api = pytest.importorskip("playwright.sync_api")
    center, department = province["center"], province["department"]
    docs = province["docs"]
    _person("tiepnhan", "Nguyễn Thị Thu Hà", center, Role.COUNTER_OFFICER)
    _person("chuyenvien", "Lê Văn Bình", department, Role.SPECIALIST)
    _person("lanhdao", "Phạm Quốc Trung", department, Role.LEADER)

    # Two dossiers received weeks ago, past their due dates: one gets an apology, one is stopped.
    today = timezone.localdate()
    past = _working_day_morning(department, today - dt.timedelta(days=45), 1)
    overdue = _receive(province, at=past)
    stopped = _receive(province, at=past + dt.timedelta(hours=1))
    assert overdue.due_at < timezone.now()
    new_due = _working_day_morning(department, today, 5) + dt.timedelta(hours=7)  # 16:00

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        run = Scenario(browser, live_server.url, shots)
        url = live_server.url

        # 1. Counter: the picker finds the procedure without diacritics; 2 of 3 ticked.
        page = run.as_("tiepnhan")
        run.shot(page, "counter-home")
        page.goto(f"{url}/dossiers/new/")
        page.locator("#procedure-search").press_sequentially("cap phep", delay=30)
        option = page.locator(f"#procedure-option-{province['procedure'].pk}")
        option.wait_for()
        run.shot(page, "counter-picker-cap-phep")
        option.click()
        page.wait_for_selector("#procedure-info input[name=documents]")
        boxes = page.locator("#procedure-info input[name=documents]")
        assert boxes.count() == 3 and page.locator("input[name=documents]:checked").count() == 0
        for doc in (docs[0], docs[2]):
            page.check(f"#procedure-info input[name=documents][value='{doc.pk}']")
        page.fill("#id_applicant_name", "Hoàng Thị Mai")
        page.fill("#id_applicant_id_number", "001190012345")
        page.fill("#id_applicant_phone", "0912345678")
        page.fill("#id_applicant_address", "Số 5 đường Chu Văn An, phường Sơn Lâm")
        run.shot(page, "counter-reception-two-of-three")
        page.click("#reception-form button[type=submit]")
        warning = page.locator("#missing-documents")
        assert docs[1].name in warning.inner_text()
        assert page.locator("input[name=documents]:checked").count() == 2  # kept
        run.shot(page, "counter-missing-document-warning")
        page.check("#id_confirm_missing")
        page.click("#reception-form button[type=submit]")
        page.wait_for_selector("#receipt")
        code = page.locator("#receipt-code").inner_text().strip()
        dossier = _read(lambda: Dossier.objects.get(code=code))
        assert dossier.receiving_unit_id == center.pk and dossier.agency_id == department.pk
        assert "Số định danh / mã số thuế:" in page.locator("#receipt").inner_text()
        run.shot(page, "counter-receipt")
        receipt = pdf_text(run.download(page, "#receipt-pdf", "form-01"))
        receipt_docx = docx_text(run.download(page, "#receipt-docx", "form-01"))
        for text in (receipt, receipt_docx):
            assert "Mẫu số 01" in text and code in text and "Hoàng Thị Mai" in text
            assert dossier.due_at.astimezone().strftime("%d/%m/%Y") in text
            assert docs[0].name in text and docs[2].name in text
            assert "Giấy chứng nhận đăng ký doanh nghiệp" not in text  # not ticked
        assert _vi(dossier.due_at) in receipt

        # 2. Specialist: supplement request, form 02 with what is missing and why.
        page = run.as_("chuyenvien")
        reason = "Bổ sung bản sao Giấy chứng nhận đăng ký doanh nghiệp có chứng thực"
        run.act(page, code, "supplement_request", {"reason": reason}, "specialist-supplement")
        assert reason in page.locator("body").inner_text()
        for text in run.print_form(page, "supplement", "form-02"):
            assert "Mẫu số 02" in text and code in text and reason in text
            assert "Hoàng Thị Mai" in text and "SỞ CÔNG THƯƠNG" in text

        # 3. Counter: the supplement arrives; the clock runs again.
        page = run.as_("tiepnhan")
        run.act(page, code, "supplement_receive", {"note": "Đã nhận bản sao"}, "counter-supplement")
        _read(dossier.refresh_from_db)
        assert dossier.state == DossierState.IN_PROCESS and dossier.paused_at is None

        # 4. Leader: resolves it; gives the overdue one an apology; stops the third.
        page = run.as_("lanhdao")
        run.act(page, code, "resolve", {"result": "Giấy phép số 15/GP-SCT"}, "leader-resolve")
        apology_reason = "Cần xác minh thực tế tại cơ sở kinh doanh"
        run.act(
            page,
            overdue.code,
            "apologize",
            {"new_due_at": new_due.strftime("%Y-%m-%dT%H:%M"), "reason": apology_reason},
            "leader-apology",
        )
        assert new_due.strftime("%d/%m/%Y") in page.locator("#due-appointment").inner_text()
        for text in run.print_form(page, "apology", "form-04"):
            assert "Mẫu số 04" in text and overdue.code in text and apology_reason in text
            assert _vi(new_due) in text and _vi(overdue.due_at) in text
            assert "Hoàng Thị Mai" in text
        stop_reason = "Quá thời hạn bổ sung mà tổ chức, cá nhân không bổ sung hồ sơ"
        run.act(
            page,
            stopped.code,
            "stop",
            {"reason": stop_reason, "notice_number": "21/TB-SCT"},
            "leader-stop",
        )
        for text in run.print_form(page, "stop", "form-05"):
            assert "Mẫu số 05" in text and stopped.code in text and stop_reason in text
            assert "Số: 21/TB-SCT" in text and "Hoàng Thị Mai" in text

        # 5. Counter: delivers the result; the control sheet names every hand-over.
        page = run.as_("tiepnhan")
        run.act(page, code, "deliver", {}, "counter-deliver")
        _read(dossier.refresh_from_db)
        assert dossier.state == DossierState.DELIVERED
        for text in run.print_form(page, "control", "form-06"):
            assert "Mẫu số 06" in text and code in text
            for name in ("Nguyễn Thị Thu Hà", "Lê Văn Bình", "Phạm Quốc Trung"):
                assert name in text
            assert _vi(dossier.delivered_at) in text

        # 6. Counter: the register of the center from the first reception to today.
        page.goto(f"{url}/dossiers/")
        run.shot(page, "counter-list")
        page.click("#register-link")
        page.select_option("#id_unit", str(center.pk))
        page.fill("#id_start", past.date().isoformat())
        page.fill("#id_end", today.isoformat())
        registers = {}
        for fmt in ("pdf", "docx", "xlsx"):
            page.select_option("#id_fmt", fmt)
            registers[fmt] = run.download(page, "#register-form button[type=submit]", "form-07")
        run.shot(page, "counter-register")
        sheet = load_workbook(io.BytesIO(registers["xlsx"])).active
        cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        for text in (pdf_text(registers["pdf"]), docx_text(registers["docx"]), cells):
            for number in (code, overdue.code, stopped.code):
                assert number in text
            assert "Hoàng Thị Mai" in text
        assert "Mẫu số 07" in pdf_text(registers["pdf"])

        run.close()
        browser.close()
    assert run.problems == []
