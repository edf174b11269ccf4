"""The Decision 766 index page and its ranking in headless Chromium (screenshots as in
test_pages: a temporary folder, and /tmp/shots/ when it exists)."""

from __future__ import annotations

import pytest

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from tests.browser.test_pages import browser_page, shot  # noqa: F401 - the fixture
from tests.stats.test_service_index import build_small

pytestmark = [pytest.mark.browser]


@pytest.fixture
def monitor(transactional_db):
    from motcua.catalog.models import AgencyLevel

    # an earlier transactional test may have flushed the levels the migrations created
    for rank, code in enumerate(("province", "provincial_agency", "department", "commune")):
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": code, "rank": rank})
    root, _a, _b = build_small()
    user = User.objects.create_user("giamsat", password="demo12345")
    Membership.objects.create(user=user, agency=root, role=Role.MONITOR)
    return user


def test_index_page_and_ranking(live_server, browser_page, monitor, tmp_path):  # noqa: F811
    page, url = browser_page, live_server.url
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "giamsat")
    page.fill("#id_password", "demo12345")
    page.click("main form button")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/stats/index/?unit=P&period=2025-03")
    assert page.locator("#index-score").inner_text().count("56,82") == 1
    names = page.locator("#index-ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["Xã B", "Sở A"]
    assert page.locator("#index-criteria tbody tr").count() == 14
    page.wait_for_function("() => window.Chart && Chart.getChart('index-trend')")
    shot(page, tmp_path, "index-page")
    page.locator("#index-ranking").scroll_into_view_if_needed()
    page.locator("#index-ranking").screenshot(path=str(tmp_path / "index-ranking.png"))
    shot(page, tmp_path, "index-page-full")
    page.click("#index-criteria a:has-text('hồ sơ bị trừ điểm') >> nth=0")
    page.wait_for_selector("#index-losses")
    shot(page, tmp_path, "index-losses")
    import shutil
    from pathlib import Path

    if Path("/tmp/shots").is_dir():
        shutil.copy(tmp_path / "index-ranking.png", "/tmp/shots/index-ranking.png")
