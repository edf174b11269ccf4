"""The Decision 766 index page and its ranking in headless Chromium, at 1366×768, reached from
the statistics dashboard. Screenshots go to a temporary folder, to /tmp/shots/ when it exists,
and to $MOTCUA_SHOTS_DIR when set (for people to look at)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from tests.browser.test_pages import browser_page, shot  # noqa: F401 - the fixture
from tests.stats.test_service_index import NATIONAL, build_small, sync_fixture

pytestmark = [pytest.mark.browser]


@pytest.fixture
def monitor(transactional_db, settings):
    from motcua.catalog.models import AgencyLevel

    # an earlier transactional test may have flushed the levels the migrations created
    for rank, code in enumerate(("province", "provincial_agency", "department", "commune")):
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": code, "rank": rank})
    root, a, b = build_small()
    sync_fixture(a, b)
    settings.MOTCUA_NATIONAL_URL = NATIONAL  # 1.2 measured from the outbox rows
    user = User.objects.create_user("giamsat", password="demo12345")
    Membership.objects.create(user=user, agency=root, role=Role.MONITOR)
    return user


def keep(tmp_path: Path) -> None:
    target = os.environ.get("MOTCUA_SHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for png in tmp_path.glob("index-*.png"):
            shutil.copy(png, Path(target) / png.name)


def test_index_page_and_ranking(live_server, browser_page, monitor, tmp_path):  # noqa: F811
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "giamsat")
    page.fill("#id_password", "demo12345")
    page.click("main form button")
    page.wait_for_url(f"{url}/")
    # from the statistics dashboard to the index of the same unit and month
    page.goto(f"{url}/stats/?unit=P&kind=range&start=2025-03-01&end=2025-03-31")
    page.wait_for_load_state("networkidle")  # its chart's request done (one shared connection)
    page.click("#index-link")
    page.wait_for_url("**/stats/index/?unit=P&period=2025-03")
    # hand-counted in tests/stats: 24 + 3,5 (1.2: 7 × 3/6) points of 42 + 7 → 56,12 of 100
    assert page.locator("#index-score").inner_text().count("56,12") == 1
    names = page.locator("#index-ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["Xã B", "Sở A"]
    assert page.locator("#index-criteria tbody tr").count() == 14
    row_12 = page.locator("#index-criteria tbody tr:nth-child(2)").inner_text()
    assert "3 / 6" in row_12 and "50,00%" in row_12 and "3,50 / 7" in row_12
    page.wait_for_function("() => window.Chart && Chart.getChart('index-trend')")
    labels = page.evaluate("() => Chart.getChart('index-trend').data.labels")
    assert labels[-1] == "03/2025"
    page.screenshot(path=str(tmp_path / "index-page-1366x768.png"))
    page.locator("#index-ranking").scroll_into_view_if_needed()
    page.locator("#index-ranking").screenshot(path=str(tmp_path / "index-ranking.png"))
    shot(page, tmp_path, "index-page-full")
    page.click("#index-criteria tbody tr:nth-child(2) a")  # 1.2: what lost points
    page.wait_for_selector("#index-losses")
    codes = page.locator("#index-losses tbody tr td:nth-child(2)").all_inner_texts()
    assert codes == ["A-2", "A-4", "B-6"]
    assert "20/03/2025 09:00" in page.locator("#index-losses").inner_text()
    shot(page, tmp_path, "index-losses")
    keep(tmp_path)
    if Path("/tmp/shots").is_dir():
        shutil.copy(tmp_path / "index-ranking.png", "/tmp/shots/index-ranking.png")
