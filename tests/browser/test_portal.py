"""The citizen portal end to end in headless Chromium, on a phone (375×812) and on a desktop:
find a procedure typed without diacritics, file it online with two documents, be accepted at
pre-check by an official, follow it through the receipt's QR link with the secret, rate it;
send a petition that an official answers and publishes. Screenshots in a temporary folder (and in
MOTCUA_SHOTS_DIR, default /tmp/shots/, when it exists, for people to look at)."""

from __future__ import annotations

import re

import pytest

from motcua.accounts.models import Membership
from motcua.catalog.choices import OnlineClass, Role
from motcua.catalog.models import ProcedureAssignment
from motcua.dossiers.models import Dossier, Rating
from motcua.petitions.models import Petition
from tests.browser.test_pages import ARGS, CHROMIUM, shot
from tests.browser.test_pages import pytestmark as browser_marks
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
)
from tests.petitions.files import PDF_BYTES, PNG_BYTES

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 768}
pytestmark = browser_marks


@pytest.fixture
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def new_page(browser, viewport):
    context = browser.new_context(locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def province(transactional_db):
    agency = AgencyFactory(name="UBND phường Sơn Lâm", short_name="Phường Sơn Lâm")
    procedure = ProcedureFactory(
        name="Đăng ký kinh doanh hộ kinh doanh", online_class=OnlineClass.FULL, fee="100.000 đồng"
    )
    ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    RequiredDocumentFactory(procedure=procedure, name="Giấy đề nghị đăng ký hộ kinh doanh")
    RequiredDocumentFactory(procedure=procedure, name="Bản sao căn cước của chủ hộ", copies=1)
    official = UserFactory(username="canbo", full_name="Lò Thị Mai")
    official.set_password("demo12345")
    official.save()
    for role in (Role.COUNTER_OFFICER, Role.LEADER):
        Membership.objects.create(user=official, agency=agency, role=role)
    return {"agency": agency, "procedure": procedure, "official": official}


def login(page, url):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "demo12345")
    page.click("main form button")
    page.wait_for_url(f"{url}/")


def open_action(page, name: str) -> None:
    """Open the dossier page's action ``name`` (a <details>) and send its form."""
    box = page.locator(f".action-{name}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator("button[type=submit]").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_citizen_files_online_follows_and_rates(
    live_server, browser, province, tmp_path, viewport
):
    url, procedure = live_server.url, province["procedure"]
    size = "phone" if viewport is PHONE else "desktop"
    files = []
    for name, data in (("de-nghi.pdf", PDF_BYTES), ("can-cuoc.png", PNG_BYTES)):
        path = tmp_path / name
        path.write_bytes(data)
        files.append(path)

    citizen = new_page(browser, viewport)
    citizen.goto(f"{url}/portal/procedures/")
    citizen.fill("#q", "dang ky kinh doanh")
    citizen.press("#q", "Enter")
    citizen.wait_for_function("() => location.search.includes('q=dang')")
    assert citizen.locator(f"a:has-text('{procedure.name}')").count() == 1
    assert no_horizontal_scroll(citizen)
    shot(citizen, tmp_path, f"portal-{size}-search")

    citizen.click(f"a:has-text('{procedure.name}')")
    shot(citizen, tmp_path, f"portal-{size}-procedure")
    citizen.click("#file-online")
    citizen.fill("#id_applicant_name", "Hà Văn Dũng")
    citizen.fill("#id_applicant_id_number", "014090001234")
    citizen.fill("#id_applicant_phone", "0987654321")
    citizen.fill("#id_applicant_address", "Bản Cang, phường Sơn Lâm")
    doc_inputs = citizen.locator("input[type=file]")
    assert doc_inputs.count() == 2
    doc_inputs.nth(0).set_input_files(str(files[0]))
    doc_inputs.nth(1).set_input_files(str(files[1]))
    assert no_horizontal_scroll(citizen)
    shot(citizen, tmp_path, f"portal-{size}-filing-form")
    citizen.click("#filing-form button")
    citizen.wait_for_selector("#tracking-code")
    secret = citizen.locator("#tracking-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{10}", secret)
    assert no_horizontal_scroll(citizen)
    shot(citizen, tmp_path, f"portal-{size}-filed")
    dossier = Dossier.objects.get()
    assert dossier.files.count() == 2

    # The official accepts it at pre-check, then records the result, on the dossier's page.
    desk = new_page(browser, DESKTOP)
    login(desk, url)
    desk.goto(f"{url}/dossiers/id-{dossier.pk}/")
    open_action(desk, "precheck_accept")
    desk.wait_for_selector("#dossier-code")
    dossier.refresh_from_db()
    assert dossier.code and dossier.due_at is not None
    shot(desk, tmp_path, f"portal-{size}-official-precheck-accepted")
    open_action(desk, "resolve")
    desk.wait_for_function(
        "() => document.querySelector('#actions') && !document.querySelector('.action-resolve')"
    )
    dossier.refresh_from_db()
    assert dossier.state == "resolved"
    shot(desk, tmp_path, f"portal-{size}-official-resolved")

    # The citizen follows the receipt's QR link (code in the URL) with the secret, and rates.
    citizen.goto(f"{url}/portal/?code={dossier.code}")
    citizen.fill("#id_id_number", secret)
    citizen.click("#lookup-form button")
    citizen.wait_for_selector("#lookup-result")
    result = citizen.locator("#lookup-result").inner_text()
    assert (
        dossier.code in result
        and "Hình thức nhận kết quả\nTại bộ phận một cửa của cơ quan" in result
    )
    assert "Lò Thị Mai" not in citizen.content()  # no official's name
    assert citizen.locator("#rating-card input[type=radio]:checked").count() == 0
    assert no_horizontal_scroll(citizen)
    # the whole code is visible in its field, on a phone too (nothing scrolled out of view)
    assert citizen.evaluate(
        "(() => { const e = document.getElementById('id_code'); "
        "return e.value.length > 20 && e.scrollWidth <= e.clientWidth; })()"
    )
    citizen.check("#rate-very_satisfied")
    shot(citizen, tmp_path, f"portal-{size}-lookup")
    citizen.click("#rating-card button")
    citizen.wait_for_selector(".alert-success")
    shot(citizen, tmp_path, f"portal-{size}-rated")
    rating = Rating.objects.get(dossier=dossier)
    assert list(rating.officials.all()) == [province["official"]]


def test_a_petition_is_sent_answered_and_published(live_server, browser, province, tmp_path):
    url = live_server.url
    phone = new_page(browser, PHONE)
    phone.goto(f"{url}/portal/feedback/")
    phone.check("#id_about_1")  # about the agency
    phone.select_option("#id_agency", str(province["agency"].pk))
    phone.fill("#id_name", "Mùa A Sử")
    phone.fill("#id_phone", "0912345678")
    phone.fill("#id_title", "Bộ phận một cửa đóng cửa sớm")
    phone.fill("#id_content", "Chiều thứ Sáu bộ phận một cửa đóng cửa lúc 16 giờ.")
    phone.check("#id_consent_publish")
    assert no_horizontal_scroll(phone)
    shot(phone, tmp_path, "portal-phone-petition-form")
    phone.click("#petition-form button")
    phone.wait_for_selector("#petition-code")
    code = phone.locator("#petition-code").inner_text().strip()
    secret = phone.locator("#petition-secret").inner_text().strip()

    desk = new_page(browser, DESKTOP)
    login(desk, url)
    desk.goto(f"{url}/petitions/")
    desk.click(f"text={code}")
    desk.fill("#id_answer", "Từ tuần sau bộ phận một cửa làm việc đến 17 giờ.")
    desk.click("#answer-form button")
    desk.wait_for_selector("#publish-form")
    desk.click("#publish-form button")
    desk.wait_for_selector(".alert-success")
    shot(desk, tmp_path, "petition-desktop-answered")
    assert Petition.objects.get(code=code).published_at is not None

    phone.goto(f"{url}/portal/feedback/follow/?code={code}")
    phone.fill("#id_secret", secret)
    phone.click("#follow-form button")
    phone.wait_for_selector("#petition-answer")
    shot(phone, tmp_path, "portal-phone-petition-followed")
    phone.goto(f"{url}/portal/feedback/answers/")
    assert "17 giờ" in phone.content() and "0912345678" not in phone.content()
    assert no_horizontal_scroll(phone)
