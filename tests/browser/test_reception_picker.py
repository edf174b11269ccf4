"""The reception's procedure picker in headless Chromium, with the keyboard only: type
``cap phep``, move with the arrows, choose with Enter; the checklist of the chosen procedure
arrives (htmx) and the reception is not submitted by that Enter. Under the enforced CSP: no
violation. Screenshots at 1366×768 (see ``test_pages.shot``)."""

from __future__ import annotations

import pytest

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.catalog.models import ProcedureAssignment
from tests.browser.test_pages import open_page, shot
from tests.browser.test_pages import pytestmark as browser_marks
from tests.catalog.factories import FieldFactory
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
)

pytestmark = browser_marks


@pytest.fixture
def small_page():
    with open_page({"width": 1366, "height": 768}) as page:
        yield page


@pytest.fixture
def counter(transactional_db):
    trade = AgencyFactory(name="Sở Công Thương tỉnh Thử", short_name="Sở Công Thương")
    building = AgencyFactory(name="Sở Xây dựng tỉnh Thử", short_name="Sở Xây dựng")
    retail = ProcedureFactory(
        code="1.000101",
        name="Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
        field=FieldFactory(name="Lưu thông hàng hóa trong nước"),
    )
    house = ProcedureFactory(
        code="1.009999",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field=FieldFactory(name="Hoạt động xây dựng"),
    )
    birth = ProcedureFactory(name="Đăng ký khai sinh", field=FieldFactory(name="Hộ tịch"))
    for procedure, agency in ((retail, trade), (house, building), (birth, building)):
        ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    for name in ("Đơn đề nghị cấp giấy phép", "Bản vẽ thiết kế", "Giấy tờ về quyền sử dụng đất"):
        RequiredDocumentFactory(procedure=house, name=name)
    user = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Thu Hà")
    user.set_password("demo12345")
    user.save()
    Membership.objects.create(user=user, agency=trade, role=Role.COUNTER_OFFICER)
    return {"house": house, "retail": retail, "building": building}


def test_pick_a_procedure_by_typing_cap_phep_and_the_keyboard(
    live_server, small_page, counter, tmp_path
):
    page, url = small_page, live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "tiepnhan")
    page.fill("#id_password", "demo12345")
    page.click("main form button")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/dossiers/new/")

    box = page.locator("#procedure-search")
    assert box.is_visible()  # the script showed the picker
    assert page.locator("label[for=procedure-search]").inner_text().strip()
    box.focus()
    box.press_sequentially("cap phep", delay=40)
    page.wait_for_function(
        "() => document.querySelectorAll('#procedure-options [role=option]').length === 2"
    )
    listbox = page.locator("#procedure-options")
    assert listbox.is_visible() and box.get_attribute("aria-expanded") == "true"
    groups = listbox.locator(".picker-group-label").all_inner_texts()
    assert groups == [
        "Hoạt động xây dựng · Sở Xây dựng",
        "Lưu thông hàng hóa trong nước · Sở Công Thương",
    ]
    assert "2" in page.locator("#procedure-status").inner_text()

    box.press("ArrowDown")
    box.press("ArrowDown")
    second = f"procedure-option-{counter['retail'].pk}"
    assert box.get_attribute("aria-activedescendant") == second
    assert page.locator(f"#{second}").get_attribute("aria-selected") == "true"
    box.press("ArrowUp")
    first = f"procedure-option-{counter['house'].pk}"
    assert box.get_attribute("aria-activedescendant") == first
    shot(page, tmp_path, "picker-typed-cap-phep")

    box.press("Enter")
    page.wait_for_selector("#procedure-info input[name=documents]")
    assert page.url == f"{url}/dossiers/new/"  # Enter chose; it did not submit the reception
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert page.locator("select[name=procedure]").input_value() == str(counter["house"].pk)
    assert box.input_value() == f"1.009999 — {counter['house'].name}"
    assert page.locator("#procedure-status").inner_text().strip() == ""
    assert page.locator("select[name=agency]").input_value() == str(counter["building"].pk)
    assert page.locator("#procedure-info input[name=documents]").count() == 3
    assert page.locator("#procedure-info input[name=documents]:checked").count() == 0
    shot(page, tmp_path, "picker-chosen")

    # Escape closes the list; a code finds its procedure, Enter takes the only option.
    box.fill("")
    box.press_sequentially("1.000101", delay=20)
    page.wait_for_function(
        "() => document.querySelectorAll('#procedure-options [role=option]').length === 1"
    )
    box.press("Escape")
    assert listbox.is_hidden()
    box.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('select[name=procedure]').value === '{counter['retail'].pk}'"
    )
    assert problems == []  # no script error, no CSP violation


def test_without_javascript_the_select_does_the_job(live_server, counter, tmp_path):
    with open_page({"width": 1366, "height": 768}, java_script_enabled=False) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "tiepnhan")
        page.fill("#id_password", "demo12345")
        page.click("main form button")
        page.goto(f"{live_server.url}/dossiers/new/")
        assert page.locator("#procedure-search").is_hidden()
        select = page.locator("select[name=procedure]")
        assert select.is_visible()
        values = select.locator("option").evaluate_all("els => els.map(e => e.value)")
        assert set(values) - {""} == {
            str(pk) for pk in (counter["house"].pk, counter["retail"].pk)
        } | {str(ProcedureAssignment.objects.get(procedure__name="Đăng ký khai sinh").procedure_id)}
        shot(page, tmp_path, "picker-without-javascript")
